// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/kipsec.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/kipsec.h>

/* Integer value ranges */
static const struct netlink_range_validation kipsec_a_sa_tfc_pad_range = {
	.max	= 65535ULL,
};

static const struct netlink_range_validation kipsec_a_limits_max_sas_range = {
	.min	= 1ULL,
	.max	= KIPSEC_SA_LIMIT_MAX,
};

static const struct netlink_range_validation kipsec_a_limits_max_policies_range = {
	.min	= 1ULL,
	.max	= KIPSEC_SA_LIMIT_MAX,
};

/* Common nested types */
const struct nla_policy kipsec_alg_nl_policy[KIPSEC_A_ALG_KEY_LEN + 1] = {
	[KIPSEC_A_ALG_ID] = { .type = NLA_U16, },
	[KIPSEC_A_ALG_KEY] = { .type = NLA_BINARY, },
	[KIPSEC_A_ALG_ICV_LEN] = { .type = NLA_U8, },
	[KIPSEC_A_ALG_KEY_LEN] = { .type = NLA_U16, },
};

const struct nla_policy kipsec_lifetime_nl_policy[KIPSEC_A_LIFETIME_PAD + 1] = {
	[KIPSEC_A_LIFETIME_BYTES] = { .type = NLA_U64, },
	[KIPSEC_A_LIFETIME_PACKETS] = { .type = NLA_U64, },
	[KIPSEC_A_LIFETIME_SECONDS] = { .type = NLA_U64, },
};

const struct nla_policy kipsec_selector_nl_policy[KIPSEC_A_SELECTOR_ICMP_CODE + 1] = {
	[KIPSEC_A_SELECTOR_SADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SELECTOR_SADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SELECTOR_SPREFIX] = NLA_POLICY_MAX(NLA_U8, 128),
	[KIPSEC_A_SELECTOR_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SELECTOR_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SELECTOR_DPREFIX] = NLA_POLICY_MAX(NLA_U8, 128),
	[KIPSEC_A_SELECTOR_PROTO] = { .type = NLA_U8, },
	[KIPSEC_A_SELECTOR_SPORT_MIN] = { .type = NLA_U16, },
	[KIPSEC_A_SELECTOR_SPORT_MAX] = { .type = NLA_U16, },
	[KIPSEC_A_SELECTOR_DPORT_MIN] = { .type = NLA_U16, },
	[KIPSEC_A_SELECTOR_DPORT_MAX] = { .type = NLA_U16, },
	[KIPSEC_A_SELECTOR_ICMP_TYPE] = { .type = NLA_U8, },
	[KIPSEC_A_SELECTOR_ICMP_CODE] = { .type = NLA_U8, },
};

const struct nla_policy kipsec_template_nl_policy[KIPSEC_A_TEMPLATE_DADDR_IPV6 + 1] = {
	[KIPSEC_A_TEMPLATE_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
	[KIPSEC_A_TEMPLATE_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[KIPSEC_A_TEMPLATE_REQID] = { .type = NLA_U32, },
	[KIPSEC_A_TEMPLATE_SADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_TEMPLATE_SADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_TEMPLATE_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_TEMPLATE_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
};

/* KIPSEC_CMD_SA_NEW - do */
static const struct nla_policy kipsec_sa_new_nl_policy[KIPSEC_A_SA_TFC_PAD + 1] = {
	[KIPSEC_A_SA_SPI] = { .type = NLA_U32, },
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
	[KIPSEC_A_SA_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[KIPSEC_A_SA_SADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_SADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SA_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SA_CRYPT] = NLA_POLICY_NESTED(kipsec_alg_nl_policy),
	[KIPSEC_A_SA_AUTH] = NLA_POLICY_NESTED(kipsec_alg_nl_policy),
	[KIPSEC_A_SA_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32, KIPSEC_REPLAY_WINDOW_MAX),
	[KIPSEC_A_SA_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
	[KIPSEC_A_SA_LIFETIME_SOFT] = NLA_POLICY_NESTED(kipsec_lifetime_nl_policy),
	[KIPSEC_A_SA_LIFETIME_HARD] = NLA_POLICY_NESTED(kipsec_lifetime_nl_policy),
	[KIPSEC_A_SA_IF_ID] = { .type = NLA_U32, },
	[KIPSEC_A_SA_REQID] = { .type = NLA_U32, },
	[KIPSEC_A_SA_ENCAP_SPORT] = { .type = NLA_U16, },
	[KIPSEC_A_SA_ENCAP_DPORT] = { .type = NLA_U16, },
	[KIPSEC_A_SA_TFC_PAD] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_a_sa_tfc_pad_range),
};

/* KIPSEC_CMD_SA_SET - do */
static const struct nla_policy kipsec_sa_set_nl_policy[KIPSEC_A_SA_TFC_PAD + 1] = {
	[KIPSEC_A_SA_SPI] = { .type = NLA_U32, },
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
	[KIPSEC_A_SA_MODE] = NLA_POLICY_MAX(NLA_U8, 1),
	[KIPSEC_A_SA_SADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_SADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SA_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SA_CRYPT] = NLA_POLICY_NESTED(kipsec_alg_nl_policy),
	[KIPSEC_A_SA_AUTH] = NLA_POLICY_NESTED(kipsec_alg_nl_policy),
	[KIPSEC_A_SA_REPLAY_WINDOW] = NLA_POLICY_MAX(NLA_U32, KIPSEC_REPLAY_WINDOW_MAX),
	[KIPSEC_A_SA_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
	[KIPSEC_A_SA_LIFETIME_SOFT] = NLA_POLICY_NESTED(kipsec_lifetime_nl_policy),
	[KIPSEC_A_SA_LIFETIME_HARD] = NLA_POLICY_NESTED(kipsec_lifetime_nl_policy),
	[KIPSEC_A_SA_IF_ID] = { .type = NLA_U32, },
	[KIPSEC_A_SA_REQID] = { .type = NLA_U32, },
	[KIPSEC_A_SA_ENCAP_SPORT] = { .type = NLA_U16, },
	[KIPSEC_A_SA_ENCAP_DPORT] = { .type = NLA_U16, },
	[KIPSEC_A_SA_TFC_PAD] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_a_sa_tfc_pad_range),
};

/* KIPSEC_CMD_SA_GET - do */
static const struct nla_policy kipsec_sa_get_nl_policy[KIPSEC_A_SA_DADDR_IPV6 + 1] = {
	[KIPSEC_A_SA_SPI] = { .type = NLA_U32, },
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
	[KIPSEC_A_SA_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
};

/* KIPSEC_CMD_SA_DEL - do */
static const struct nla_policy kipsec_sa_del_nl_policy[KIPSEC_A_SA_DADDR_IPV6 + 1] = {
	[KIPSEC_A_SA_SPI] = { .type = NLA_U32, },
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
	[KIPSEC_A_SA_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
};

/* KIPSEC_CMD_SA_FLUSH - do */
static const struct nla_policy kipsec_sa_flush_nl_policy[KIPSEC_A_SA_PROTO + 1] = {
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
};

/* KIPSEC_CMD_SA_ALLOC_SPI - do */
static const struct nla_policy kipsec_sa_alloc_spi_nl_policy[KIPSEC_A_SA_LARVAL_TIMEOUT + 1] = {
	[KIPSEC_A_SA_PROTO] = NLA_POLICY_RANGE(NLA_U8, 50, 51),
	[KIPSEC_A_SA_SADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_SADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SA_DADDR_IPV4] = { .type = NLA_U32, },
	[KIPSEC_A_SA_DADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[KIPSEC_A_SA_SPI_MIN] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_A_SA_SPI_MAX] = NLA_POLICY_MIN(NLA_U32, 256),
	[KIPSEC_A_SA_LARVAL_TIMEOUT] = NLA_POLICY_RANGE(NLA_U32, 1, 3600),
	[KIPSEC_A_SA_REQID] = { .type = NLA_U32, },
};

/* KIPSEC_CMD_POLICY_NEW - do */
static const struct nla_policy kipsec_policy_new_nl_policy[KIPSEC_A_POLICY_TEMPLATE + 1] = {
	[KIPSEC_A_POLICY_DIR] = NLA_POLICY_MAX(NLA_U8, 2),
	[KIPSEC_A_POLICY_PRIORITY] = { .type = NLA_U32, },
	[KIPSEC_A_POLICY_ACTION] = NLA_POLICY_MAX(NLA_U8, 2),
	[KIPSEC_A_POLICY_IF_ID] = { .type = NLA_U32, },
	[KIPSEC_A_POLICY_SELECTOR] = NLA_POLICY_NESTED(kipsec_selector_nl_policy),
	[KIPSEC_A_POLICY_TEMPLATE] = NLA_POLICY_NESTED(kipsec_template_nl_policy),
};

/* KIPSEC_CMD_POLICY_GET - do */
static const struct nla_policy kipsec_policy_get_nl_policy[KIPSEC_A_POLICY_ID + 1] = {
	[KIPSEC_A_POLICY_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* KIPSEC_CMD_POLICY_DEL - do */
static const struct nla_policy kipsec_policy_del_nl_policy[KIPSEC_A_POLICY_SELECTOR + 1] = {
	[KIPSEC_A_POLICY_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KIPSEC_A_POLICY_DIR] = NLA_POLICY_MAX(NLA_U8, 2),
	[KIPSEC_A_POLICY_IF_ID] = { .type = NLA_U32, },
	[KIPSEC_A_POLICY_SELECTOR] = NLA_POLICY_NESTED(kipsec_selector_nl_policy),
};

/* KIPSEC_CMD_POLICY_FLUSH - do */
static const struct nla_policy kipsec_policy_flush_nl_policy[KIPSEC_A_POLICY_DIR + 1] = {
	[KIPSEC_A_POLICY_DIR] = NLA_POLICY_MAX(NLA_U8, 2),
};

/* KIPSEC_CMD_LIMITS_SET - do */
static const struct nla_policy kipsec_limits_set_nl_policy[KIPSEC_A_LIMITS_MAX_POLICIES + 1] = {
	[KIPSEC_A_LIMITS_MAX_SAS] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_a_limits_max_sas_range),
	[KIPSEC_A_LIMITS_MAX_POLICIES] = NLA_POLICY_FULL_RANGE(NLA_U32, &kipsec_a_limits_max_policies_range),
};

/* KIPSEC_CMD_ENCAP_SET - do */
static const struct nla_policy kipsec_encap_set_nl_policy[KIPSEC_A_ENCAP_FD + 1] = {
	[KIPSEC_A_ENCAP_FD] = { .type = NLA_U32, },
};

/* Ops table for kipsec */
static const struct genl_split_ops kipsec_nl_ops[] = {
	{
		.cmd		= KIPSEC_CMD_SA_NEW,
		.doit		= kipsec_nl_sa_new_doit,
		.policy		= kipsec_sa_new_nl_policy,
		.maxattr	= KIPSEC_A_SA_TFC_PAD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_SA_SET,
		.doit		= kipsec_nl_sa_set_doit,
		.policy		= kipsec_sa_set_nl_policy,
		.maxattr	= KIPSEC_A_SA_TFC_PAD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_SA_GET,
		.doit		= kipsec_nl_sa_get_doit,
		.policy		= kipsec_sa_get_nl_policy,
		.maxattr	= KIPSEC_A_SA_DADDR_IPV6,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPSEC_CMD_SA_GET,
		.dumpit	= kipsec_nl_sa_get_dumpit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= KIPSEC_CMD_SA_DEL,
		.doit		= kipsec_nl_sa_del_doit,
		.policy		= kipsec_sa_del_nl_policy,
		.maxattr	= KIPSEC_A_SA_DADDR_IPV6,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_SA_FLUSH,
		.doit		= kipsec_nl_sa_flush_doit,
		.policy		= kipsec_sa_flush_nl_policy,
		.maxattr	= KIPSEC_A_SA_PROTO,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_SA_ALLOC_SPI,
		.doit		= kipsec_nl_sa_alloc_spi_doit,
		.policy		= kipsec_sa_alloc_spi_nl_policy,
		.maxattr	= KIPSEC_A_SA_LARVAL_TIMEOUT,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_NEW,
		.doit		= kipsec_nl_policy_new_doit,
		.policy		= kipsec_policy_new_nl_policy,
		.maxattr	= KIPSEC_A_POLICY_TEMPLATE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_GET,
		.doit		= kipsec_nl_policy_get_doit,
		.policy		= kipsec_policy_get_nl_policy,
		.maxattr	= KIPSEC_A_POLICY_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPSEC_CMD_POLICY_GET,
		.dumpit	= kipsec_nl_policy_get_dumpit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_DEL,
		.doit		= kipsec_nl_policy_del_doit,
		.policy		= kipsec_policy_del_nl_policy,
		.maxattr	= KIPSEC_A_POLICY_SELECTOR,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_POLICY_FLUSH,
		.doit		= kipsec_nl_policy_flush_doit,
		.policy		= kipsec_policy_flush_nl_policy,
		.maxattr	= KIPSEC_A_POLICY_DIR,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPSEC_CMD_LIMITS_GET,
		.doit	= kipsec_nl_limits_get_doit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_LIMITS_SET,
		.doit		= kipsec_nl_limits_set_doit,
		.policy		= kipsec_limits_set_nl_policy,
		.maxattr	= KIPSEC_A_LIMITS_MAX_POLICIES,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPSEC_CMD_STATS_GET,
		.doit	= kipsec_nl_stats_get_doit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= KIPSEC_CMD_ENCAP_SET,
		.doit		= kipsec_nl_encap_set_doit,
		.policy		= kipsec_encap_set_nl_policy,
		.maxattr	= KIPSEC_A_ENCAP_FD,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= KIPSEC_CMD_ENCAP_DEL,
		.doit	= kipsec_nl_encap_del_doit,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group kipsec_nl_mcgrps[] = {
	[KIPSEC_NLGRP_EVENTS] = { "events", },
};

struct genl_family kipsec_nl_family __ro_after_init = {
	.name		= KIPSEC_FAMILY_NAME,
	.version	= KIPSEC_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= kipsec_nl_ops,
	.n_split_ops	= ARRAY_SIZE(kipsec_nl_ops),
	.mcgrps		= kipsec_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kipsec_nl_mcgrps),
};
