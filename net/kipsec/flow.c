// SPDX-License-Identifier: GPL-2.0
/*
 * What a clear IP packet offers to the SPD's selectors: its addresses,
 * its upper-layer protocol and ports (ICMP type and code in their place).
 * Non-first fragments have no ports: they match port selectors of 0 and
 * "any", as in XFRM.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "flow.h"

static void kipsec_flow_ports(struct sk_buff *skb, unsigned int offset,
			      struct kipsec_flow *flow)
{
	__be16 ports[2];
	u8 type_code[2];

	switch (flow->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		if (skb_copy_bits(skb, offset, ports, sizeof(ports)))
			return;
		flow->sport = ntohs(ports[0]);
		flow->dport = ntohs(ports[1]);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (skb_copy_bits(skb, offset, type_code, sizeof(type_code)))
			return;
		flow->sport = type_code[0];
		flow->dport = type_code[1];
		break;
	}
}

static int kipsec_flow_parse4(struct sk_buff *skb, struct kipsec_flow *flow)
{
	const struct iphdr *iph;

	if (!pskb_network_may_pull(skb, sizeof(*iph)))
		return -EINVAL;
	iph = ip_hdr(skb);
	if (iph->ihl < 5 || !pskb_network_may_pull(skb, iph->ihl * 4))
		return -EINVAL;
	iph = ip_hdr(skb);
	flow->family = AF_INET;
	flow->saddr.a4 = iph->saddr;
	flow->daddr.a4 = iph->daddr;
	flow->proto = iph->protocol;
	flow->later_fragment = iph->frag_off & htons(IP_OFFSET);
	if (!flow->later_fragment)
		kipsec_flow_ports(skb, skb_network_offset(skb) + iph->ihl * 4,
				  flow);
	return 0;
}

static int kipsec_flow_parse6(struct sk_buff *skb, struct kipsec_flow *flow)
{
	const struct ipv6hdr *ip6h;
	__be16 frag_off;
	u8 nexthdr;
	int offset;

	if (!pskb_network_may_pull(skb, sizeof(*ip6h)))
		return -EINVAL;
	ip6h = ipv6_hdr(skb);
	flow->family = AF_INET6;
	flow->saddr.a6 = ip6h->saddr;
	flow->daddr.a6 = ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	offset = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
				  &nexthdr, &frag_off);
	if (offset < 0)
		return -EINVAL;
	flow->proto = nexthdr;
	flow->later_fragment = frag_off & htons(IP6_OFFSET);
	if (!flow->later_fragment)
		kipsec_flow_ports(skb, offset, flow);
	return 0;
}

/* The packet starts at its network header, whose version decides. */
int kipsec_flow_parse(struct sk_buff *skb, struct kipsec_flow *flow)
{
	u8 version;

	memset(flow, 0, sizeof(*flow));
	if (skb_copy_bits(skb, skb_network_offset(skb), &version, 1))
		return -EINVAL;
	switch (version >> 4) {
	case 4:
		return kipsec_flow_parse4(skb, flow);
	case 6:
		return kipsec_flow_parse6(skb, flow);
	}
	return -EINVAL;
}
