// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: turns requests into SAD and SPD operations.
 * The policies generated from the YAML spec (netlink-gen.c) check types,
 * lengths and ranges; this file checks meaning, and every rejection says in
 * its extack message which attribute is wrong and why. Nothing changes a
 * database before a request has been parsed and checked in full.
 */
#include <linux/crypto.h>
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <crypto/skcipher.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <linux/inetdevice.h>

#include "compat.h"
#include "encap.h"
#include "input.h"
#include "netlink.h"
#include "netlink-gen.h"
#include "netns.h"
#include "stats.h"

static struct kipsec_net *kipsec_nl_net(struct genl_info *info)
{
	return kipsec_net(genl_info_net(info));
}

/* A required attribute is missing: say which, and mark it for extack. */
static bool kipsec_nl_missing(struct netlink_ext_ack *extack,
			      struct nlattr *nest, struct nlattr **tb,
			      int type, const char *name)
{
	if (tb[type])
		return false;
	NL_SET_ERR_ATTR_MISS(extack, nest, type);
	NL_SET_ERR_MSG_FMT(extack, "%s is required", name);
	return true;
}

/* An address given as one of a v4/v6 attribute pair; family 0 if neither. */
static int kipsec_nl_get_addr(struct netlink_ext_ack *extack,
			      struct nlattr *v4, struct nlattr *v6,
			      const char *name, union kipsec_addr *addr,
			      u8 *family)
{
	*family = 0;
	if (v4 && v6) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, v6,
					"%s: give an IPv4 or an IPv6 address, not both",
					name);
		return -EINVAL;
	}
	if (v4) {
		addr->a4 = nla_get_in_addr(v4);
		*family = AF_INET;
	} else if (v6) {
		addr->a6 = nla_get_in6_addr(v6);
		*family = AF_INET6;
	}
	return 0;
}

static int kipsec_nl_get_addr_req(struct netlink_ext_ack *extack,
				  struct nlattr *nest, struct nlattr **tb,
				  int v4, int v6, const char *name,
				  union kipsec_addr *addr, u8 *family)
{
	int ret = kipsec_nl_get_addr(extack, tb[v4], tb[v6], name, addr,
				     family);

	if (ret)
		return ret;
	if (!*family) {
		NL_SET_ERR_ATTR_MISS(extack, nest, v4);
		NL_SET_ERR_MSG_FMT(extack, "%s-ipv4 or %s-ipv6 is required",
				   name, name);
		return -EINVAL;
	}
	return 0;
}

static int kipsec_nl_put_addr(struct sk_buff *skb, int v4, int v6, u8 family,
			      const union kipsec_addr *addr)
{
	if (family == AF_INET)
		return nla_put_in_addr(skb, v4, addr->a4);
	return nla_put_in6_addr(skb, v6, &addr->a6);
}

/* ---- security associations ---- */

static int kipsec_nl_parse_sa_dst(struct genl_info *info,
				  struct kipsec_sa_id *id)
{
	struct nlattr **tb = info->attrs;

	if (kipsec_nl_missing(info->extack, NULL, tb, KIPSEC_A_SA_PROTO,
			      "proto"))
		return -EINVAL;
	id->proto = nla_get_u8(tb[KIPSEC_A_SA_PROTO]);
	return kipsec_nl_get_addr_req(info->extack, NULL, tb,
				      KIPSEC_A_SA_DADDR_IPV4,
				      KIPSEC_A_SA_DADDR_IPV6, "daddr",
				      &id->daddr, &id->family);
}

static int kipsec_nl_parse_sa_id(struct genl_info *info,
				 struct kipsec_sa_id *id)
{
	struct nlattr *attr = info->attrs[KIPSEC_A_SA_SPI];

	memset(id, 0, sizeof(*id));
	if (kipsec_nl_missing(info->extack, NULL, info->attrs,
			      KIPSEC_A_SA_SPI, "spi"))
		return -EINVAL;
	id->spi = nla_get_be32(attr);
	if (ntohl(id->spi) < 256) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "spi: 0 is invalid and 1-255 are reserved (RFC 4303)");
		return -EINVAL;
	}
	return kipsec_nl_parse_sa_dst(info, id);
}

/* The source: required, and of the destination's family. */
static int kipsec_nl_parse_sa_src(struct genl_info *info,
				  struct kipsec_sa_config *cfg)
{
	u8 family;
	int ret;

	ret = kipsec_nl_get_addr_req(info->extack, NULL, info->attrs,
				     KIPSEC_A_SA_SADDR_IPV4,
				     KIPSEC_A_SA_SADDR_IPV6, "saddr",
				     &cfg->saddr, &family);
	if (ret)
		return ret;
	if (family != cfg->id.family) {
		NL_SET_ERR_MSG(info->extack,
			       "saddr and daddr must be of one family");
		return -EINVAL;
	}
	return 0;
}

/* Whether this kernel's crypto API can instantiate the algorithm. */
static bool kipsec_nl_crypto_has(const struct kipsec_alg *alg)
{
	if (alg->aead)
		return crypto_has_aead(alg->kname, 0, 0);
	if (alg->type == KIPSEC_ALG_CRYPT)
		return crypto_has_skcipher(alg->kname, 0, 0);
	return crypto_has_ahash(alg->kname, 0, 0);
}

static void kipsec_nl_key_lens(const struct kipsec_alg *alg, char *buf,
			       size_t size)
{
	int i, n = 0;

	for (i = 0; i < KIPSEC_KEY_LENS && (i == 0 || alg->key_lens[i]); i++)
		n += scnprintf(buf + n, size - n, "%s%u", i ? " or " : "",
			       alg->key_lens[i]);
}

static int kipsec_nl_parse_alg(struct netlink_ext_ack *extack,
			       struct nlattr *nest, enum kipsec_alg_type type,
			       const char *name, u32 flags,
			       const struct kipsec_alg **algp, u8 *key,
			       u8 *key_len)
{
	struct nlattr *tb[KIPSEC_A_ALG_MAX + 1];
	const struct kipsec_alg *alg;
	unsigned int len;
	char lens[32];
	int ret;

	ret = nla_parse_nested(tb, KIPSEC_A_ALG_MAX, nest, kipsec_alg_nl_policy,
			       extack);
	if (ret)
		return ret;
	if (kipsec_nl_missing(extack, nest, tb, KIPSEC_A_ALG_ID,
			      type == KIPSEC_ALG_CRYPT ? "crypt id" : "auth id"))
		return -EINVAL;
	alg = kipsec_alg_find(type, nla_get_u16(tb[KIPSEC_A_ALG_ID]));
	if (!alg) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_ALG_ID],
					"%s: transform ID %u is not supported",
					name, nla_get_u16(tb[KIPSEC_A_ALG_ID]));
		return -EOPNOTSUPP;
	}
	if (alg->legacy && !(flags & KIPSEC_SA_FLAGS_LEGACY_ALGS)) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_ALG_ID],
					"%s: %s is deprecated; set the legacy-algs flag to use it",
					name, alg->name);
		return -EINVAL;
	}
	if (tb[KIPSEC_A_ALG_KEY_LEN]) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_ALG_KEY_LEN],
					"%s: key-len is output-only", name);
		return -EINVAL;
	}
	len = tb[KIPSEC_A_ALG_KEY] ? nla_len(tb[KIPSEC_A_ALG_KEY]) : 0;
	if (!kipsec_alg_key_len_ok(alg, len)) {
		kipsec_nl_key_lens(alg, lens, sizeof(lens));
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_ALG_KEY] ?: nest,
					"%s: %s takes a key of %s bytes, not %u",
					name, alg->name, lens, len);
		return -EINVAL;
	}
	if (tb[KIPSEC_A_ALG_ICV_LEN] &&
	    nla_get_u8(tb[KIPSEC_A_ALG_ICV_LEN]) != alg->icv_len) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_ALG_ICV_LEN],
					"%s: %s has a %u-byte ICV, not %u", name,
					alg->name, alg->icv_len,
					nla_get_u8(tb[KIPSEC_A_ALG_ICV_LEN]));
		return -EINVAL;
	}
	if (!kipsec_nl_crypto_has(alg)) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_ALG_ID],
					"%s: the kernel's crypto API has no %s",
					name, alg->kname);
		return -EOPNOTSUPP;
	}
	if (len)
		nla_memcpy(key, tb[KIPSEC_A_ALG_KEY], len);
	*key_len = len;
	*algp = alg;
	return 0;
}

static int kipsec_nl_parse_crypt(struct genl_info *info,
				 struct kipsec_sa_config *cfg)
{
	return kipsec_nl_parse_alg(info->extack, info->attrs[KIPSEC_A_SA_CRYPT],
				   KIPSEC_ALG_CRYPT, "crypt", cfg->flags,
				   &cfg->crypt, cfg->crypt_key,
				   &cfg->crypt_key_len);
}

static int kipsec_nl_parse_auth(struct genl_info *info,
				struct kipsec_sa_config *cfg)
{
	return kipsec_nl_parse_alg(info->extack, info->attrs[KIPSEC_A_SA_AUTH],
				   KIPSEC_ALG_AUTH, "auth", cfg->flags,
				   &cfg->auth, cfg->auth_key, &cfg->auth_key_len);
}

/* ESP: crypt, plus auth unless crypt is AEAD. AH: auth only. */
static int kipsec_nl_parse_algs(struct genl_info *info,
				struct kipsec_sa_config *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	int ret;

	if (cfg->id.proto == KIPSEC_PROTO_AH) {
		if (tb[KIPSEC_A_SA_CRYPT]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SA_CRYPT],
					    "crypt: AH has no encryption");
			return -EINVAL;
		}
		if (kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_SA_AUTH,
				      "auth (for AH)"))
			return -EINVAL;
		return kipsec_nl_parse_auth(info, cfg);
	}
	if (kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_SA_CRYPT,
			      "crypt (for ESP)"))
		return -EINVAL;
	ret = kipsec_nl_parse_crypt(info, cfg);
	if (ret)
		return ret;
	if (cfg->crypt->aead) {
		if (tb[KIPSEC_A_SA_AUTH]) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, tb[KIPSEC_A_SA_AUTH],
						"auth: not allowed with the AEAD algorithm %s",
						cfg->crypt->name);
			return -EINVAL;
		}
		return 0;
	}
	if (kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_SA_AUTH,
			      "auth (unless crypt is an AEAD algorithm)"))
		return -EINVAL;
	return kipsec_nl_parse_auth(info, cfg);
}

static int kipsec_nl_parse_lifetime(struct netlink_ext_ack *extack,
				    struct nlattr *nest,
				    struct kipsec_lifetime *lt)
{
	struct nlattr *tb[KIPSEC_A_LIFETIME_MAX + 1];
	int ret;

	if (!nest)
		return 0;
	ret = nla_parse_nested(tb, KIPSEC_A_LIFETIME_MAX, nest,
			       kipsec_lifetime_nl_policy, extack);
	if (ret)
		return ret;
	if (tb[KIPSEC_A_LIFETIME_BYTES])
		lt->bytes = nla_get_u64(tb[KIPSEC_A_LIFETIME_BYTES]);
	if (tb[KIPSEC_A_LIFETIME_PACKETS])
		lt->packets = nla_get_u64(tb[KIPSEC_A_LIFETIME_PACKETS]);
	if (tb[KIPSEC_A_LIFETIME_SECONDS])
		lt->seconds = nla_get_u64(tb[KIPSEC_A_LIFETIME_SECONDS]);
	return 0;
}

static bool kipsec_soft_below_hard(u64 soft, u64 hard)
{
	return !soft || !hard || soft < hard;
}

static int kipsec_nl_parse_lifetimes(struct genl_info *info,
				     struct kipsec_sa_config *cfg)
{
	struct nlattr *soft = info->attrs[KIPSEC_A_SA_LIFETIME_SOFT];
	struct nlattr *hard = info->attrs[KIPSEC_A_SA_LIFETIME_HARD];
	int ret;

	ret = kipsec_nl_parse_lifetime(info->extack, soft, &cfg->soft);
	if (!ret)
		ret = kipsec_nl_parse_lifetime(info->extack, hard, &cfg->hard);
	if (ret)
		return ret;
	if (!kipsec_soft_below_hard(cfg->soft.bytes, cfg->hard.bytes) ||
	    !kipsec_soft_below_hard(cfg->soft.packets, cfg->hard.packets) ||
	    !kipsec_soft_below_hard(cfg->soft.seconds, cfg->hard.seconds)) {
		NL_SET_ERR_MSG_ATTR(info->extack, soft,
				    "lifetime-soft: each soft limit must be below its hard limit");
		return -EINVAL;
	}
	return 0;
}

static int kipsec_nl_parse_encap(struct genl_info *info,
				 struct kipsec_sa_config *cfg)
{
	struct nlattr *sport = info->attrs[KIPSEC_A_SA_ENCAP_SPORT];
	struct nlattr *dport = info->attrs[KIPSEC_A_SA_ENCAP_DPORT];

	if (!sport && !dport)
		return 0;
	if (!sport || !dport) {
		NL_SET_ERR_MSG_ATTR(info->extack, sport ?: dport,
				    "encap-sport and encap-dport go together");
		return -EINVAL;
	}
	if (cfg->id.proto != KIPSEC_PROTO_ESP) {
		NL_SET_ERR_MSG_ATTR(info->extack, sport,
				    "encap: UDP encapsulation is for ESP only");
		return -EINVAL;
	}
	/* the encapsulation socket and its input are IPv4's (encap.c) */
	if (cfg->id.family != AF_INET) {
		NL_SET_ERR_MSG_ATTR(info->extack, sport,
				    "encap: UDP encapsulation is IPv4 only for now");
		return -EOPNOTSUPP;
	}
	cfg->encap_sport = nla_get_be16(sport);
	cfg->encap_dport = nla_get_be16(dport);
	if (!cfg->encap_sport || !cfg->encap_dport) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    cfg->encap_sport ? dport : sport,
				    "encap: port 0 is invalid");
		return -EINVAL;
	}
	return 0;
}

static u32 kipsec_nl_get_u32(struct nlattr *attr)
{
	return attr ? nla_get_u32(attr) : 0;
}

/*
 * TFC padding is only removable where the inner packet says how long it
 * is: an IP packet in tunnel mode (a transport-mode TCP segment has no
 * length of its own).
 */
static int kipsec_nl_parse_tfc_pad(struct genl_info *info,
				   struct kipsec_sa_config *cfg)
{
	struct nlattr *attr = info->attrs[KIPSEC_A_SA_TFC_PAD];

	cfg->tfc_pad = kipsec_nl_get_u32(attr);
	if (!cfg->tfc_pad)
		return 0;
	if (cfg->id.proto != KIPSEC_PROTO_ESP) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "tfc-pad: TFC padding is for ESP only");
		return -EINVAL;
	}
	if (cfg->mode != KIPSEC_MODE_TUNNEL) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "tfc-pad: TFC padding needs tunnel mode");
		return -EINVAL;
	}
	return 0;
}

static int kipsec_nl_parse_sa(struct genl_info *info,
			      struct kipsec_sa_config *cfg)
{
	struct nlattr **tb = info->attrs;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = kipsec_nl_parse_sa_id(info, &cfg->id);
	if (ret)
		return ret;
	if (kipsec_nl_missing(info->extack, NULL, tb, KIPSEC_A_SA_MODE, "mode"))
		return -EINVAL;
	cfg->mode = nla_get_u8(tb[KIPSEC_A_SA_MODE]);
	ret = kipsec_nl_parse_sa_src(info, cfg);
	if (ret)
		return ret;
	cfg->flags = kipsec_nl_get_u32(tb[KIPSEC_A_SA_FLAGS]);
	cfg->replay_window = kipsec_nl_get_u32(tb[KIPSEC_A_SA_REPLAY_WINDOW]);
	cfg->if_id = kipsec_nl_get_u32(tb[KIPSEC_A_SA_IF_ID]);
	cfg->reqid = kipsec_nl_get_u32(tb[KIPSEC_A_SA_REQID]);
	ret = kipsec_nl_parse_algs(info, cfg);
	if (!ret)
		ret = kipsec_nl_parse_lifetimes(info, cfg);
	if (!ret)
		ret = kipsec_nl_parse_encap(info, cfg);
	if (!ret)
		ret = kipsec_nl_parse_tfc_pad(info, cfg);
	return ret;
}

static int kipsec_nl_put_alg(struct sk_buff *skb, int type,
			     const struct kipsec_alg *alg, u8 key_len)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u16(skb, KIPSEC_A_ALG_ID, alg->id) ||
	    nla_put_u8(skb, KIPSEC_A_ALG_ICV_LEN, alg->icv_len) ||
	    nla_put_u16(skb, KIPSEC_A_ALG_KEY_LEN,
			(key_len - alg->salt_len) * 8))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kipsec_nl_put_lifetime(struct sk_buff *skb, int type,
				  const struct kipsec_lifetime *lt)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_BYTES, lt->bytes,
			      KIPSEC_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_PACKETS, lt->packets,
			      KIPSEC_A_LIFETIME_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_LIFETIME_SECONDS, lt->seconds,
			      KIPSEC_A_LIFETIME_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The data path's counters, read under the SA's lock so that bytes and
 * packets are of the same moment. Bytes are those of the inner packet:
 * the ESP payload before encryption or after decryption, as XFRM counts.
 */
static int kipsec_nl_put_sa_stats(struct sk_buff *skb, struct kipsec_sa *sa)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_SA_STATS);
	struct kipsec_sa_stats st;

	if (!nest)
		return -EMSGSIZE;
	kipsec_sa_read_stats(sa, &st);
	if (nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_BYTES, st.bytes,
			      KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_PACKETS, st.packets,
			      KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_REPLAY_DROPS,
			      st.replay_drops, KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_INTEGRITY_FAILURES,
			      st.integrity_failures, KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_OTHER_ERRORS,
			      st.other_errors, KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_ADD_TIME, sa->add_time,
			      KIPSEC_A_SA_STATS_PAD) ||
	    nla_put_u64_64bit(skb, KIPSEC_A_SA_STATS_USE_TIME, st.use_time,
			      KIPSEC_A_SA_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kipsec_nl_put_sa_config(struct sk_buff *skb,
				   const struct kipsec_sa_config *cfg)
{
	if (nla_put_u8(skb, KIPSEC_A_SA_MODE, cfg->mode) ||
	    (cfg->crypt && kipsec_nl_put_alg(skb, KIPSEC_A_SA_CRYPT, cfg->crypt,
					     cfg->crypt_key_len)) ||
	    (cfg->auth && kipsec_nl_put_alg(skb, KIPSEC_A_SA_AUTH, cfg->auth,
					    cfg->auth_key_len)) ||
	    nla_put_u32(skb, KIPSEC_A_SA_REPLAY_WINDOW, cfg->replay_window) ||
	    nla_put_u32(skb, KIPSEC_A_SA_FLAGS, cfg->flags) ||
	    kipsec_nl_put_lifetime(skb, KIPSEC_A_SA_LIFETIME_SOFT, &cfg->soft) ||
	    kipsec_nl_put_lifetime(skb, KIPSEC_A_SA_LIFETIME_HARD, &cfg->hard) ||
	    nla_put_u32(skb, KIPSEC_A_SA_IF_ID, cfg->if_id) ||
	    (cfg->tfc_pad &&
	     nla_put_u32(skb, KIPSEC_A_SA_TFC_PAD, cfg->tfc_pad)))
		return -EMSGSIZE;
	if (cfg->encap_sport &&
	    (nla_put_be16(skb, KIPSEC_A_SA_ENCAP_SPORT, cfg->encap_sport) ||
	     nla_put_be16(skb, KIPSEC_A_SA_ENCAP_DPORT, cfg->encap_dport)))
		return -EMSGSIZE;
	return 0;
}

/*
 * Everything about an SA except its keys, which are write-only. Not const:
 * reading the counters takes the SA's lock.
 */
static int kipsec_nl_put_sa(struct sk_buff *skb, struct kipsec_sa *sa)
{
	const struct kipsec_sa_config *cfg = &sa->cfg;

	if (nla_put_be32(skb, KIPSEC_A_SA_SPI, cfg->id.spi) ||
	    nla_put_u8(skb, KIPSEC_A_SA_PROTO, cfg->id.proto) ||
	    kipsec_nl_put_addr(skb, KIPSEC_A_SA_SADDR_IPV4,
			       KIPSEC_A_SA_SADDR_IPV6, cfg->id.family,
			       &cfg->saddr) ||
	    kipsec_nl_put_addr(skb, KIPSEC_A_SA_DADDR_IPV4,
			       KIPSEC_A_SA_DADDR_IPV6, cfg->id.family,
			       &cfg->id.daddr) ||
	    nla_put_u32(skb, KIPSEC_A_SA_REQID, cfg->reqid) ||
	    nla_put_u8(skb, KIPSEC_A_SA_STATE, sa->state) ||
	    kipsec_nl_put_sa_stats(skb, sa))
		return -EMSGSIZE;
	if (sa->state == KIPSEC_SA_STATE_LARVAL)
		return 0;
	return kipsec_nl_put_sa_config(skb, cfg);
}

static int kipsec_nl_fill_sa(struct sk_buff *skb, struct kipsec_sa *sa,
			     u32 portid, u32 seq, int flags, u8 cmd,
			     struct netlink_callback *cb)
{
	void *hdr = genlmsg_put(skb, portid, seq, &kipsec_nl_family, flags,
				cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (kipsec_nl_put_sa(skb, sa)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int kipsec_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_sa_config *cfg;
	struct kipsec_sa *larval;
	int ret;

	/* too large for the stack, and it holds keys: wipe it */
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ret = kipsec_nl_parse_sa(info, cfg);
	if (ret)
		goto out;
	mutex_lock(&kn->lock);
	larval = kipsec_sad_lookup(&kn->sad, &cfg->id);
	/* the SAD's own reference keeps it alive until we take ours */
	if (larval && (larval->state != KIPSEC_SA_STATE_LARVAL ||
		       !kipsec_sa_hold(larval)))
		larval = NULL;
	ret = kipsec_sad_add(&kn->sad, cfg, info->extack);
	mutex_unlock(&kn->lock);
	if (larval) {
		/* packets that came before the keys (held.c) */
		if (!ret)
			kipsec_input_release_held(kn, larval);
		kipsec_sa_put(larval);
	}
out:
	kfree_sensitive(cfg);
	return ret;
}

static bool kipsec_nl_differs_u8(struct nlattr *attr, u8 val)
{
	return attr && nla_get_u8(attr) != val;
}

static bool kipsec_nl_differs_u32(struct nlattr *attr, u32 val)
{
	return attr && nla_get_u32(attr) != val;
}

/*
 * sa-set changes lifetimes and encapsulation. The request may repeat the
 * rest of the SA, as `ip xfrm state update` users write it, but not change
 * it; algorithms and keys are never taken. Returns the offending attribute.
 */
static struct nlattr *kipsec_nl_sa_fixed_changed(struct genl_info *info,
						 const struct kipsec_sa_config *cfg)
{
	struct nlattr *v4 = info->attrs[KIPSEC_A_SA_SADDR_IPV4];
	struct nlattr *v6 = info->attrs[KIPSEC_A_SA_SADDR_IPV6];
	struct nlattr **tb = info->attrs;

	if (tb[KIPSEC_A_SA_CRYPT])
		return tb[KIPSEC_A_SA_CRYPT];
	if (tb[KIPSEC_A_SA_AUTH])
		return tb[KIPSEC_A_SA_AUTH];
	if (kipsec_nl_differs_u8(tb[KIPSEC_A_SA_MODE], cfg->mode))
		return tb[KIPSEC_A_SA_MODE];
	if (kipsec_nl_differs_u32(tb[KIPSEC_A_SA_REPLAY_WINDOW],
				  cfg->replay_window))
		return tb[KIPSEC_A_SA_REPLAY_WINDOW];
	if (kipsec_nl_differs_u32(tb[KIPSEC_A_SA_FLAGS], cfg->flags))
		return tb[KIPSEC_A_SA_FLAGS];
	if (kipsec_nl_differs_u32(tb[KIPSEC_A_SA_IF_ID], cfg->if_id))
		return tb[KIPSEC_A_SA_IF_ID];
	if (kipsec_nl_differs_u32(tb[KIPSEC_A_SA_REQID], cfg->reqid))
		return tb[KIPSEC_A_SA_REQID];
	if (kipsec_nl_differs_u32(tb[KIPSEC_A_SA_TFC_PAD], cfg->tfc_pad))
		return tb[KIPSEC_A_SA_TFC_PAD];
	if (v4 && (cfg->id.family != AF_INET ||
		   nla_get_in_addr(v4) != cfg->saddr.a4))
		return v4;
	if (v6 && (cfg->id.family != AF_INET6 ||
		   nla_len(v6) != sizeof(cfg->saddr.a6) ||
		   memcmp(nla_data(v6), &cfg->saddr.a6, sizeof(cfg->saddr.a6))))
		return v6;
	return NULL;
}

static struct kipsec_sa *kipsec_nl_find_sa(struct kipsec_net *kn,
					   const struct kipsec_sa_id *id,
					   struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa = kipsec_sad_lookup(&kn->sad, id);

	if (!sa)
		NL_SET_ERR_MSG(extack,
			       "no SA with this spi, destination and proto");
	return sa;
}

static int kipsec_nl_sa_update(struct kipsec_net *kn, struct genl_info *info,
			       struct kipsec_sa_config *cfg)
{
	struct nlattr *fixed;
	struct kipsec_sa *sa;
	int ret;

	lockdep_assert_held(&kn->lock);
	sa = kipsec_nl_find_sa(kn, &cfg->id, info->extack);
	if (!sa)
		return -ENOENT;
	if (sa->state == KIPSEC_SA_STATE_LARVAL) {
		NL_SET_ERR_MSG(info->extack,
			       "the SA is larval: complete it with sa-new");
		return -EINVAL;
	}
	fixed = kipsec_nl_sa_fixed_changed(info, &sa->cfg);
	if (fixed) {
		NL_SET_ERR_MSG_ATTR(info->extack, fixed,
				    "cannot be changed; delete and add the SA");
		return -EINVAL;
	}
	/* start from the SA as it is: absent attributes leave it unchanged */
	*cfg = sa->cfg;
	if (info->attrs[KIPSEC_A_SA_LIFETIME_SOFT])
		memset(&cfg->soft, 0, sizeof(cfg->soft));
	if (info->attrs[KIPSEC_A_SA_LIFETIME_HARD])
		memset(&cfg->hard, 0, sizeof(cfg->hard));
	ret = kipsec_nl_parse_lifetimes(info, cfg);
	if (!ret)
		ret = kipsec_nl_parse_encap(info, cfg);
	if (!ret)
		ret = kipsec_sad_update(&kn->sad, sa, cfg);
	return ret;
}

int kipsec_nl_sa_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_sa_config *cfg;
	int ret;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	ret = kipsec_nl_parse_sa_id(info, &cfg->id);
	if (!ret) {
		mutex_lock(&kn->lock);
		ret = kipsec_nl_sa_update(kn, info, cfg);
		mutex_unlock(&kn->lock);
	}
	kfree_sensitive(cfg);
	return ret;
}

int kipsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;
	struct sk_buff *msg;
	int ret;

	ret = kipsec_nl_parse_sa_id(info, &id);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&kn->lock);
	sa = kipsec_nl_find_sa(kn, &id, info->extack);
	ret = sa ? kipsec_nl_fill_sa(msg, sa, info->snd_portid, info->snd_seq,
				     0, KIPSEC_CMD_SA_GET, NULL) : -ENOENT;
	mutex_unlock(&kn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

int kipsec_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kipsec_net *kn = kipsec_net(sock_net(skb->sk));
	struct kipsec_sa *sa;
	unsigned long index;

	mutex_lock(&kn->lock);
	cb->seq = kn->sad.generation;
	xa_for_each_start(&kn->sad.all, index, sa, cb->args[0]) {
		if (kipsec_nl_fill_sa(skb, sa, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      KIPSEC_CMD_SA_GET, cb)) {
			cb->args[0] = index;
			goto out;
		}
	}
	cb->args[0] = ULONG_MAX;
out:
	mutex_unlock(&kn->lock);
	return skb->len;
}

int kipsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_sa_id id;
	struct kipsec_sa *sa;
	int ret;

	ret = kipsec_nl_parse_sa_id(info, &id);
	if (ret)
		return ret;
	mutex_lock(&kn->lock);
	sa = kipsec_nl_find_sa(kn, &id, info->extack);
	if (sa)
		kipsec_sad_remove(&kn->sad, sa);
	mutex_unlock(&kn->lock);
	return sa ? 0 : -ENOENT;
}

int kipsec_nl_sa_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct nlattr *proto = info->attrs[KIPSEC_A_SA_PROTO];

	mutex_lock(&kn->lock);
	kipsec_sad_flush(&kn->sad, proto ? nla_get_u8(proto) : 0);
	mutex_unlock(&kn->lock);
	return 0;
}

#define KIPSEC_LARVAL_TIMEOUT_DEFAULT 30

static int kipsec_nl_parse_alloc_spi(struct genl_info *info,
				     struct kipsec_sa_config *cfg,
				     u32 *spi_min, u32 *spi_max)
{
	struct nlattr **tb = info->attrs;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = kipsec_nl_parse_sa_dst(info, &cfg->id);
	if (ret)
		return ret;
	ret = kipsec_nl_parse_sa_src(info, cfg);
	if (ret)
		return ret;
	cfg->reqid = kipsec_nl_get_u32(tb[KIPSEC_A_SA_REQID]);
	*spi_min = tb[KIPSEC_A_SA_SPI_MIN] ?
		   nla_get_u32(tb[KIPSEC_A_SA_SPI_MIN]) : 256;
	*spi_max = tb[KIPSEC_A_SA_SPI_MAX] ?
		   nla_get_u32(tb[KIPSEC_A_SA_SPI_MAX]) : U32_MAX;
	if (*spi_min > *spi_max) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPSEC_A_SA_SPI_MIN],
				    "spi-min exceeds spi-max");
		return -EINVAL;
	}
	return 0;
}

int kipsec_nl_sa_alloc_spi_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *timeout = info->attrs[KIPSEC_A_SA_LARVAL_TIMEOUT];
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_sa_config cfg;
	u32 spi_min, spi_max;
	struct sk_buff *msg;
	__be32 spi;
	void *hdr;
	int ret;

	ret = kipsec_nl_parse_alloc_spi(info, &cfg, &spi_min, &spi_max);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err;
	}
	mutex_lock(&kn->lock);
	ret = kipsec_sad_alloc_spi(&kn->sad, &cfg, spi_min, spi_max,
				   timeout ? nla_get_u32(timeout) :
				   KIPSEC_LARVAL_TIMEOUT_DEFAULT,
				   &spi, info->extack);
	if (!ret)
		kipsec_net_schedule_larval(kn);
	mutex_unlock(&kn->lock);
	if (ret)
		goto err;
	/* the SPI is reserved now; a reply too large would be our bug */
	if (WARN_ON(nla_put_be32(msg, KIPSEC_A_SA_SPI, spi))) {
		ret = -EMSGSIZE;
		goto err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	nlmsg_free(msg);
	return ret;
}

void kipsec_nl_notify_expire(struct net *net, struct kipsec_sa *sa, u8 kind)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &kipsec_nl_family, 0,
			  KIPSEC_CMD_SA_EXPIRE_NTF);
	if (!hdr || kipsec_nl_put_sa(msg, sa) ||
	    nla_put_u8(msg, KIPSEC_A_SA_EXPIRE_KIND, kind)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kipsec_nl_family, net, msg, 0,
				KIPSEC_NLGRP_EVENTS, GFP_KERNEL);
}

/* ---- security policies ---- */

static bool kipsec_host_bits_set(const union kipsec_addr *addr, u8 family,
				 u8 prefix)
{
	struct in6_addr net6;

	if (family == AF_INET)
		return addr->a4 & ~inet_make_mask(prefix);
	ipv6_addr_prefix(&net6, &addr->a6, prefix);
	return !ipv6_addr_equal(&net6, &addr->a6);
}

/* A selector's address with its prefix length; family 0 when absent. */
static int kipsec_nl_parse_prefix(struct netlink_ext_ack *extack,
				  struct nlattr *v4, struct nlattr *v6,
				  struct nlattr *plen, const char *name,
				  union kipsec_addr *addr, u8 *prefix,
				  u8 *family)
{
	unsigned int bits;
	int ret;

	ret = kipsec_nl_get_addr(extack, v4, v6, name, addr, family);
	if (ret)
		return ret;
	if (!*family) {
		if (plen) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, plen,
						"%s: a prefix length needs an address",
						name);
			return -EINVAL;
		}
		return 0;
	}
	bits = kipsec_addr_bits(*family);
	*prefix = plen ? nla_get_u8(plen) : bits;
	if (*prefix > bits) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, plen,
					"%s: prefix length %u exceeds the %u bits of the address",
					name, *prefix, bits);
		return -EINVAL;
	}
	if (kipsec_host_bits_set(addr, *family, *prefix)) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, v4 ?: v6,
					"%s: host bits set beyond the /%u prefix",
					name, *prefix);
		return -EINVAL;
	}
	return 0;
}

static int kipsec_nl_parse_ports(struct netlink_ext_ack *extack,
				 struct nlattr *min, struct nlattr *max,
				 const char *name, u16 *lo, u16 *hi)
{
	if (!min && !max)
		return 0;
	if (!min) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, max, "%s-max needs %s-min",
					name, name);
		return -EINVAL;
	}
	*lo = nla_get_u16(min);
	*hi = max ? nla_get_u16(max) : *lo;
	if (*lo > *hi) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, min,
					"%s-min %u exceeds %s-max %u", name,
					*lo, name, *hi);
		return -EINVAL;
	}
	return 0;
}

static bool kipsec_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

static struct nlattr *kipsec_first_of(struct nlattr **tb, int a, int b)
{
	return tb[a] ?: tb[b];
}

/* Ports only for protocols that have them, ICMP type/code only for ICMP. */
static int kipsec_nl_parse_sel_l4(struct netlink_ext_ack *extack,
				  struct nlattr **tb,
				  struct kipsec_selector *sel)
{
	struct nlattr *ports, *icmp;
	int ret;

	ports = kipsec_first_of(tb, KIPSEC_A_SELECTOR_SPORT_MIN,
				KIPSEC_A_SELECTOR_SPORT_MAX) ?:
		kipsec_first_of(tb, KIPSEC_A_SELECTOR_DPORT_MIN,
				KIPSEC_A_SELECTOR_DPORT_MAX);
	icmp = kipsec_first_of(tb, KIPSEC_A_SELECTOR_ICMP_TYPE,
			       KIPSEC_A_SELECTOR_ICMP_CODE);
	if (ports && !kipsec_proto_has_ports(sel->proto)) {
		NL_SET_ERR_MSG_ATTR(extack, ports,
				    "ports need proto tcp, udp, sctp or udplite");
		return -EINVAL;
	}
	if (icmp && sel->proto != IPPROTO_ICMP &&
	    sel->proto != IPPROTO_ICMPV6) {
		NL_SET_ERR_MSG_ATTR(extack, icmp,
				    "icmp-type and icmp-code need proto icmp or ipv6-icmp");
		return -EINVAL;
	}
	if (tb[KIPSEC_A_SELECTOR_ICMP_CODE] && !tb[KIPSEC_A_SELECTOR_ICMP_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_SELECTOR_ICMP_CODE],
				    "icmp-code needs icmp-type");
		return -EINVAL;
	}
	if (tb[KIPSEC_A_SELECTOR_ICMP_TYPE])
		sel->icmp_type = nla_get_u8(tb[KIPSEC_A_SELECTOR_ICMP_TYPE]);
	if (tb[KIPSEC_A_SELECTOR_ICMP_CODE])
		sel->icmp_code = nla_get_u8(tb[KIPSEC_A_SELECTOR_ICMP_CODE]);
	ret = kipsec_nl_parse_ports(extack, tb[KIPSEC_A_SELECTOR_SPORT_MIN],
				    tb[KIPSEC_A_SELECTOR_SPORT_MAX], "sport",
				    &sel->sport_min, &sel->sport_max);
	if (ret)
		return ret;
	return kipsec_nl_parse_ports(extack, tb[KIPSEC_A_SELECTOR_DPORT_MIN],
				     tb[KIPSEC_A_SELECTOR_DPORT_MAX], "dport",
				     &sel->dport_min, &sel->dport_max);
}

static int kipsec_nl_parse_selector(struct netlink_ext_ack *extack,
				    struct nlattr *nest,
				    struct kipsec_selector *sel)
{
	struct nlattr *tb[KIPSEC_A_SELECTOR_MAX + 1];
	u8 sfamily, dfamily;
	int ret;

	memset(sel, 0, sizeof(*sel));
	sel->sport_max = U16_MAX;
	sel->dport_max = U16_MAX;
	sel->icmp_type = -1;
	sel->icmp_code = -1;
	if (!nest)
		return 0;
	ret = nla_parse_nested(tb, KIPSEC_A_SELECTOR_MAX, nest,
			       kipsec_selector_nl_policy, extack);
	if (ret)
		return ret;
	ret = kipsec_nl_parse_prefix(extack, tb[KIPSEC_A_SELECTOR_SADDR_IPV4],
				     tb[KIPSEC_A_SELECTOR_SADDR_IPV6],
				     tb[KIPSEC_A_SELECTOR_SPREFIX], "saddr",
				     &sel->saddr, &sel->sprefix, &sfamily);
	if (ret)
		return ret;
	ret = kipsec_nl_parse_prefix(extack, tb[KIPSEC_A_SELECTOR_DADDR_IPV4],
				     tb[KIPSEC_A_SELECTOR_DADDR_IPV6],
				     tb[KIPSEC_A_SELECTOR_DPREFIX], "daddr",
				     &sel->daddr, &sel->dprefix, &dfamily);
	if (ret)
		return ret;
	if (sfamily && dfamily && sfamily != dfamily) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "selector: saddr and daddr must be of one family");
		return -EINVAL;
	}
	/* one address fixes the family; the other side is then /0 */
	sel->family = sfamily ?: dfamily;
	if (tb[KIPSEC_A_SELECTOR_PROTO])
		sel->proto = nla_get_u8(tb[KIPSEC_A_SELECTOR_PROTO]);
	return kipsec_nl_parse_sel_l4(extack, tb, sel);
}

static int kipsec_nl_parse_template(struct netlink_ext_ack *extack,
				    struct nlattr *nest,
				    struct kipsec_template *tmpl)
{
	struct nlattr *tb[KIPSEC_A_TEMPLATE_MAX + 1];
	u8 sfamily, dfamily;
	int ret;

	ret = nla_parse_nested(tb, KIPSEC_A_TEMPLATE_MAX, nest,
			       kipsec_template_nl_policy, extack);
	if (ret)
		return ret;
	if (kipsec_nl_missing(extack, nest, tb, KIPSEC_A_TEMPLATE_PROTO,
			      "template proto") ||
	    kipsec_nl_missing(extack, nest, tb, KIPSEC_A_TEMPLATE_MODE,
			      "template mode"))
		return -EINVAL;
	tmpl->proto = nla_get_u8(tb[KIPSEC_A_TEMPLATE_PROTO]);
	/* AH SAs can be stored, but no packet may be sent to one yet */
	if (tmpl->proto != KIPSEC_PROTO_ESP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[KIPSEC_A_TEMPLATE_PROTO],
				    "template proto: AH is not carried by the data path yet; only ESP templates are accepted");
		return -EOPNOTSUPP;
	}
	tmpl->mode = nla_get_u8(tb[KIPSEC_A_TEMPLATE_MODE]);
	tmpl->reqid = kipsec_nl_get_u32(tb[KIPSEC_A_TEMPLATE_REQID]);
	ret = kipsec_nl_get_addr(extack, tb[KIPSEC_A_TEMPLATE_SADDR_IPV4],
				 tb[KIPSEC_A_TEMPLATE_SADDR_IPV6],
				 "template saddr", &tmpl->saddr, &sfamily);
	if (!ret)
		ret = kipsec_nl_get_addr(extack,
					 tb[KIPSEC_A_TEMPLATE_DADDR_IPV4],
					 tb[KIPSEC_A_TEMPLATE_DADDR_IPV6],
					 "template daddr", &tmpl->daddr,
					 &dfamily);
	if (ret)
		return ret;
	if (tmpl->mode == KIPSEC_MODE_TRANSPORT && (sfamily || dfamily)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "template: transport mode takes no endpoints");
		return -EINVAL;
	}
	if (tmpl->mode == KIPSEC_MODE_TUNNEL && (!sfamily || !dfamily)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "template: tunnel mode needs saddr and daddr");
		return -EINVAL;
	}
	if (sfamily != dfamily) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "template: saddr and daddr must be of one family");
		return -EINVAL;
	}
	tmpl->family = sfamily;
	return 0;
}

static int kipsec_nl_parse_policy(struct genl_info *info,
				  struct kipsec_policy_config *cfg)
{
	struct nlattr *tmpl = info->attrs[KIPSEC_A_POLICY_TEMPLATE];
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_POLICY_DIR, "dir") ||
	    kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_POLICY_ACTION,
			      "action"))
		return -EINVAL;
	cfg->dir = nla_get_u8(tb[KIPSEC_A_POLICY_DIR]);
	cfg->action = nla_get_u8(tb[KIPSEC_A_POLICY_ACTION]);
	cfg->priority = kipsec_nl_get_u32(tb[KIPSEC_A_POLICY_PRIORITY]);
	cfg->if_id = kipsec_nl_get_u32(tb[KIPSEC_A_POLICY_IF_ID]);
	ret = kipsec_nl_parse_selector(extack, tb[KIPSEC_A_POLICY_SELECTOR],
				       &cfg->sel);
	if (ret)
		return ret;
	if (cfg->action != KIPSEC_ACTION_PROTECT) {
		if (tmpl) {
			NL_SET_ERR_MSG_ATTR(extack, tmpl,
					    "template: only for action protect");
			return -EINVAL;
		}
		return 0;
	}
	if (kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_POLICY_TEMPLATE,
			      "template (for action protect)"))
		return -EINVAL;
	return kipsec_nl_parse_template(extack, tmpl, &cfg->tmpl);
}

/* With a family, both sides show, /0 included, as `ip xfrm` shows them. */
static int kipsec_nl_put_sel_addr(struct sk_buff *skb, int v4, int v6,
				  int plen, u8 family,
				  const union kipsec_addr *addr, u8 prefix)
{
	if (!family)
		return 0;
	if (kipsec_nl_put_addr(skb, v4, v6, family, addr) ||
	    nla_put_u8(skb, plen, prefix))
		return -EMSGSIZE;
	return 0;
}

static int kipsec_nl_put_ports(struct sk_buff *skb, int min_type,
			       int max_type, u16 min, u16 max)
{
	if (min == 0 && max == U16_MAX)
		return 0;
	if (nla_put_u16(skb, min_type, min) || nla_put_u16(skb, max_type, max))
		return -EMSGSIZE;
	return 0;
}

static int kipsec_nl_put_selector(struct sk_buff *skb, int type,
				  const struct kipsec_selector *sel)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (kipsec_nl_put_sel_addr(skb, KIPSEC_A_SELECTOR_SADDR_IPV4,
				   KIPSEC_A_SELECTOR_SADDR_IPV6,
				   KIPSEC_A_SELECTOR_SPREFIX, sel->family,
				   &sel->saddr, sel->sprefix) ||
	    kipsec_nl_put_sel_addr(skb, KIPSEC_A_SELECTOR_DADDR_IPV4,
				   KIPSEC_A_SELECTOR_DADDR_IPV6,
				   KIPSEC_A_SELECTOR_DPREFIX, sel->family,
				   &sel->daddr, sel->dprefix) ||
	    (sel->proto &&
	     nla_put_u8(skb, KIPSEC_A_SELECTOR_PROTO, sel->proto)) ||
	    kipsec_nl_put_ports(skb, KIPSEC_A_SELECTOR_SPORT_MIN,
				KIPSEC_A_SELECTOR_SPORT_MAX, sel->sport_min,
				sel->sport_max) ||
	    kipsec_nl_put_ports(skb, KIPSEC_A_SELECTOR_DPORT_MIN,
				KIPSEC_A_SELECTOR_DPORT_MAX, sel->dport_min,
				sel->dport_max) ||
	    (sel->icmp_type >= 0 &&
	     nla_put_u8(skb, KIPSEC_A_SELECTOR_ICMP_TYPE, sel->icmp_type)) ||
	    (sel->icmp_code >= 0 &&
	     nla_put_u8(skb, KIPSEC_A_SELECTOR_ICMP_CODE, sel->icmp_code)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int kipsec_nl_put_template(struct sk_buff *skb,
				  const struct kipsec_template *tmpl)
{
	struct nlattr *nest = nla_nest_start(skb, KIPSEC_A_POLICY_TEMPLATE);

	if (!nest ||
	    nla_put_u8(skb, KIPSEC_A_TEMPLATE_PROTO, tmpl->proto) ||
	    nla_put_u8(skb, KIPSEC_A_TEMPLATE_MODE, tmpl->mode) ||
	    nla_put_u32(skb, KIPSEC_A_TEMPLATE_REQID, tmpl->reqid))
		return -EMSGSIZE;
	if (tmpl->family &&
	    (kipsec_nl_put_addr(skb, KIPSEC_A_TEMPLATE_SADDR_IPV4,
				KIPSEC_A_TEMPLATE_SADDR_IPV6, tmpl->family,
				&tmpl->saddr) ||
	     kipsec_nl_put_addr(skb, KIPSEC_A_TEMPLATE_DADDR_IPV4,
				KIPSEC_A_TEMPLATE_DADDR_IPV6, tmpl->family,
				&tmpl->daddr)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* An authentic ESP-in-UDP packet came from a new address or port. */
void kipsec_nl_notify_mapping(struct net *net, struct kipsec_sa *sa,
			      const union kipsec_addr *addr, __be16 port)
{
	const struct kipsec_sa_config *cfg = &sa->cfg;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &kipsec_nl_family, 0,
			  KIPSEC_CMD_MAPPING_NTF);
	if (!hdr ||
	    nla_put_be32(msg, KIPSEC_A_SA_SPI, cfg->id.spi) ||
	    nla_put_u8(msg, KIPSEC_A_SA_PROTO, cfg->id.proto) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SA_SADDR_IPV4,
			       KIPSEC_A_SA_SADDR_IPV6, cfg->id.family,
			       &cfg->saddr) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SA_DADDR_IPV4,
			       KIPSEC_A_SA_DADDR_IPV6, cfg->id.family,
			       &cfg->id.daddr) ||
	    nla_put_be16(msg, KIPSEC_A_SA_ENCAP_SPORT, cfg->encap_sport) ||
	    nla_put_be16(msg, KIPSEC_A_SA_ENCAP_DPORT, cfg->encap_dport) ||
	    kipsec_nl_put_addr(msg, KIPSEC_A_SA_NEW_ADDR_IPV4,
			       KIPSEC_A_SA_NEW_ADDR_IPV6, cfg->id.family, addr) ||
	    nla_put_be16(msg, KIPSEC_A_SA_NEW_PORT, port)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kipsec_nl_family, net, msg, 0,
				KIPSEC_NLGRP_EVENTS, GFP_ATOMIC);
}

/* The packet that needs an SA, as a selector that covers it alone. */
static void kipsec_flow_selector(const struct kipsec_flow *flow,
				 struct kipsec_selector *sel)
{
	bool icmp = flow->proto == IPPROTO_ICMP ||
		    flow->proto == IPPROTO_ICMPV6;

	memset(sel, 0, sizeof(*sel));
	sel->family = flow->family;
	sel->saddr = flow->saddr;
	sel->daddr = flow->daddr;
	sel->sprefix = kipsec_addr_bits(flow->family);
	sel->dprefix = sel->sprefix;
	sel->proto = flow->proto;
	sel->sport_max = U16_MAX;
	sel->dport_max = U16_MAX;
	sel->icmp_type = icmp ? flow->sport : -1;
	sel->icmp_code = icmp ? flow->dport : -1;
	if (!icmp && kipsec_proto_has_ports(flow->proto)) {
		sel->sport_min = flow->sport;
		sel->sport_max = flow->sport;
		sel->dport_min = flow->dport;
		sel->dport_max = flow->dport;
	}
}

/* From the packet path: atomic allocation, and no reply to wait for. */
void kipsec_nl_notify_acquire(struct net *net,
			      const struct kipsec_policy *pol,
			      const struct kipsec_flow *flow)
{
	const struct kipsec_policy_config *cfg = &pol->cfg;
	struct kipsec_selector packet;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	kipsec_flow_selector(flow, &packet);
	hdr = genlmsg_put(msg, 0, 0, &kipsec_nl_family, 0,
			  KIPSEC_CMD_ACQUIRE_NTF);
	if (!hdr ||
	    nla_put_u32(msg, KIPSEC_A_POLICY_ID, pol->id) ||
	    nla_put_u8(msg, KIPSEC_A_POLICY_DIR, cfg->dir) ||
	    nla_put_u32(msg, KIPSEC_A_POLICY_IF_ID, cfg->if_id) ||
	    kipsec_nl_put_selector(msg, KIPSEC_A_POLICY_SELECTOR, &cfg->sel) ||
	    kipsec_nl_put_template(msg, &cfg->tmpl) ||
	    kipsec_nl_put_selector(msg, KIPSEC_A_POLICY_PACKET, &packet)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&kipsec_nl_family, net, msg, 0,
				KIPSEC_NLGRP_EVENTS, GFP_ATOMIC);
}

static int kipsec_nl_fill_policy(struct sk_buff *skb,
				 const struct kipsec_policy *pol, u32 portid,
				 u32 seq, int flags,
				 struct netlink_callback *cb)
{
	const struct kipsec_policy_config *cfg = &pol->cfg;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kipsec_nl_family, flags,
			  KIPSEC_CMD_POLICY_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, KIPSEC_A_POLICY_ID, pol->id) ||
	    nla_put_u8(skb, KIPSEC_A_POLICY_DIR, cfg->dir) ||
	    nla_put_u32(skb, KIPSEC_A_POLICY_PRIORITY, cfg->priority) ||
	    nla_put_u8(skb, KIPSEC_A_POLICY_ACTION, cfg->action) ||
	    nla_put_u32(skb, KIPSEC_A_POLICY_IF_ID, cfg->if_id) ||
	    kipsec_nl_put_selector(skb, KIPSEC_A_POLICY_SELECTOR, &cfg->sel) ||
	    (cfg->action == KIPSEC_ACTION_PROTECT &&
	     kipsec_nl_put_template(skb, &cfg->tmpl))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int kipsec_nl_policy_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_policy_config cfg;
	struct sk_buff *msg;
	void *hdr;
	u32 id;
	int ret;

	ret = kipsec_nl_parse_policy(info, &cfg);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&kn->lock);
	ret = kipsec_spd_add(&kn->spd, &cfg, &id, info->extack);
	mutex_unlock(&kn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	/* the policy exists now; a reply too large would be our bug */
	WARN_ON(nla_put_u32(msg, KIPSEC_A_POLICY_ID, id));
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static struct kipsec_policy *kipsec_nl_find_policy(struct kipsec_net *kn,
						   u32 id,
						   struct netlink_ext_ack *extack)
{
	struct kipsec_policy *pol = xa_load(&kn->spd.by_id, id);

	if (!pol)
		NL_SET_ERR_MSG_FMT(extack, "no policy with id %u", id);
	return pol;
}

int kipsec_nl_policy_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_policy *pol;
	struct sk_buff *msg;
	int ret;

	if (kipsec_nl_missing(info->extack, NULL, info->attrs,
			      KIPSEC_A_POLICY_ID, "id"))
		return -EINVAL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&kn->lock);
	pol = kipsec_nl_find_policy(kn,
				    nla_get_u32(info->attrs[KIPSEC_A_POLICY_ID]),
				    info->extack);
	ret = pol ? kipsec_nl_fill_policy(msg, pol, info->snd_portid,
					  info->snd_seq, 0, NULL) : -ENOENT;
	mutex_unlock(&kn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

int kipsec_nl_policy_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct kipsec_net *kn = kipsec_net(sock_net(skb->sk));
	struct kipsec_policy *pol;
	unsigned long id;

	mutex_lock(&kn->lock);
	cb->seq = kn->spd.generation;
	xa_for_each_start(&kn->spd.by_id, id, pol, cb->args[0]) {
		if (kipsec_nl_fill_policy(skb, pol, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI,
					  cb)) {
			cb->args[0] = id;
			goto out;
		}
	}
	cb->args[0] = ULONG_MAX;
out:
	mutex_unlock(&kn->lock);
	return skb->len;
}

/* policy-del names a policy by id alone, or by dir, selector and if-id. */
static int kipsec_nl_policy_del_match(struct kipsec_net *kn,
				      struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **tb = info->attrs;
	struct kipsec_policy_config cfg;
	struct kipsec_policy *pol;
	int ret;

	memset(&cfg, 0, sizeof(cfg));
	if (kipsec_nl_missing(extack, NULL, tb, KIPSEC_A_POLICY_DIR,
			      "id, or dir"))
		return -EINVAL;
	cfg.dir = nla_get_u8(tb[KIPSEC_A_POLICY_DIR]);
	cfg.if_id = kipsec_nl_get_u32(tb[KIPSEC_A_POLICY_IF_ID]);
	ret = kipsec_nl_parse_selector(extack, tb[KIPSEC_A_POLICY_SELECTOR],
				       &cfg.sel);
	if (ret)
		return ret;
	mutex_lock(&kn->lock);
	pol = kipsec_spd_find(&kn->spd, &cfg);
	if (pol)
		kipsec_spd_remove(&kn->spd, pol);
	else
		NL_SET_ERR_MSG(extack,
			       "no policy with this dir, selector and if-id");
	mutex_unlock(&kn->lock);
	return pol ? 0 : -ENOENT;
}

int kipsec_nl_policy_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[KIPSEC_A_POLICY_ID];
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct kipsec_policy *pol;

	if (!id)
		return kipsec_nl_policy_del_match(kn, info);
	if (info->attrs[KIPSEC_A_POLICY_DIR] ||
	    info->attrs[KIPSEC_A_POLICY_IF_ID] ||
	    info->attrs[KIPSEC_A_POLICY_SELECTOR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, id,
				    "give id alone, or dir with selector and if-id");
		return -EINVAL;
	}
	mutex_lock(&kn->lock);
	pol = kipsec_nl_find_policy(kn, nla_get_u32(id), info->extack);
	if (pol)
		kipsec_spd_remove(&kn->spd, pol);
	mutex_unlock(&kn->lock);
	return pol ? 0 : -ENOENT;
}

int kipsec_nl_policy_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct nlattr *dir = info->attrs[KIPSEC_A_POLICY_DIR];

	mutex_lock(&kn->lock);
	kipsec_spd_flush(&kn->spd, dir ? nla_get_u8(dir) : -1);
	mutex_unlock(&kn->lock);
	return 0;
}

/* ---- limits ---- */

int kipsec_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_net *kn = kipsec_nl_net(info);
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	mutex_lock(&kn->lock);
	ret = !hdr ||
	      nla_put_u32(msg, KIPSEC_A_LIMITS_MAX_SAS, kn->sad.max) ||
	      nla_put_u32(msg, KIPSEC_A_LIMITS_MAX_POLICIES, kn->spd.max) ||
	      nla_put_u32(msg, KIPSEC_A_LIMITS_SA_COUNT, kn->sad.count) ||
	      nla_put_u32(msg, KIPSEC_A_LIMITS_POLICY_COUNT, kn->spd.count);
	mutex_unlock(&kn->lock);
	if (ret) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int kipsec_nl_check_limit(struct netlink_ext_ack *extack,
				 struct nlattr *attr, u32 count,
				 const char *what)
{
	if (attr && nla_get_u32(attr) < count) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
					"%u is below the %u %s that exist",
					nla_get_u32(attr), count, what);
		return -EINVAL;
	}
	return 0;
}

int kipsec_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *max_sas = info->attrs[KIPSEC_A_LIMITS_MAX_SAS];
	struct nlattr *max_pols = info->attrs[KIPSEC_A_LIMITS_MAX_POLICIES];
	struct kipsec_net *kn = kipsec_nl_net(info);
	int ret;

	mutex_lock(&kn->lock);
	ret = kipsec_nl_check_limit(info->extack, max_sas, kn->sad.count,
				    "SAs");
	if (!ret)
		ret = kipsec_nl_check_limit(info->extack, max_pols,
					    kn->spd.count, "policies");
	if (!ret && max_sas)
		kn->sad.max = nla_get_u32(max_sas);
	if (!ret && max_pols)
		kn->spd.max = nla_get_u32(max_pols);
	mutex_unlock(&kn->lock);
	return ret;
}

/* ---- drop counters ---- */

/* Each reason the data path drops a packet for, and its attribute. */
static const u16 kipsec_nl_drop_attrs[] = {
	[KIPSEC_DROP_IN_MALFORMED]	= KIPSEC_A_STATS_IN_MALFORMED,
	[KIPSEC_DROP_IN_NOMEM]		= KIPSEC_A_STATS_IN_NOMEM,
	[KIPSEC_DROP_IN_SA_INVALID]	= KIPSEC_A_STATS_IN_SA_INVALID,
	[KIPSEC_DROP_IN_REPLAY]		= KIPSEC_A_STATS_IN_REPLAY,
	[KIPSEC_DROP_IN_INTEGRITY]	= KIPSEC_A_STATS_IN_INTEGRITY,
	[KIPSEC_DROP_IN_TRAILER]	= KIPSEC_A_STATS_IN_TRAILER,
	[KIPSEC_DROP_IN_SELECTOR]	= KIPSEC_A_STATS_IN_SELECTOR,
	[KIPSEC_DROP_IN_POLICY]		= KIPSEC_A_STATS_IN_POLICY,
	[KIPSEC_DROP_IN_DISCARD]	= KIPSEC_A_STATS_IN_DISCARD,
	[KIPSEC_DROP_IN_CRYPTO]		= KIPSEC_A_STATS_IN_CRYPTO,
	[KIPSEC_DROP_OUT_NO_POLICY]	= KIPSEC_A_STATS_OUT_NO_POLICY,
	[KIPSEC_DROP_OUT_DISCARD]	= KIPSEC_A_STATS_OUT_DISCARD,
	[KIPSEC_DROP_OUT_NO_SA]		= KIPSEC_A_STATS_OUT_NO_SA,
	[KIPSEC_DROP_OUT_SEQ_OVERFLOW]	= KIPSEC_A_STATS_OUT_SEQ_OVERFLOW,
	[KIPSEC_DROP_OUT_EXPIRED]	= KIPSEC_A_STATS_OUT_EXPIRED,
	[KIPSEC_DROP_OUT_NOMEM]		= KIPSEC_A_STATS_OUT_NOMEM,
	[KIPSEC_DROP_OUT_NO_ROUTE]	= KIPSEC_A_STATS_OUT_NO_ROUTE,
	[KIPSEC_DROP_OUT_TOO_BIG]	= KIPSEC_A_STATS_OUT_TOO_BIG,
	[KIPSEC_DROP_OUT_CRYPTO]	= KIPSEC_A_STATS_OUT_CRYPTO,
	[KIPSEC_DROP_OUT_MALFORMED]	= KIPSEC_A_STATS_OUT_MALFORMED,
	[KIPSEC_DROP_IN_ENCAP_MISMATCH]	= KIPSEC_A_STATS_IN_ENCAP_MISMATCH,
};

int kipsec_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipsec_drop_stats drops;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	/* one entry per reason, and one per counter attribute of the spec */
	BUILD_BUG_ON(ARRAY_SIZE(kipsec_nl_drop_attrs) != KIPSEC_DROPS);
	BUILD_BUG_ON(ARRAY_SIZE(kipsec_nl_drop_attrs) != KIPSEC_A_STATS_PAD - 1);

	kipsec_net_read_drops(kipsec_nl_net(info), &drops);
	msg = genlmsg_new(KIPSEC_DROPS * nla_total_size_64bit(sizeof(u64)),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr)
		goto err;
	for (i = 0; i < KIPSEC_DROPS; i++)
		if (nla_put_u64_64bit(msg, kipsec_nl_drop_attrs[i],
				      drops.count[i], KIPSEC_A_STATS_PAD))
			goto err;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
err:
	/* the message was sized for exactly these attributes */
	WARN_ON_ONCE(1);
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "the reply does not fit its message");
	return -EMSGSIZE;
}

/* ---- UDP encapsulation ---- */

int kipsec_nl_encap_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	if (kipsec_nl_missing(info->extack, NULL, info->attrs,
			      KIPSEC_A_ENCAP_FD, "fd"))
		return -EINVAL;
	return kipsec_encap_attach(kipsec_nl_net(info),
				   nla_get_u32(info->attrs[KIPSEC_A_ENCAP_FD]),
				   info->extack);
}

int kipsec_nl_encap_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	kipsec_encap_detach(kipsec_nl_net(info));
	return 0;
}

int kipsec_nl_register(void)
{
	return kipsec_genl_register_family(&kipsec_nl_family);
}

void kipsec_nl_unregister(void)
{
	genl_unregister_family(&kipsec_nl_family);
}
