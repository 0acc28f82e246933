// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the anti-replay window (RFC 4303 section 3.4.3) and of the
 * ESN high-order bit inference (appendix A2.2). Every expected value is
 * worked out from the RFC's rules, written next to it, not taken from the
 * code under test:
 *
 *   - sequence number 0 is never sent (the counter starts at 1);
 *   - a packet right of the window (seq > top) passes;
 *   - one inside it (top - seq < W) passes unless already seen;
 *   - one left of it (top - seq >= W) is rejected;
 *   - Bl = Tl - W + 1 (mod 2^32); case A (Tl >= W - 1): Seqh = Th if
 *     Seql >= Bl else Th + 1; case B (Tl < W - 1): Seqh = Th - 1 if
 *     Seql >= Bl else Th.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "replay.h"

static size_t replay_size(u32 window)
{
	struct kipsec_replay *r;

	return struct_size(r, bitmap, BITS_TO_LONGS(window));
}

/* ---- allocation ---- */

struct alloc_case {
	const char *desc;
	u32 window;
	bool esn;
};

static const struct alloc_case alloc_cases[] = {
	{ "window-0", 0, false },
	{ "window-1-esn", 1, true },
	{ "window-32", 32, false },
	{ "window-100-esn", 100, true },
	{ "window-4096", KIPSEC_REPLAY_MAX, false },
};

static void alloc_case_desc(const struct alloc_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replay_alloc, alloc_cases, alloc_case_desc);

static void kipsec_replay_alloc_test(struct kunit *test)
{
	const struct alloc_case *c = test->param_value;
	struct kipsec_replay *r = kipsec_replay_alloc(c->window, c->esn,
						      GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->top, 0);
	KUNIT_EXPECT_EQ(test, r->window, c->window);
	KUNIT_EXPECT_EQ(test, r->esn, c->esn);
	/* a fresh SA has seen nothing */
	KUNIT_EXPECT_NULL(test, memchr_inv(r->bitmap, 0,
					   BITS_TO_LONGS(c->window) *
					   sizeof(unsigned long)));
	kipsec_replay_free(r);
}

static void kipsec_replay_alloc_limit_test(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, kipsec_replay_alloc(KIPSEC_REPLAY_MAX + 1,
						    false, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kipsec_replay_alloc(U32_MAX, true,
						    GFP_KERNEL));
	kipsec_replay_free(NULL);
}

/* ---- ESN inference ---- */

struct infer_case {
	const char *desc;
	u32 window;
	bool esn;
	u64 top;
	u32 seq_lo;
	u64 want;
};

static const struct infer_case infer_cases[] = {
	/* without ESN the 32 bits on the wire are the whole number */
	{ "no-esn", 64, false, 0x1234, 0xffffffff, 0xffffffff },
	{ "no-esn-low", 64, false, 0xfffffff0, 0x5, 0x5 },
	/*
	 * Nothing received: Tl = 0 < W - 1 is case B with Th = 0, Bl =
	 * 0 - 63 = 0xffffffc1. Below Bl: Th. At or above: Th - 1 would be
	 * before the first epoch, so the packet can only be in epoch 0.
	 */
	{ "start-1", 64, true, 0, 0x1, 0x1 },
	{ "start-high", 64, true, 0, 0xfffffff0, 0xfffffff0 },
	/* Tl = 0x10, case B, Th = 0, Bl = 0x10 - 63 = 0xffffffd1 */
	{ "b-th0-above-bl", 64, true, 0x10, 0xffffffe0, 0xffffffe0 },
	{ "b-th0-below-bl", 64, true, 0x10, 0x5, 0x5 },
	/* top 0x1_00001000, W 64: case A, Bl = 0x1000 - 63 = 0xfc1 */
	{ "a-inside", 64, true, 0x100001000, 0xff6, 0x100000ff6 },
	{ "a-ahead", 64, true, 0x100001000, 0x2000, 0x100002000 },
	{ "a-at-bl", 64, true, 0x100001000, 0xfc1, 0x100000fc1 },
	{ "a-below-bl", 64, true, 0x100001000, 0xfc0, 0x200000fc0 },
	/* top 0x1_fffffff0, W 64: case A, Bl = 0xffffffb1 */
	{ "a-wrap", 64, true, 0x1fffffff0, 0x5, 0x200000005 },
	{ "a-wrap-at-bl", 64, true, 0x1fffffff0, 0xffffffb1, 0x1ffffffb1 },
	{ "a-wrap-below-bl", 64, true, 0x1fffffff0, 0xffffffb0, 0x2ffffffb0 },
	/* Tl = 63 = W - 1 is still case A, Bl = 0: everything is epoch Th */
	{ "a-tl-w-1-zero", 64, true, 0x10000003f, 0x0, 0x100000000 },
	{ "a-tl-w-1-max", 64, true, 0x10000003f, 0xffffffff, 0x1ffffffff },
	/* Tl = 62 = W - 2 is case B, Bl = 62 - 63 = 0xffffffff */
	{ "b-tl-w-2-at-bl", 64, true, 0x10000003e, 0xffffffff, 0xffffffff },
	{ "b-tl-w-2-below", 64, true, 0x10000003e, 0xfffffffe, 0x1fffffffe },
	/*
	 * top 0x2_00000005, seq_lo 0xfffffff0: Tl = 5, case B for W >= 7
	 * with Bl = 6 - W (mod 2^32) = 2^32 + 6 - W; seq_lo = 2^32 - 16 is
	 * at or above it, so in epoch 1, for W >= 22; for W = 7..21 it is
	 * below, epoch 2; for W <= 6 case A with Bl = 6 - W: epoch 2.
	 */
	{ "b-w32", 32, true, 0x200000005, 0xfffffff0, 0x1fffffff0 },
	{ "b-w22", 22, true, 0x200000005, 0xfffffff0, 0x1fffffff0 },
	{ "b-w4096", 4096, true, 0x200000005, 0xfffffff0, 0x1fffffff0 },
	{ "b-w21", 21, true, 0x200000005, 0xfffffff0, 0x2fffffff0 },
	{ "a-w6", 6, true, 0x200000005, 0xfffffff0, 0x2fffffff0 },
	/* same top, W 64, Bl = 0xffffffc6: small seq_lo stays in epoch 2 */
	{ "b-current", 64, true, 0x200000005, 0x3, 0x200000003 },
	{ "b-ahead", 64, true, 0x200000005, 0x64, 0x200000064 },
	/* top 0x3_00000100, W 4096: case B, Bl = 256 - 4095 = 0xfffff101 */
	{ "b-w4096-at-bl", 4096, true, 0x300000100, 0xfffff101, 0x2fffff101 },
	{ "b-w4096-below", 4096, true, 0x300000100, 0xfffff100, 0x3fffff100 },
	/*
	 * Window 0 infers with W = 32. top 0x1_fffffff0: case A, Bl =
	 * 0xfffffff0 - 31 = 0xffffffd1. (With W = 0, Bl = Tl + 1 and a
	 * packet just behind top would land in epoch 2.)
	 */
	{ "w0-behind", 0, true, 0x1fffffff0, 0xffffffe0, 0x1ffffffe0 },
	{ "w0-at-bl", 0, true, 0x1fffffff0, 0xffffffd1, 0x1ffffffd1 },
	{ "w0-below-bl", 0, true, 0x1fffffff0, 0xffffffd0, 0x2ffffffd0 },
	{ "w0-wrap", 0, true, 0x1fffffff0, 0x5, 0x200000005 },
	/* window 0, top 0x1_00000004: case B, Bl = 4 - 31 = 0xffffffe5 */
	{ "w0-b", 0, true, 0x100000004, 0xfffffff0, 0xfffffff0 },
	/*
	 * The last epoch: the 64-bit counter must not cycle (section 3.3.3),
	 * so what case A would put in epoch Th + 1 stays in epoch Th.
	 */
	{ "a-last-epoch", 64, true, 0xfffffffffffffff0, 0x5,
	  0xffffffff00000005 },
};

static void infer_case_desc(const struct infer_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replay_infer, infer_cases, infer_case_desc);

static void kipsec_replay_infer_test(struct kunit *test)
{
	const struct infer_case *c = test->param_value;
	struct kipsec_replay *r = kipsec_replay_alloc(c->window, c->esn,
						      GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->top = c->top;
	KUNIT_EXPECT_EQ(test, kipsec_replay_infer(r, c->seq_lo), c->want);
	kipsec_replay_free(r);
}

/* ---- check and advance, as scripts of packets ---- */

enum replay_op {
	OP_END,
	OP_RX,		/* check, then advance: both give v */
	OP_CHK,		/* check only: gives v, changes nothing */
	OP_ADV,		/* advance only: gives v (a packet that raced) */
	OP_RXL,		/* infer seq from lo, then as OP_RX */
	OP_CHKL,	/* infer seq from lo, then as OP_CHK */
};

struct replay_step {
	enum replay_op op;
	u64 seq;
	enum kipsec_replay_verdict v;
	u32 lo;
};

#define RX(s, verdict) { OP_RX, s, KIPSEC_REPLAY_##verdict }
#define CHK(s, verdict) { OP_CHK, s, KIPSEC_REPLAY_##verdict }
#define ADV(s, verdict) { OP_ADV, s, KIPSEC_REPLAY_##verdict }
#define RXL(l, s, verdict) { OP_RXL, s, KIPSEC_REPLAY_##verdict, l }
#define CHKL(l, s, verdict) { OP_CHKL, s, KIPSEC_REPLAY_##verdict, l }

struct replay_case {
	const char *desc;
	u32 window;
	bool esn;
	struct replay_step steps[16];
	u64 top;	/* at the end */
};

static const struct replay_case replay_cases[] = {
	{ "first-packet", 64, false, {
		RX(1, OK),
		CHK(1, DUPLICATE),
	}, 1 },
	/* packets before the first one received may have been lost */
	{ "first-packet-high", 64, false, {
		RX(1000, OK),
		RX(999, OK),
		RX(937, OK),		/* 1000 - 937 = 63 */
		RX(936, TOO_OLD),	/* 1000 - 936 = 64 */
	}, 1000 },
	{ "in-order", 32, false, {
		RX(1, OK), RX(2, OK), RX(3, OK), RX(4, OK), RX(5, OK),
	}, 5 },
	{ "duplicate", 32, false, {
		RX(1, OK), RX(2, OK), RX(3, OK),
		RX(2, DUPLICATE), RX(3, DUPLICATE), RX(1, DUPLICATE),
	}, 3 },
	{ "reorder", 64, false, {
		RX(10, OK), RX(5, OK), RX(8, OK), RX(7, OK), RX(9, OK),
		RX(6, OK), RX(8, DUPLICATE), RX(11, OK), RX(4, OK),
		RX(10, DUPLICATE),
	}, 11 },
	/* the counter starts at 1: 0 is never valid, before or after */
	{ "seq-zero", 64, false, {
		RX(0, TOO_OLD),
		RX(1, OK),
		RX(0, TOO_OLD),
	}, 1 },
	{ "seq-zero-no-window", 0, false, {
		RX(0, TOO_OLD),
	}, 0 },
	/* W 1: only top itself is inside the window */
	{ "window-1", 1, false, {
		RX(5, OK), RX(5, DUPLICATE), RX(4, TOO_OLD), RX(6, OK),
	}, 6 },
	/*
	 * A jump of 74 > W = 64: nothing seen is left inside the window
	 * (15, 79]; 5 and 15 are left of it, 16 and 20 inside and unseen.
	 */
	{ "jump-clears", 64, false, {
		RX(1, OK), RX(2, OK), RX(3, OK), RX(4, OK), RX(5, OK),
		RX(79, OK),
		RX(5, TOO_OLD), RX(15, TOO_OLD),
		RX(16, OK), RX(20, OK),
		RX(79, DUPLICATE), RX(16, DUPLICATE),
	}, 79 },
	/* a jump of exactly W: 10 is just out, 11 just in and unseen */
	{ "jump-exact-window", 64, false, {
		RX(10, OK), RX(74, OK),
		RX(10, TOO_OLD), RX(11, OK), RX(74, DUPLICATE),
	}, 74 },
	/*
	 * W 100 after 30, 40 and a jump to 170, window (70, 170]: 158 and
	 * 168 (30 and 40 plus 128, a ring of 128 bits would put them at
	 * the same place) were never seen.
	 */
	{ "jump-w100", 100, false, {
		RX(30, OK), RX(40, OK), RX(170, OK),
		RX(158, OK), RX(168, OK),
		RX(30, TOO_OLD), RX(70, TOO_OLD), RX(71, OK),
		RX(158, DUPLICATE),
	}, 170 },
	/*
	 * W 100, sliding by less than the window each time:
	 * 10, 109 (window (9, 109]: 10 seen), 200 (window (100, 200]: 109
	 * seen, 138 not), 237 (window (137, 237]: 138 seen, 137 out).
	 */
	{ "slide-w100", 100, false, {
		RX(10, OK), RX(109, OK), RX(10, DUPLICATE),
		RX(200, OK), RX(109, DUPLICATE), RX(138, OK),
		RX(10, TOO_OLD), RX(100, TOO_OLD), RX(101, OK),
		RX(237, OK), RX(138, DUPLICATE), RX(137, TOO_OLD),
		RX(236, OK), RX(200, DUPLICATE),
	}, 237 },
	/*
	 * W 32 by slides of 30: window (58, 90] at the end; 65 (1 + 64, the
	 * same place as 1 in a ring of 32 or 64 bits) was never seen.
	 */
	{ "slide-w32", 32, false, {
		RX(1, OK), RX(30, OK), RX(60, OK), RX(90, OK),
		RX(65, OK), RX(60, DUPLICATE),
		RX(58, TOO_OLD), RX(59, OK),
	}, 90 },
	/* no window: duplicates pass, top still follows the highest */
	{ "window-0", 0, false, {
		RX(5, OK), RX(5, OK), RX(3, OK), RX(1, OK),
		RX(100, OK), RX(5, OK), RX(100, OK),
	}, 100 },
	/*
	 * Two copies of 7 both pass the check before either is decrypted;
	 * the first to finish is recorded, the second is a duplicate.
	 */
	{ "race-duplicate", 64, false, {
		RX(5, OK),
		CHK(7, OK), CHK(7, OK),
		ADV(7, OK), ADV(7, DUPLICATE),
	}, 7 },
	/*
	 * 5 and 6 pass the check, then 100 moves the window to (68, 100]
	 * before their decryption completes: both are now too old.
	 */
	{ "race-slid", 32, false, {
		RX(10, OK),
		CHK(5, OK), CHK(6, OK),
		ADV(100, OK),
		ADV(5, TOO_OLD), ADV(6, TOO_OLD),
		CHK(69, OK), CHK(68, TOO_OLD),
	}, 100 },
	/* without ESN the whole 32-bit space is usable */
	{ "no-esn-top", 64, false, {
		RX(0xffffffff, OK),
		RX(0xffffffc0, OK),	/* 0xffffffff - 0xffffffc0 = 63 */
		RX(0xffffffbf, TOO_OLD),
	}, 0xffffffff },
	/* the window across an epoch boundary, full 64-bit numbers */
	{ "esn-epoch", 64, true, {
		RX(0xfffffff0, OK),
		RX(0x100000005, OK),
		RX(0xfffffff0, DUPLICATE),
		RX(0xfffffff1, OK),
		RX(0xffffffc5, TOO_OLD),	/* 0x100000005 - 64 */
		RX(0xffffffc6, OK),
		RX(0x100000005, DUPLICATE),
	}, 0x100000005 },
	/*
	 * The receiver's view: only the low 32 bits arrive, W 64.
	 * lo fffffff0, top 0: case B, Th 0, epoch 0.
	 * lo ffffffe0, top 0xfffffff0: case A, Bl ffffffb1, epoch 0.
	 * lo 3: below Bl, epoch 1; top 0x1_00000003.
	 * Now Tl 3: case B, Bl = 3 - 63 = ffffffc4.
	 * lo fffffff0, fffffff1, ffffffc4: at or above Bl, epoch 0;
	 * 0x1_00000003 - 0xffffffc4 = 63, the left edge.
	 * lo ffffffc3: below Bl, epoch 1, far ahead: the check passes and
	 * it is the ICV, computed with the wrong Seqh, that drops it.
	 * lo 0x40: epoch 1, top 0x1_00000040 (a slide of 61).
	 * Now Tl 64: case A, Bl 1. lo 1: epoch 1, 63 behind top; lo 3:
	 * epoch 1, seen.
	 */
	{ "esn-stream", 64, true, {
		RXL(0xfffffff0, 0xfffffff0, OK),
		RXL(0xffffffe0, 0xffffffe0, OK),
		RXL(0x3, 0x100000003, OK),
		RXL(0xfffffff0, 0xfffffff0, DUPLICATE),
		RXL(0xfffffff1, 0xfffffff1, OK),
		RXL(0xffffffc4, 0xffffffc4, OK),
		CHKL(0xffffffc3, 0x1ffffffc3, OK),
		RXL(0x40, 0x100000040, OK),
		RXL(0x1, 0x100000001, OK),
		RXL(0x3, 0x100000003, DUPLICATE),
	}, 0x100000040 },
};

static void replay_case_desc(const struct replay_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replay_script, replay_cases, replay_case_desc);

/* run one step; false if it went wrong, to stop before errors cascade */
static bool replay_step(struct kunit *test, struct kipsec_replay *r,
			void *before, const struct replay_step *s,
			unsigned int i)
{
	size_t size = replay_size(r->window);
	enum kipsec_replay_verdict v;
	bool ok = true;

	if (s->op == OP_RXL || s->op == OP_CHKL) {
		u64 seq = kipsec_replay_infer(r, s->lo);

		KUNIT_EXPECT_EQ_MSG(test, seq, s->seq, "step %u: infer", i);
		if (seq != s->seq)
			return false;
	}

	if (s->op != OP_ADV) {
		memcpy(before, r, size);
		v = kipsec_replay_check(r, s->seq);
		KUNIT_EXPECT_EQ_MSG(test, v, s->v, "step %u: check %llx", i,
				    s->seq);
		ok &= v == s->v;
		KUNIT_EXPECT_EQ_MSG(test, memcmp(before, r, size), 0,
				    "step %u: check changed the state", i);
		ok &= !memcmp(before, r, size);
	}

	if (ok && s->op != OP_CHK && s->op != OP_CHKL) {
		memcpy(before, r, size);
		v = kipsec_replay_advance(r, s->seq);
		KUNIT_EXPECT_EQ_MSG(test, v, s->v, "step %u: advance %llx", i,
				    s->seq);
		ok &= v == s->v;
		/* a refused packet leaves no trace */
		if (s->v != KIPSEC_REPLAY_OK) {
			KUNIT_EXPECT_EQ_MSG(test, memcmp(before, r, size), 0,
					    "step %u: refused, state changed",
					    i);
			ok &= !memcmp(before, r, size);
		}
	}
	return ok;
}

static void kipsec_replay_script_test(struct kunit *test)
{
	const struct replay_case *c = test->param_value;
	struct kipsec_replay *r;
	unsigned int i;
	void *before;

	/* a copy of the state, to see that refusals change nothing */
	before = kunit_kzalloc(test, replay_size(c->window), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	r = kipsec_replay_alloc(c->window, c->esn, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (i = 0; i < ARRAY_SIZE(c->steps) && c->steps[i].op != OP_END; i++)
		if (!replay_step(test, r, before, &c->steps[i], i))
			break;
	KUNIT_EXPECT_EQ(test, r->top, c->top);
	kipsec_replay_free(r);
}

/*
 * The left edge for window W: with top T, T - (W - 1) is the oldest
 * sequence number inside the window, T - W the newest one outside. Once
 * top moves to T + 1, T - (W - 1) falls out and T - (W - 2), never seen,
 * becomes the edge. 100 is not a multiple of the word size.
 */
static const u32 edge_windows[] = { 32, 64, 100, KIPSEC_REPLAY_MAX };

static void edge_window_desc(const u32 *w, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "window-%u", *w);
}

KUNIT_ARRAY_PARAM(replay_edge, edge_windows, edge_window_desc);

static void kipsec_replay_edge_test(struct kunit *test)
{
	const u32 w = *(const u32 *)test->param_value;
	const u64 t = 10000;
	const struct replay_step steps[] = {
		RX(t, OK),
		RX(t - (w - 1), OK),
		RX(t - w, TOO_OLD),
		RX(t - w - 1, TOO_OLD),
		RX(t - (w - 1), DUPLICATE),
		RX(t + 1, OK),
		RX(t - (w - 1), TOO_OLD),
		RX(t - (w - 2), OK),
		RX(t - (w - 2), DUPLICATE),
	};
	struct kipsec_replay *r;
	unsigned int i;
	void *before;

	before = kunit_kzalloc(test, replay_size(w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	r = kipsec_replay_alloc(w, false, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (i = 0; i < ARRAY_SIZE(steps); i++)
		if (!replay_step(test, r, before, &steps[i], i))
			break;
	KUNIT_EXPECT_EQ(test, r->top, t + 1);
	kipsec_replay_free(r);
}

static struct kunit_case kipsec_replay_cases[] = {
	KUNIT_CASE_PARAM(kipsec_replay_alloc_test, replay_alloc_gen_params),
	KUNIT_CASE(kipsec_replay_alloc_limit_test),
	KUNIT_CASE_PARAM(kipsec_replay_infer_test, replay_infer_gen_params),
	KUNIT_CASE_PARAM(kipsec_replay_script_test, replay_script_gen_params),
	KUNIT_CASE_PARAM(kipsec_replay_edge_test, replay_edge_gen_params),
	{}
};

static struct kunit_suite kipsec_replay_suite = {
	.name = "kipsec_replay",
	.test_cases = kipsec_replay_cases,
};

kunit_test_suite(kipsec_replay_suite);
