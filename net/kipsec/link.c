// SPDX-License-Identifier: GPL-2.0
/*
 * The kipsec link type: `ip link add ipsec0 type kipsec`. A link binds the
 * SAs and policies of its namespace that carry its if_id (route-based
 * IPsec); outer packets belong to the namespace it was created in.
 */
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/ip.h>
#include <net/rtnetlink.h>
#include <uapi/linux/kipsec.h>

#include "compat.h"
#include "link.h"
#include "netns.h"

static LIST_HEAD(kipsec_links);	/* every kipsec link, under RTNL */

/* The link set of Documentation/netlink/specs/kipsec.yaml; no genl op uses
 * it, so YNL generates no policy for it.
 */
static const struct nla_policy kipsec_link_policy[KIPSEC_A_LINK_MAX + 1] = {
	[KIPSEC_A_LINK_IF_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KIPSEC_A_LINK_UNDERLAY_IFINDEX] = { .type = NLA_U32 },
};

/* Until the ESP data path exists, a link drops what is routed into it. */
static netdev_tx_t kipsec_link_xmit(struct sk_buff *skb,
				    struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops kipsec_link_netdev_ops = {
	.ndo_start_xmit = kipsec_link_xmit,
};

static void kipsec_link_setup(struct net_device *dev)
{
	dev->netdev_ops = &kipsec_link_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->needs_free_netdev = true;
	/* if_ids are unique per namespace, checked at creation only */
	kipsec_set_netns_local(dev);
}

static bool kipsec_if_id_used(struct net *net, u32 if_id)
{
	struct kipsec_link *link;

	ASSERT_RTNL();
	list_for_each_entry(link, &kipsec_links, node)
		if (link->if_id == if_id && net_eq(dev_net(link->dev), net))
			return true;
	return false;
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

	link->dev = dev;
	link->underlay_net = src_net;
	link->if_id = if_id ? nla_get_u32(if_id) : kipsec_lowest_free_if_id(net);
	if (kipsec_if_id_used(net, link->if_id)) {
		NL_SET_ERR_MSG_ATTR(extack, if_id,
				    "if-id: another kipsec link in this namespace has it");
		return -EEXIST;
	}
	if (underlay) {
		link->underlay_ifindex = nla_get_u32(underlay);
		if (!__dev_get_by_index(src_net, link->underlay_ifindex)) {
			NL_SET_ERR_MSG_ATTR(extack, underlay,
					    "underlay-ifindex: no such device where the link is created");
			return -EINVAL;
		}
	}
	ret = register_netdevice(dev);
	if (ret)
		return ret;
	list_add(&link->node, &kipsec_links);
	return 0;
}

static void kipsec_link_dellink(struct net_device *dev,
				struct list_head *head)
{
	struct kipsec_link *link = netdev_priv(dev);

	list_del(&link->node);
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

static struct net *kipsec_link_get_link_net(const struct net_device *dev)
{
	const struct kipsec_link *link = netdev_priv(dev);

	return link->underlay_net;
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
	.get_link_net = kipsec_link_get_link_net,
};

static bool kipsec_net_in(struct net *net, struct list_head *net_list)
{
	struct net *pos;

	list_for_each_entry(pos, net_list, exit_list)
		if (pos == net)
			return true;
	return false;
}

/*
 * Namespaces are going away: delete the links that live in them, and those
 * whose outer packets would have used them.
 */
void kipsec_link_destroy_nets(struct list_head *net_list)
{
	struct kipsec_link *link, *tmp;
	LIST_HEAD(dead);

	rtnl_lock();
	list_for_each_entry_safe(link, tmp, &kipsec_links, node)
		if (kipsec_net_in(dev_net(link->dev), net_list) ||
		    kipsec_net_in(link->underlay_net, net_list))
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
