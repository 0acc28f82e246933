/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The anti-replay window of an inbound SA (RFC 4303 section 3.4.3) and the
 * inference of the high-order sequence bits with ESN (appendix A). The
 * caller serialises access (kipsec_sa.lock).
 */
#ifndef _KIPSEC_REPLAY_H
#define _KIPSEC_REPLAY_H

#include <linux/types.h>

#define KIPSEC_REPLAY_MAX 4096

struct kipsec_replay {
	u64 top;		/* highest authenticated sequence number; 0: none */
	u32 window;		/* packets; 0 disables the check, not the tracking */
	bool esn;
	/*
	 * A ring of BITS_TO_LONGS(window) longs: the bit at seq % (its size
	 * in bits) says whether seq was seen, for top - window < seq <= top.
	 */
	unsigned long bitmap[];
};

enum kipsec_replay_verdict {
	KIPSEC_REPLAY_OK,
	KIPSEC_REPLAY_DUPLICATE,	/* inside the window, already seen */
	KIPSEC_REPLAY_TOO_OLD,		/* left of the window */
};

struct kipsec_replay *kipsec_replay_alloc(u32 window, bool esn, gfp_t gfp);
void kipsec_replay_free(struct kipsec_replay *r);
u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_lo);
enum kipsec_replay_verdict kipsec_replay_check(const struct kipsec_replay *r,
					       u64 seq);
enum kipsec_replay_verdict kipsec_replay_advance(struct kipsec_replay *r,
						 u64 seq);

#endif /* _KIPSEC_REPLAY_H */
