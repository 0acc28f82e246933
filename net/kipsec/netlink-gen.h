/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/kipsec.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_KIPSEC_GEN_H
#define _LINUX_KIPSEC_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/kipsec.h>

/* Common nested types */
extern const struct nla_policy kipsec_alg_nl_policy[KIPSEC_A_ALG_KEY_LEN + 1];
extern const struct nla_policy kipsec_lifetime_nl_policy[KIPSEC_A_LIFETIME_PAD + 1];
extern const struct nla_policy kipsec_selector_nl_policy[KIPSEC_A_SELECTOR_ICMP_CODE + 1];
extern const struct nla_policy kipsec_template_nl_policy[KIPSEC_A_TEMPLATE_DADDR_IPV6 + 1];

int kipsec_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_set_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kipsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_sa_alloc_spi_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_new_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int kipsec_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_policy_flush_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_encap_set_doit(struct sk_buff *skb, struct genl_info *info);
int kipsec_nl_encap_del_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	KIPSEC_NLGRP_EVENTS,
};

extern struct genl_family kipsec_nl_family;

#endif /* _LINUX_KIPSEC_GEN_H */
