// SPDX-License-Identifier: GPL-2.0
/*
 * The kipsec link type: `ip link add ipsec0 type kipsec`. A link binds the
 * SAs and policies of its namespace that carry its if_id (route-based
 * IPsec); its outer packets leave in that namespace too.
 */
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/rtnetlink.h>
#include <uapi/linux/kipsec.h>

#include "compat.h"
#include "acquire.h"
#include "esp.h"
#include "flow.h"
#include "link.h"
#include "netns.h"

/* The link set of Documentation/netlink/specs/kipsec.yaml; no genl op uses
 * it, so YNL generates no policy for it.
 */
static const struct nla_policy kipsec_link_policy[KIPSEC_A_LINK_MAX + 1] = {
	[KIPSEC_A_LINK_IF_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KIPSEC_A_LINK_UNDERLAY_IFINDEX] = { .type = NLA_U32 },
};

/*
 * What is routed into the link leaves through the SA that the first
 * matching outbound policy with the link's if_id names; without a protect
 * policy, or without a valid SA for it, the packet is dropped and counted.
 */
static netdev_tx_t kipsec_link_xmit(struct sk_buff *skb,
				    struct net_device *dev)
{
	struct kipsec_link *link = netdev_priv(dev);
	struct kipsec_net *kn = kipsec_net(dev_net(dev));
	struct kipsec_policy *pol;
	enum kipsec_drop why;
	struct kipsec_flow flow;
	struct kipsec_sa *sa;

	skb_reset_network_header(skb);
	if (kipsec_flow_parse(skb, &flow)) {
		why = KIPSEC_DROP_OUT_MALFORMED;
		goto drop;
	}
	skb->protocol = flow.family == AF_INET ? htons(ETH_P_IP) :
						 htons(ETH_P_IPV6);
	rcu_read_lock();
	pol = kipsec_spd_lookup(&kn->spd, KIPSEC_DIR_OUT, link->if_id, &flow);
	if (!pol || pol->cfg.action == KIPSEC_ACTION_BYPASS) {
		/* a link has nowhere to send a packet in the clear */
		why = KIPSEC_DROP_OUT_NO_POLICY;
	} else if (pol->cfg.action == KIPSEC_ACTION_DISCARD) {
		why = KIPSEC_DROP_OUT_DISCARD;
	} else {
		sa = kipsec_esp_out_sa(kn, pol, &flow);
		if (sa) {
			kipsec_esp_output(skb, sa, dev, dev_net(dev),
					  link->underlay_ifindex);
			rcu_read_unlock();
			return NETDEV_TX_OK;
		}
		why = KIPSEC_DROP_OUT_NO_SA;
		kipsec_acquire(kn, pol, &flow);
	}
	rcu_read_unlock();
drop:
	kipsec_drop(kn, why);
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int kipsec_link_init(struct net_device *dev)
{
	struct kipsec_link *link = netdev_priv(dev);
	int ret;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	ret = gro_cells_init(&link->gro_cells, dev);
	if (ret)
		free_percpu(dev->tstats);
	return ret;
}

static void kipsec_link_uninit(struct net_device *dev)
{
	struct kipsec_link *link = netdev_priv(dev);

	gro_cells_destroy(&link->gro_cells);
	free_percpu(dev->tstats);
}

static const struct net_device_ops kipsec_link_netdev_ops = {
	.ndo_init = kipsec_link_init,
	.ndo_uninit = kipsec_link_uninit,
	.ndo_start_xmit = kipsec_link_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

/* Packets that arrive on a kipsec link were decrypted by kipsec. */
bool kipsec_link_is(const struct net_device *dev)
{
	return dev && dev->netdev_ops == &kipsec_link_netdev_ops;
}

/*
 * A link's MTU leaves room for the largest overhead an SA can add to its
 * underlay's MTU: an IPv6 outer header, UDP encapsulation, the ESP header,
 * a 16-byte IV, up to 15 bytes of padding, the trailer and a 32-byte ICV.
 * A packet over what its SA's path really allows is answered with that
 * limit (ICMP fragmentation needed, or Packet Too Big).
 */
#define KIPSEC_MAX_OVERHEAD (40 + 8 + 8 + 16 + 15 + 2 + 32)

static void kipsec_link_setup(struct net_device *dev)
{
	dev->netdev_ops = &kipsec_link_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->mtu = ETH_DATA_LEN - KIPSEC_MAX_OVERHEAD;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->needs_free_netdev = true;
	/* if_ids are unique per namespace, checked at creation only */
	kipsec_set_netns_local(dev);
}

static bool kipsec_if_id_used(struct net *net, u32 if_id)
{
	ASSERT_RTNL();
	return xa_load(&kipsec_net(net)->links, if_id);
}

static u32 kipsec_lowest_free_if_id(struct net *net)
{
	u32 if_id = 1;

	while (kipsec_if_id_used(net, if_id))
		if_id++;
	return if_id;
}

static int kipsec_link_newlink(struct net *src_net, struct net_device *dev,
			       struct nlattr *tb[], struct nlattr *data[],
			       struct netlink_ext_ack *extack)
{
	struct kipsec_link *link = netdev_priv(dev);
	struct nlattr *if_id = data ? data[KIPSEC_A_LINK_IF_ID] : NULL;
	struct nlattr *underlay =
		data ? data[KIPSEC_A_LINK_UNDERLAY_IFINDEX] : NULL;
	struct net *net = dev_net(dev);
	int ret;

	/*
	 * Inbound ESP arrives in the underlay's namespace and finds its SA
	 * in that namespace's SAD, while a link's SAs live with the link:
	 * a link elsewhere could send but never receive.
	 */
	if (!net_eq(src_net, net)) {
		NL_SET_ERR_MSG(extack,
			       "kipsec: a link must be created in the namespace it is used in (no cross-namespace links)");
		return -EOPNOTSUPP;
	}
	link->dev = dev;
	link->if_id = if_id ? nla_get_u32(if_id) : kipsec_lowest_free_if_id(net);
	if (kipsec_if_id_used(net, link->if_id)) {
		NL_SET_ERR_MSG_ATTR(extack, if_id,
				    "if-id: another kipsec link in this namespace has it");
		return -EEXIST;
	}
	if (underlay) {
		struct net_device *udev;

		link->underlay_ifindex = nla_get_u32(underlay);
		udev = __dev_get_by_index(net, link->underlay_ifindex);
		if (!udev) {
			NL_SET_ERR_MSG_ATTR(extack, underlay,
					    "underlay-ifindex: no such device where the link is created");
			return -EINVAL;
		}
		if (!tb[IFLA_MTU] && udev->mtu > KIPSEC_MAX_OVERHEAD + IPV6_MIN_MTU)
			dev->mtu = udev->mtu - KIPSEC_MAX_OVERHEAD;
	}
	ret = register_netdevice(dev);
	if (ret)
		return ret;
	/* inbound packets find the link by the if_id of their SA */
	ret = xa_insert(&kipsec_net(net)->links, link->if_id, link,
			GFP_KERNEL);
	if (ret) {
		unregister_netdevice(dev);
		return ret;
	}
	return 0;
}

static void kipsec_link_dellink(struct net_device *dev,
				struct list_head *head)
{
	struct kipsec_link *link = netdev_priv(dev);

	xa_erase(&kipsec_net(dev_net(dev))->links, link->if_id);
	kipsec_net_flush_if_id(dev_net(dev), link->if_id);
	unregister_netdevice_queue(dev, head);
}

static int kipsec_link_changelink(struct net_device *dev,
				  struct nlattr *tb[], struct nlattr *data[],
				  struct netlink_ext_ack *extack)
{
	if (!data)
		return 0;
	NL_SET_ERR_MSG(extack,
		       "a kipsec link's attributes cannot be changed; delete and add it");
	return -EOPNOTSUPP;
}

static size_t kipsec_link_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* IF_ID */
	       nla_total_size(sizeof(u32));	/* UNDERLAY_IFINDEX */
}

static int kipsec_link_fill_info(struct sk_buff *skb,
				 const struct net_device *dev)
{
	const struct kipsec_link *link = netdev_priv(dev);

	if (nla_put_u32(skb, KIPSEC_A_LINK_IF_ID, link->if_id) ||
	    nla_put_u32(skb, KIPSEC_A_LINK_UNDERLAY_IFINDEX,
			link->underlay_ifindex))
		return -EMSGSIZE;
	return 0;
}

static struct rtnl_link_ops kipsec_link_ops __read_mostly = {
	.kind = "kipsec",
	.priv_size = sizeof(struct kipsec_link),
	.maxtype = KIPSEC_A_LINK_MAX,
	.policy = kipsec_link_policy,
	.setup = kipsec_link_setup,
	.newlink = kipsec_link_newlink,
	.dellink = kipsec_link_dellink,
	.changelink = kipsec_link_changelink,
	.get_size = kipsec_link_get_size,
	.fill_info = kipsec_link_fill_info,
};

/*
 * Namespaces are going away: delete their links before their SADs and
 * SPDs go (deleting a link takes its SAs and policies with it).
 */
void kipsec_link_destroy_nets(struct list_head *net_list)
{
	struct kipsec_link *link;
	unsigned long if_id;
	struct net *net;
	LIST_HEAD(dead);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		xa_for_each(&kipsec_net(net)->links, if_id, link)
			kipsec_link_dellink(link->dev, &dead);
	unregister_netdevice_many(&dead);
	rtnl_unlock();
}

int kipsec_link_register(void)
{
	return rtnl_link_register(&kipsec_link_ops);
}

void kipsec_link_unregister(void)
{
	rtnl_link_unregister(&kipsec_link_ops);
}
