// SPDX-License-Identifier: GPL-2.0
/* kipsec limits: the per-namespace SA and policy limits. */
#include <string.h>
#include <linux/kipsec.h>

#include "nl.h"

struct limits {
	uint64_t set;
	uint32_t max_sas, max_policies, sa_count, policy_count;
};

static const struct scalar limits_scalars[] = {
	SCALAR(struct limits, max_sas, KIPSEC_A_LIMITS_MAX_SAS, false),
	SCALAR(struct limits, max_policies, KIPSEC_A_LIMITS_MAX_POLICIES, false),
	SCALAR(struct limits, sa_count, KIPSEC_A_LIMITS_SA_COUNT, false),
	SCALAR(struct limits, policy_count, KIPSEC_A_LIMITS_POLICY_COUNT, false),
};

static const struct attr_policy limits_pol[KIPSEC_A_LIMITS_MAX + 1];

static int limits_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[KIPSEC_A_LIMITS_MAX + 1];
	struct limits *l = data;

	genl_parse(nlh, limits_pol, KIPSEC_A_LIMITS_MAX, tb);
	nl_get_scalars(tb, l, &l->set, limits_scalars,
		       ARRAY_SIZE(limits_scalars));
	return MNL_CB_OK;
}

static int limits_request(struct args *a, uint8_t cmd, struct limits *l)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (genl_open(&nl))
		return EXIT_FAIL;
	nlh = genl_msg(&nl, cmd, 0);
	nl_put_scalars(nlh, l, l->set, limits_scalars,
		       ARRAY_SIZE(limits_scalars));
	l->set = 0;
	ret = nl_do(&nl, nlh, a->command, limits_cb, l);
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int limits_show(struct args *a, const struct opts *o)
{
	struct limits l = { 0 };
	struct json j;

	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (limits_request(a, KIPSEC_CMD_LIMITS_GET, &l))
		return EXIT_FAIL;
	if (!o->json) {
		printf("max-sas %u max-policies %u sa-count %u policy-count %u\n",
		       l.max_sas, l.max_policies, l.sa_count, l.policy_count);
		return EXIT_OK;
	}
	json_init(&j, stdout);
	json_open_obj(&j, NULL);
	json_uint(&j, "max_sas", l.max_sas);
	json_uint(&j, "max_policies", l.max_policies);
	json_uint(&j, "sa_count", l.sa_count);
	json_uint(&j, "policy_count", l.policy_count);
	json_close_obj(&j);
	return EXIT_OK;
}

static int limits_set(struct args *a, const struct opts *o)
{
	struct limits l = { 0 };
	const char *w;

	(void)o;
	while ((w = args_next(a))) {
		if (!strcmp(w, "max-sas")) {
			l.max_sas = arg_u32(a, w);
			l.set |= BIT(KIPSEC_A_LIMITS_MAX_SAS);
		} else if (!strcmp(w, "max-policies")) {
			l.max_policies = arg_u32(a, w);
			l.set |= BIT(KIPSEC_A_LIMITS_MAX_POLICIES);
		} else {
			unknown_keyword(a, w);
		}
	}
	return limits_request(a, KIPSEC_CMD_LIMITS_SET, &l);
}

static void limits_usage(FILE *f)
{
	fputs("Usage: kipsec [-j] limits [ show ]\n"
	      "       kipsec limits set [max-sas N] [max-policies N]\n", f);
}

static const struct command limits_cmds[] = {
	{ "show", limits_show },
	{ "set", limits_set },
};

const struct object limits_object = {
	"limits", limits_cmds, ARRAY_SIZE(limits_cmds), "show", limits_usage,
};
