// SPDX-License-Identifier: GPL-2.0
/*
 * The anti-replay window of RFC 4303 section 3.4.3 and the inference of the
 * high-order sequence bits with ESN (appendix A2.2).
 *
 * The window is a ring of bits indexed by seq modulo the ring's size, so
 * that moving the right edge forward only clears the positions skipped
 * over instead of shifting the whole bitmap, which matters with 4096-packet
 * windows. The ring is a whole number of longs and may be larger than the
 * window (100 packets take 128 bits on 64-bit): positions for sequence
 * numbers at or left of top - window may hold stale bits, which is harmless
 * because the TOO_OLD test uses the exact window and comes first; a slide
 * clears a position before a newer sequence number can map to it.
 */
#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "replay.h"

/*
 * ESN inference needs a window size. With anti-replay disabled (window 0)
 * the RFC's W = 0 would put every sequence number at or below Tl into the
 * next 2^32 epoch, so a packet merely reordered behind the newest one
 * would fail the ICV. Any W works for the inference as long as reordering
 * stays below it; 32 is the smallest window RFC 4303 (section 3.4.3)
 * requires a receiver to support.
 */
#define KIPSEC_REPLAY_INFER_WINDOW_OFF 32

static u32 kipsec_replay_bits(const struct kipsec_replay *r)
{
	return BITS_TO_LONGS(r->window) * BITS_PER_LONG;
}

static u32 kipsec_replay_pos(const struct kipsec_replay *r, u64 seq)
{
	u32 pos;

	/* no u64 modulo on 32-bit; on 64-bit this is a plain % */
	div_u64_rem(seq, kipsec_replay_bits(r), &pos);
	return pos;
}

struct kipsec_replay *kipsec_replay_alloc(u32 window, bool esn, gfp_t gfp)
{
	struct kipsec_replay *r;

	/* the netlink policy bounds the window; refuse rather than overrun */
	if (window > KIPSEC_REPLAY_MAX)
		return NULL;
	r = kzalloc(struct_size(r, bitmap, BITS_TO_LONGS(window)), gfp);
	if (!r)
		return NULL;
	r->window = window;
	r->esn = esn;
	return r;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_replay_alloc);

void kipsec_replay_free(struct kipsec_replay *r)
{
	kfree(r);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_replay_free);

/*
 * RFC 4303 appendix A2.2: Tl and Th are the low and high halves of the
 * highest authenticated sequence number, Bl = Tl - W + 1 (mod 2^32) the
 * low half of the window's left edge. Case A, the window lies within one
 * epoch (Tl >= W - 1): seq_lo below Bl can only be ahead of the window,
 * in epoch Th + 1. Case B, the window straddles an epoch boundary: seq_lo
 * at or above Bl is in the window's older part, epoch Th - 1.
 */
u64 kipsec_replay_infer(const struct kipsec_replay *r, u32 seq_lo)
{
	u32 tl = lower_32_bits(r->top);
	u32 th = upper_32_bits(r->top);
	u32 w = r->window ?: KIPSEC_REPLAY_INFER_WINDOW_OFF;
	u32 bl = tl - w + 1;	/* wraps in case B, as the RFC intends */

	if (!r->esn)
		return seq_lo;

	if (tl >= w - 1) {
		/*
		 * A sender must rekey before its 64-bit counter cycles
		 * (section 3.3.3), so there is no epoch after 2^32 - 1: keep
		 * the packet in the last one, where it is too old or fails
		 * the ICV, instead of wrapping to epoch 0.
		 */
		if (seq_lo < bl && th != U32_MAX)
			th++;
	} else {
		/*
		 * Case B with Th == 0 is the start of the SA (top < W - 1):
		 * the window's older part lies before sequence number 1,
		 * where no packet exists, so a seq_lo at or above Bl can only
		 * be in epoch 0, far ahead of the window.
		 */
		if (seq_lo >= bl && th)
			th--;
	}
	return (u64)th << 32 | seq_lo;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_replay_infer);

enum kipsec_replay_verdict kipsec_replay_check(const struct kipsec_replay *r,
					       u64 seq)
{
	/* the counter starts at 1 (section 3.3.3): 0 was never sent */
	if (!seq)
		return KIPSEC_REPLAY_TOO_OLD;
	if (!r->window || seq > r->top)
		return KIPSEC_REPLAY_OK;
	if (r->top - seq >= r->window)
		return KIPSEC_REPLAY_TOO_OLD;
	if (test_bit(kipsec_replay_pos(r, seq), r->bitmap))
		return KIPSEC_REPLAY_DUPLICATE;
	return KIPSEC_REPLAY_OK;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_replay_check);

/* clear len positions of the ring from start on, wrapping around once */
static void kipsec_replay_clear(struct kipsec_replay *r, u32 start, u32 len)
{
	u32 bits = kipsec_replay_bits(r);
	u32 first = min(len, bits - start);

	bitmap_clear(r->bitmap, start, first);
	if (len > first)
		bitmap_clear(r->bitmap, 0, len - first);
}

/*
 * Called once the ICV verified. With asynchronous decryption another
 * packet may have been accepted, or the window moved past this one,
 * since kipsec_replay_check() let it through: check again, and only then
 * record it.
 */
enum kipsec_replay_verdict kipsec_replay_advance(struct kipsec_replay *r,
						 u64 seq)
{
	enum kipsec_replay_verdict v = kipsec_replay_check(r, seq);
	u64 delta;

	if (v != KIPSEC_REPLAY_OK)
		return v;

	if (!r->window) {
		/* no window to keep, but top still feeds the ESN inference */
		r->top = max(r->top, seq);
		return KIPSEC_REPLAY_OK;
	}

	if (seq > r->top) {
		delta = seq - r->top;
		/*
		 * The positions between the old and the new top held
		 * sequence numbers that are now left of the window. A jump
		 * of a whole window or more leaves nothing seen inside it.
		 */
		if (delta >= r->window)
			bitmap_zero(r->bitmap, kipsec_replay_bits(r));
		else
			kipsec_replay_clear(r, kipsec_replay_pos(r, r->top + 1),
					    delta);
		r->top = seq;
	}
	__set_bit(kipsec_replay_pos(r, seq), r->bitmap);
	return KIPSEC_REPLAY_OK;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_replay_advance);
