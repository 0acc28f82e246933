/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP held for a larval SA until the key manager keys it.
 */
#ifndef _KIPSEC_HELD_H
#define _KIPSEC_HELD_H

#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/ipv6.h>

struct kipsec_net;
struct kipsec_sa;

/* At most this many packets wait for one larval SA. */
#define KIPSEC_HELD_MAX 32

/* What a held packet keeps in skb->cb, after what the IP layer keeps. */
struct kipsec_held_cb {
	union {
		struct inet_skb_parm h4;
		struct inet6_skb_parm h6;
	} ip;
	int ifindex;			/* the device it arrived on */
	__be16 encap_sport;		/* ESP-in-UDP's source port; 0: bare */
};

static inline struct kipsec_held_cb *kipsec_held_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct kipsec_held_cb) > sizeof(skb->cb));
	return (struct kipsec_held_cb *)skb->cb;
}

int kipsec_held_add(struct kipsec_sa *sa, struct sk_buff *skb,
		    __be16 encap_sport);
void kipsec_held_take(struct kipsec_sa *sa, struct sk_buff_head *list);
void kipsec_held_purge(struct kipsec_net *kn, struct kipsec_sa *sa);

#endif /* _KIPSEC_HELD_H */
