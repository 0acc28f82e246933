// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec stats: why the namespace's data path dropped packets (netlink
 * stats-get), one counter per line under the spec's attribute name.
 */
#include <inttypes.h>
#include <string.h>
#include <linux/kipsec.h>

#include "nl.h"

/* The spec's counters, in its order, under its names. */
const struct name_val drop_counter_names[] = {
	{ "in-malformed",	KIPSEC_A_STATS_IN_MALFORMED },
	{ "in-nomem",		KIPSEC_A_STATS_IN_NOMEM },
	{ "in-sa-invalid",	KIPSEC_A_STATS_IN_SA_INVALID },
	{ "in-replay",		KIPSEC_A_STATS_IN_REPLAY },
	{ "in-integrity",	KIPSEC_A_STATS_IN_INTEGRITY },
	{ "in-trailer",		KIPSEC_A_STATS_IN_TRAILER },
	{ "in-selector",	KIPSEC_A_STATS_IN_SELECTOR },
	{ "in-policy",		KIPSEC_A_STATS_IN_POLICY },
	{ "in-discard",		KIPSEC_A_STATS_IN_DISCARD },
	{ "in-crypto",		KIPSEC_A_STATS_IN_CRYPTO },
	{ "out-no-policy",	KIPSEC_A_STATS_OUT_NO_POLICY },
	{ "out-discard",	KIPSEC_A_STATS_OUT_DISCARD },
	{ "out-no-sa",		KIPSEC_A_STATS_OUT_NO_SA },
	{ "out-seq-overflow",	KIPSEC_A_STATS_OUT_SEQ_OVERFLOW },
	{ "out-expired",	KIPSEC_A_STATS_OUT_EXPIRED },
	{ "out-nomem",		KIPSEC_A_STATS_OUT_NOMEM },
	{ "out-no-route",	KIPSEC_A_STATS_OUT_NO_ROUTE },
	{ "out-too-big",	KIPSEC_A_STATS_OUT_TOO_BIG },
	{ "out-crypto",		KIPSEC_A_STATS_OUT_CRYPTO },
	{ "out-malformed",	KIPSEC_A_STATS_OUT_MALFORMED },
	{ "in-encap-mismatch",	KIPSEC_A_STATS_IN_ENCAP_MISMATCH },
};
const size_t drop_counter_count = ARRAY_SIZE(drop_counter_names);

_Static_assert(KIPSEC_A_STATS_MAX < 64, "presence bits: one u64");
_Static_assert(KIPSEC_A_STATS_MAX < ARRAY_SIZE(((struct drop_stats *)0)->val),
	       "struct drop_stats too small for the stats attribute set");
/* every attribute of the set but the pad has a name */
_Static_assert(ARRAY_SIZE(drop_counter_names) == KIPSEC_A_STATS_PAD - 1,
	       "drop_counter_names does not list every counter");

/* Every counter is a u64; the pad (and anything unknown) is skipped. */
static const struct attr_policy stats_pol[KIPSEC_A_STATS_MAX + 1] = {
	[KIPSEC_A_STATS_IN_MALFORMED] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_NOMEM] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_SA_INVALID] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_REPLAY] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_INTEGRITY] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_TRAILER] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_SELECTOR] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_POLICY] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_DISCARD] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_CRYPTO] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_NO_POLICY] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_DISCARD] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_NO_SA] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_SEQ_OVERFLOW] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_EXPIRED] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_NOMEM] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_NO_ROUTE] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_TOO_BIG] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_CRYPTO] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_OUT_MALFORMED] = { MNL_TYPE_U64 },
	[KIPSEC_A_STATS_IN_ENCAP_MISMATCH] = { MNL_TYPE_U64 },
};

void drop_stats_decode(const struct nlmsghdr *nlh, struct drop_stats *s)
{
	const struct nlattr *tb[KIPSEC_A_STATS_MAX + 1];
	size_t i;

	memset(s, 0, sizeof(*s));
	genl_parse(nlh, stats_pol, KIPSEC_A_STATS_MAX, tb);
	for (i = 0; i < drop_counter_count; i++) {
		unsigned int type = drop_counter_names[i].val;

		if (!tb[type])
			continue;
		s->val[type] = mnl_attr_get_u64(tb[type]);
		s->set |= BIT(type);
	}
}

/* "NAME VALUE" per counter the kernel reported, in the spec's order. */
void drop_stats_print(FILE *f, const struct drop_stats *s)
{
	size_t i;

	for (i = 0; i < drop_counter_count; i++) {
		unsigned int type = drop_counter_names[i].val;

		if (s->set & BIT(type))
			fprintf(f, "%s %" PRIu64 "\n",
				drop_counter_names[i].name, s->val[type]);
	}
}

void drop_stats_json(struct json *j, const struct drop_stats *s)
{
	size_t i;

	json_open_obj(j, NULL);
	for (i = 0; i < drop_counter_count; i++) {
		unsigned int type = drop_counter_names[i].val;

		if (s->set & BIT(type))
			json_uint(j, drop_counter_names[i].name, s->val[type]);
	}
	json_close_obj(j);
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	drop_stats_decode(nlh, data);
	return MNL_CB_OK;
}

static int stats_show(struct args *a, const struct opts *o)
{
	struct drop_stats s = { 0 };
	struct nlmsghdr *nlh;
	struct json j;
	struct nl nl;
	int ret;

	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (genl_open(&nl))
		return EXIT_FAIL;
	nlh = genl_msg(&nl, KIPSEC_CMD_STATS_GET, 0);
	ret = nl_do(&nl, nlh, a->command, stats_cb, &s);
	nl_close(&nl);
	if (ret)
		return EXIT_FAIL;
	if (o->json) {
		json_init(&j, stdout);
		drop_stats_json(&j, &s);
	} else {
		drop_stats_print(stdout, &s);
	}
	return EXIT_OK;
}

static void stats_usage(FILE *f)
{
	fputs("Usage: kipsec [-j] stats [ show ]\n", f);
}

static const struct command stats_cmds[] = {
	{ "show", stats_show },
};

const struct object stats_object = {
	"stats", stats_cmds, ARRAY_SIZE(stats_cmds), "show", stats_usage,
};
