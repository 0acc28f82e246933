/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why the data path dropped a packet: per-namespace, per-CPU counters in
 * the spirit of /proc/net/xfrm_stat, read by the stats-get netlink op.
 */
#ifndef _KIPSEC_STATS_H
#define _KIPSEC_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

enum kipsec_drop {
	KIPSEC_DROP_IN_MALFORMED,	/* too short, bad header */
	KIPSEC_DROP_IN_NOMEM,		/* no memory for the packet */
	KIPSEC_DROP_IN_SA_INVALID,	/* larval or expired SA */
	KIPSEC_DROP_IN_REPLAY,		/* duplicate or left of the window */
	KIPSEC_DROP_IN_INTEGRITY,	/* ICV did not verify */
	KIPSEC_DROP_IN_TRAILER,		/* bad padding or next header */
	KIPSEC_DROP_IN_SELECTOR,	/* inner packet outside the SA's policy */
	KIPSEC_DROP_IN_POLICY,		/* clear packet an inbound policy covers */
	KIPSEC_DROP_IN_DISCARD,		/* inbound discard policy */
	KIPSEC_DROP_IN_CRYPTO,		/* the crypto API failed otherwise */
	KIPSEC_DROP_OUT_NO_POLICY,	/* kipsec link: no outbound policy */
	KIPSEC_DROP_OUT_DISCARD,	/* outbound discard policy */
	KIPSEC_DROP_OUT_NO_SA,		/* protect policy without a valid SA */
	KIPSEC_DROP_OUT_SEQ_OVERFLOW,	/* sequence numbers exhausted */
	KIPSEC_DROP_OUT_EXPIRED,	/* hard lifetime reached */
	KIPSEC_DROP_OUT_NOMEM,		/* no memory for the packet */
	KIPSEC_DROP_OUT_NO_ROUTE,	/* no route for the outer packet */
	KIPSEC_DROP_OUT_TOO_BIG,	/* DF packet over the path MTU */
	KIPSEC_DROP_OUT_CRYPTO,		/* the crypto API failed */
	KIPSEC_DROP_OUT_MALFORMED,	/* not an IP packet, or truncated */
	KIPSEC_DROP_IN_ENCAP_MISMATCH,	/* in UDP for a bare SA, or the reverse */
	KIPSEC_DROPS
};

struct kipsec_drop_stats {
	u64 count[KIPSEC_DROPS];
};

#endif /* _KIPSEC_STATS_H */
