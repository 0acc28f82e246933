// SPDX-License-Identifier: GPL-2.0
/*
 * Policy-based IPsec: netfilter hooks in each namespace apply the policies
 * that no kipsec link owns (if_id 0). Outbound, last in POST_ROUTING (so
 * host and forwarded traffic alike, after NAT), a packet under a protect
 * policy is taken and sent through its SA. Inbound, in LOCAL_IN and
 * FORWARD, a clear packet under an in (fwd) protect policy is dropped;
 * packets kipsec decrypted (checked against the policies already) and
 * packets XFRM decrypted (they carry a secpath) pass. ESP and AH
 * themselves, IKE (UDP port 500 or 4500) and packets that kipsec or XFRM
 * already transformed or will transform are never captured.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/xfrm.h>
#include <uapi/linux/kipsec.h>

#include "compat.h"
#include "acquire.h"
#include "esp.h"
#include "flow.h"
#include "hooks.h"
#include "input.h"
#include "link.h"
#include "netns.h"

#define KIPSEC_IKE_PORT 500
#define KIPSEC_NATT_PORT 4500

static bool kipsec_ike_or_ipsec(const struct kipsec_flow *flow)
{
	if (flow->proto == IPPROTO_ESP || flow->proto == IPPROTO_AH)
		return true;
	return flow->proto == IPPROTO_UDP &&
	       (flow->sport == KIPSEC_IKE_PORT || flow->dport == KIPSEC_IKE_PORT ||
		flow->sport == KIPSEC_NATT_PORT ||
		flow->dport == KIPSEC_NATT_PORT);
}

/* ESP that kipsec or XFRM made, or that XFRM's route will transform. */
static bool kipsec_ipsec_owned(const struct sk_buff *skb, u8 pf)
{
	if (skb_dst(skb) && skb_dst(skb)->xfrm)
		return true;
	if (pf == NFPROTO_IPV4)
		return IPCB(skb)->flags & IPSKB_XFRM_TRANSFORMED;
	return IP6CB(skb)->flags & IP6SKB_XFRM_TRANSFORMED;
}

/* Checksums must be final before encryption, GSO packets one by one. */
static void kipsec_hook_send(struct kipsec_net *kn, struct sk_buff *skb,
			     struct kipsec_sa *sa, struct net *net)
{
	struct sk_buff *segs, *next;

	if (skb_is_gso(skb)) {
		segs = skb_gso_segment(skb, 0);
		if (IS_ERR_OR_NULL(segs)) {
			kipsec_drop(kn, KIPSEC_DROP_OUT_NOMEM);
			kfree_skb(skb);
			return;
		}
		consume_skb(skb);
		skb_list_walk_safe(segs, skb, next) {
			skb_mark_not_on_list(skb);
			kipsec_hook_send(kn, skb, sa, net);
		}
		return;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kipsec_drop(kn, KIPSEC_DROP_OUT_NOMEM);
		kfree_skb(skb);
		return;
	}
	kipsec_esp_output(skb, sa, NULL, net, 0);
}

static unsigned int kipsec_out_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct kipsec_net *kn = kipsec_net(state->net);
	struct kipsec_policy *pol;
	struct kipsec_flow flow;
	struct kipsec_sa *sa;

	/* a kipsec link applies its own policies when the packet gets there */
	if (!READ_ONCE(kn->spd.count) || kipsec_link_is(state->out) ||
	    kipsec_ipsec_owned(skb, state->pf) ||
	    kipsec_flow_parse(skb, &flow) || kipsec_ike_or_ipsec(&flow))
		return NF_ACCEPT;
	pol = kipsec_spd_lookup(&kn->spd, KIPSEC_DIR_OUT, 0, &flow);
	if (!pol || pol->cfg.action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	if (pol->cfg.action == KIPSEC_ACTION_DISCARD) {
		kipsec_drop(kn, KIPSEC_DROP_OUT_DISCARD);
		return NF_DROP;
	}
	sa = kipsec_esp_out_sa(kn, pol, &flow);
	if (!sa) {
		kipsec_drop(kn, KIPSEC_DROP_OUT_NO_SA);
		kipsec_acquire(kn, pol, &flow);
		return NF_DROP;
	}
	kipsec_hook_send(kn, skb, sa, state->net);
	return NF_STOLEN;
}

static unsigned int kipsec_in_hook(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	u8 dir = state->hook == NF_INET_LOCAL_IN ? KIPSEC_DIR_IN :
						   KIPSEC_DIR_FWD;
	struct kipsec_net *kn = kipsec_net(state->net);
	const struct kipsec_policy *pol;
	struct kipsec_flow flow;

	/*
	 * A fragment after the first passes: IPv6 (and forwarding) see
	 * fragments before reassembly, and the first one, with the ports,
	 * decides for all (without it nothing is reassembled).
	 */
	if (!READ_ONCE(kn->spd.count) || skb_sec_path(skb) ||
	    kipsec_input_is_decrypted(skb) || kipsec_link_is(state->in) ||
	    kipsec_flow_parse(skb, &flow) || flow.later_fragment ||
	    kipsec_ike_or_ipsec(&flow))
		return NF_ACCEPT;
	pol = kipsec_spd_lookup(&kn->spd, dir, 0, &flow);
	if (!pol || pol->cfg.action == KIPSEC_ACTION_BYPASS)
		return NF_ACCEPT;
	kipsec_drop(kn, pol->cfg.action == KIPSEC_ACTION_DISCARD ?
		    KIPSEC_DROP_IN_DISCARD : KIPSEC_DROP_IN_POLICY);
	return NF_DROP;
}

#define KIPSEC_HOOK(_hook, _pf, _fn, _prio) \
	{ .hook = _fn, .pf = _pf, .hooknum = _hook, .priority = _prio }

static const struct nf_hook_ops kipsec_nf_ops[] = {
	KIPSEC_HOOK(NF_INET_POST_ROUTING, NFPROTO_IPV4, kipsec_out_hook,
		    NF_IP_PRI_LAST),
	KIPSEC_HOOK(NF_INET_LOCAL_IN, NFPROTO_IPV4, kipsec_in_hook,
		    NF_IP_PRI_FIRST),
	KIPSEC_HOOK(NF_INET_FORWARD, NFPROTO_IPV4, kipsec_in_hook,
		    NF_IP_PRI_FIRST),
	KIPSEC_HOOK(NF_INET_POST_ROUTING, NFPROTO_IPV6, kipsec_out_hook,
		    NF_IP6_PRI_LAST),
	KIPSEC_HOOK(NF_INET_LOCAL_IN, NFPROTO_IPV6, kipsec_in_hook,
		    NF_IP6_PRI_FIRST),
	KIPSEC_HOOK(NF_INET_FORWARD, NFPROTO_IPV6, kipsec_in_hook,
		    NF_IP6_PRI_FIRST),
};

int kipsec_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, kipsec_nf_ops,
				     ARRAY_SIZE(kipsec_nf_ops));
}

void kipsec_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, kipsec_nf_ops, ARRAY_SIZE(kipsec_nf_ops));
}
