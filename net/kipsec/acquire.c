// SPDX-License-Identifier: GPL-2.0
/*
 * ACQUIRE: an outbound packet matched a protect policy that has no valid
 * SA. The key manager hears of it at once, then again every
 * KIPSEC_ACQUIRE_RETRY seconds while packets for the same peer (address
 * pair) keep coming and no SA arrives; a packet for another peer is news
 * at once. A namespace sends at most KIPSEC_ACQUIRE_BURST events a second
 * in all. The packets themselves are dropped and counted (out-no-sa):
 * none are queued.
 */
#include <linux/jhash.h>
#include <linux/jiffies.h>

#include "acquire.h"
#include "netlink.h"
#include "netns.h"

#define KIPSEC_ACQUIRE_RETRY 30		/* seconds, as XFRM's acq_expires */
#define KIPSEC_ACQUIRE_BURST 100

static u32 kipsec_flow_peer_hash(const struct kipsec_flow *flow)
{
	return jhash(&flow->saddr, sizeof(flow->saddr),
		     jhash(&flow->daddr, sizeof(flow->daddr), flow->family));
}

void kipsec_acquire(struct kipsec_net *kn, struct kipsec_policy *pol,
		    const struct kipsec_flow *flow)
{
	unsigned long last = READ_ONCE(pol->acquire_jiffies);
	unsigned long now = jiffies ?: 1;
	u32 hash = kipsec_flow_peer_hash(flow);

	if (last && READ_ONCE(pol->acquire_hash) == hash &&
	    time_before(now, last + KIPSEC_ACQUIRE_RETRY * HZ))
		return;
	/* one CPU wins the right to send */
	if (cmpxchg(&pol->acquire_jiffies, last, now) != last)
		return;
	WRITE_ONCE(pol->acquire_hash, hash);
	if (__ratelimit(&kn->acquire_limit))
		kipsec_nl_notify_acquire(kn->net, pol, flow);
}

void kipsec_acquire_init(struct kipsec_net *kn)
{
	ratelimit_state_init(&kn->acquire_limit, HZ, KIPSEC_ACQUIRE_BURST);
	/* no "callbacks suppressed" lines in the kernel log */
	ratelimit_set_flags(&kn->acquire_limit, RATELIMIT_MSG_ON_RELEASE);
}
