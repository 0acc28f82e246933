// SPDX-License-Identifier: GPL-2.0
/*
 * ESP that arrives for a larval SA. When kipsec initiates a CHILD_SA
 * rekey, the peer may install its new outbound SA and send on it the
 * moment it answers (RFC 7296 allows it), while our new inbound SA, whose
 * SPI sa-alloc-spi reserved, is keyed only once the key manager has
 * processed that answer (with PFS, after a DH computation). The first
 * packets on the new SA wait here, at most KIPSEC_HELD_MAX per SA, until
 * the key manager completes the SA (sa-new with its SPI); then input runs
 * them again (kipsec_input_release_held). A packet that finds the queue
 * full, and the packets of an SA that times out or is removed instead,
 * are dropped and counted as in-sa-invalid.
 */
#include "held.h"
#include "netns.h"
#include "sad.h"

/*
 * Hold a packet for the larval SA it names: 0 if held, -ENOSPC if the
 * queue is full (the caller drops it), -EAGAIN if the SA was completed
 * meanwhile (the caller looks its SPI up again). From input, under RCU.
 */
int kipsec_held_add(struct kipsec_sa *sa, struct sk_buff *skb,
		    __be16 encap_sport)
{
	struct kipsec_held_cb *cb = kipsec_held_cb(skb);
	int ret = 0;

	spin_lock(&sa->held.lock);
	if (sa->held_closed) {
		ret = -EAGAIN;
	} else if (skb_queue_len(&sa->held) >= KIPSEC_HELD_MAX) {
		ret = -ENOSPC;
	} else {
		/*
		 * It outlives this RCU section: no borrowed route, and the
		 * device by index, which may be gone when it is released.
		 */
		skb_dst_drop(skb);
		cb->ifindex = skb->dev->ifindex;
		cb->encap_sport = encap_sport;
		skb->dev = NULL;
		__skb_queue_tail(&sa->held, skb);
	}
	spin_unlock(&sa->held.lock);
	return ret;
}

/* Take the held packets; from now on none is held for the SA. */
void kipsec_held_take(struct kipsec_sa *sa, struct sk_buff_head *list)
{
	__skb_queue_head_init(list);
	spin_lock_bh(&sa->held.lock);
	sa->held_closed = true;
	skb_queue_splice_init(&sa->held, list);
	spin_unlock_bh(&sa->held.lock);
}

/* The SA is being freed without having been completed: drop, count. */
void kipsec_held_purge(struct kipsec_net *kn, struct kipsec_sa *sa)
{
	struct sk_buff_head list;
	struct sk_buff *skb;

	kipsec_held_take(sa, &list);
	while ((skb = __skb_dequeue(&list))) {
		kipsec_drop(kn, KIPSEC_DROP_IN_SA_INVALID);
		kfree_skb(skb);
	}
}
