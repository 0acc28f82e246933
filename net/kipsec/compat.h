/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels kipsec builds against:
 * 6.12 (the test kernel) and 6.1 (Debian 12's stock kernel). Features are
 * detected, not versions: macros by #ifdef, and the generic netlink split
 * ops (6.2) by the Makefile, which looks for them in the kernel's headers
 * and defines KIPSEC_HAVE_SPLIT_OPS.
 */
#ifndef _KIPSEC_COMPAT_H
#define _KIPSEC_COMPAT_H

#include <crypto/aead.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <uapi/linux/kipsec.h>

static inline void kipsec_set_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_NETNS_LOCAL
	dev->features |= NETIF_F_NETNS_LOCAL;
#else
	dev->netns_immutable = true;	/* a field in 6.12.y and 6.15+ */
#endif
}

/*
 * 6.1 has no formatted extack messages: send the format itself, which
 * still names the attribute, without the values.
 */
#ifndef NL_SET_ERR_MSG_FMT
#define NL_SET_ERR_MSG_FMT(extack, fmt, args...) NL_SET_ERR_MSG(extack, fmt)
#endif
#ifndef NL_SET_ERR_MSG_ATTR_FMT
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...) \
	NL_SET_ERR_MSG_ATTR(extack, attr, fmt)
#endif

#ifdef KIPSEC_HAVE_SPLIT_OPS
#define kipsec_genl_register_family genl_register_family
#else
/* crypto_has_aead() and genlmsg_iput() came with the split ops too. */
static inline int crypto_has_aead(const char *alg_name, u32 type, u32 mask)
{
	return crypto_has_alg(alg_name, CRYPTO_ALG_TYPE_AEAD,
			      CRYPTO_ALG_TYPE_MASK);
}

extern struct genl_family kipsec_nl_family;

static inline void *genlmsg_iput(struct sk_buff *skb,
				 const struct genl_info *info)
{
	return genlmsg_put(skb, info->snd_portid, info->snd_seq,
			   &kipsec_nl_family, 0, info->genlhdr->cmd);
}

/*
 * netlink-gen.c is compiled with this header forced in (see Makefile), so
 * its split-op table becomes a genl_ops table; at registration each
 * command's dump op is folded into its do op, since 6.1 wants one op per
 * command.
 */
#define genl_split_ops genl_ops
#define split_ops ops
#define n_split_ops n_ops

static inline int kipsec_genl_register_family(struct genl_family *family)
{
	static struct genl_ops ops[KIPSEC_CMD_MAX];
	unsigned int i, n = 0;

	for (i = 0; i < family->n_ops; i++) {
		const struct genl_ops *op = &family->ops[i];

		if (n && ops[n - 1].cmd == op->cmd) {
			ops[n - 1].dumpit = op->dumpit;
			continue;
		}
		ops[n++] = *op;
	}
	family->ops = ops;
	family->n_ops = n;
	return genl_register_family(family);
}
#endif /* KIPSEC_HAVE_SPLIT_OPS */

/* skb_gso_segment() moved out of netdevice.h in 6.5. */
#ifdef KIPSEC_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

#endif /* _KIPSEC_COMPAT_H */
