// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec sa: the security association database. One keyword parser for
 * every command (each keyword says which commands take it), one encoder
 * and one decoder for struct sa, and the printers monitor.c reuses.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <linux/kipsec.h>

#include "nl.h"

/* ---- wire format ---- */

static const struct scalar sa_scalars[] = {
	SCALAR(struct sa, spi, KIPSEC_A_SA_SPI, true),
	SCALAR(struct sa, proto, KIPSEC_A_SA_PROTO, false),
	SCALAR(struct sa, mode, KIPSEC_A_SA_MODE, false),
	SCALAR(struct sa, replay_window, KIPSEC_A_SA_REPLAY_WINDOW, false),
	SCALAR(struct sa, flags, KIPSEC_A_SA_FLAGS, false),
	SCALAR(struct sa, if_id, KIPSEC_A_SA_IF_ID, false),
	SCALAR(struct sa, reqid, KIPSEC_A_SA_REQID, false),
	SCALAR(struct sa, encap_sport, KIPSEC_A_SA_ENCAP_SPORT, true),
	SCALAR(struct sa, encap_dport, KIPSEC_A_SA_ENCAP_DPORT, true),
	SCALAR(struct sa, state, KIPSEC_A_SA_STATE, false),
	SCALAR(struct sa, spi_min, KIPSEC_A_SA_SPI_MIN, false),
	SCALAR(struct sa, spi_max, KIPSEC_A_SA_SPI_MAX, false),
	SCALAR(struct sa, larval_timeout, KIPSEC_A_SA_LARVAL_TIMEOUT, false),
	SCALAR(struct sa, expire_kind, KIPSEC_A_SA_EXPIRE_KIND, false),
	SCALAR(struct sa, new_port, KIPSEC_A_SA_NEW_PORT, true),
	SCALAR(struct sa, tfc_pad, KIPSEC_A_SA_TFC_PAD, false),
};

static const struct scalar alg_scalars[] = {
	SCALAR(struct alg_cfg, id, KIPSEC_A_ALG_ID, false),
	SCALAR(struct alg_cfg, icv_len, KIPSEC_A_ALG_ICV_LEN, false),
	SCALAR(struct alg_cfg, key_bits, KIPSEC_A_ALG_KEY_LEN, false),
};

/* Scalars are checked by nl_get_scalars; these are the rest. */
static const struct attr_policy sa_pol[KIPSEC_A_SA_MAX + 1] = {
	[KIPSEC_A_SA_SADDR_IPV4]    = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_SA_SADDR_IPV6]    = { MNL_TYPE_BINARY, 16 },
	[KIPSEC_A_SA_DADDR_IPV4]    = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_SA_DADDR_IPV6]    = { MNL_TYPE_BINARY, 16 },
	[KIPSEC_A_SA_NEW_ADDR_IPV4] = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_SA_NEW_ADDR_IPV6] = { MNL_TYPE_BINARY, 16 },
	[KIPSEC_A_SA_CRYPT]	    = { MNL_TYPE_NESTED },
	[KIPSEC_A_SA_AUTH]	    = { MNL_TYPE_NESTED },
	[KIPSEC_A_SA_LIFETIME_SOFT] = { MNL_TYPE_NESTED },
	[KIPSEC_A_SA_LIFETIME_HARD] = { MNL_TYPE_NESTED },
	[KIPSEC_A_SA_STATS]	    = { MNL_TYPE_NESTED },
};

static const struct attr_policy alg_pol[KIPSEC_A_ALG_MAX + 1] = {
	[KIPSEC_A_ALG_KEY] = { MNL_TYPE_BINARY },
};

static void alg_put(struct nlmsghdr *nlh, uint16_t type,
		    const struct alg_cfg *alg)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	nl_put_scalars(nlh, alg, alg->set, alg_scalars,
		       ARRAY_SIZE(alg_scalars));
	if (alg->set & BIT(KIPSEC_A_ALG_KEY))
		mnl_attr_put(nlh, KIPSEC_A_ALG_KEY, alg->key_len, alg->key);
	mnl_attr_nest_end(nlh, nest);
}

void sa_put(struct nlmsghdr *nlh, const struct sa *sa)
{
	nl_put_scalars(nlh, sa, sa->set, sa_scalars, ARRAY_SIZE(sa_scalars));
	nl_put_addr(nlh, KIPSEC_A_SA_SADDR_IPV4, KIPSEC_A_SA_SADDR_IPV6,
		    &sa->src);
	nl_put_addr(nlh, KIPSEC_A_SA_DADDR_IPV4, KIPSEC_A_SA_DADDR_IPV6,
		    &sa->dst);
	if (HAS(sa, KIPSEC_A_SA_CRYPT))
		alg_put(nlh, KIPSEC_A_SA_CRYPT, &sa->crypt);
	if (HAS(sa, KIPSEC_A_SA_AUTH))
		alg_put(nlh, KIPSEC_A_SA_AUTH, &sa->auth);
	nl_put_counters(nlh, KIPSEC_A_SA_LIFETIME_SOFT, &sa->soft);
	nl_put_counters(nlh, KIPSEC_A_SA_LIFETIME_HARD, &sa->hard);
}

static void alg_decode(const struct nlattr *nest, struct alg_cfg *alg)
{
	const struct nlattr *tb[KIPSEC_A_ALG_MAX + 1];

	memset(alg, 0, sizeof(*alg));
	nl_parse_nested(nest, alg_pol, KIPSEC_A_ALG_MAX, tb);
	nl_get_scalars(tb, alg, &alg->set, alg_scalars,
		       ARRAY_SIZE(alg_scalars));
}

void sa_decode(const struct nlmsghdr *nlh, struct sa *sa)
{
	const struct nlattr *tb[KIPSEC_A_SA_MAX + 1];
	static const uint16_t nests[] = { KIPSEC_A_SA_CRYPT, KIPSEC_A_SA_AUTH,
		KIPSEC_A_SA_LIFETIME_SOFT, KIPSEC_A_SA_LIFETIME_HARD,
		KIPSEC_A_SA_STATS };
	size_t i;

	memset(sa, 0, sizeof(*sa));
	genl_parse(nlh, sa_pol, KIPSEC_A_SA_MAX, tb);
	nl_get_scalars(tb, sa, &sa->set, sa_scalars, ARRAY_SIZE(sa_scalars));
	nl_get_addr(tb, KIPSEC_A_SA_SADDR_IPV4, KIPSEC_A_SA_SADDR_IPV6,
		    &sa->src);
	nl_get_addr(tb, KIPSEC_A_SA_DADDR_IPV4, KIPSEC_A_SA_DADDR_IPV6,
		    &sa->dst);
	nl_get_addr(tb, KIPSEC_A_SA_NEW_ADDR_IPV4, KIPSEC_A_SA_NEW_ADDR_IPV6,
		    &sa->new_addr);
	for (i = 0; i < ARRAY_SIZE(nests); i++)
		if (tb[nests[i]])
			sa->set |= BIT(nests[i]);
	alg_decode(tb[KIPSEC_A_SA_CRYPT], &sa->crypt);
	alg_decode(tb[KIPSEC_A_SA_AUTH], &sa->auth);
	nl_get_counters(tb[KIPSEC_A_SA_LIFETIME_SOFT], &sa->soft);
	nl_get_counters(tb[KIPSEC_A_SA_LIFETIME_HARD], &sa->hard);
	nl_get_counters(tb[KIPSEC_A_SA_STATS], &sa->stats);
}

/* ---- printing ---- */

const char *name_or_num(const struct name_val *tbl, size_t n,
			unsigned int val, char *buf, size_t size)
{
	const char *name = val_to_name(tbl, n, val);

	if (name)
		return name;
	snprintf(buf, size, "%u", val);
	return buf;
}

static const char *sa_proto_name(const struct sa *sa, char *buf, size_t size)
{
	return name_or_num(ipsec_proto_names, ipsec_proto_count, sa->proto,
			   buf, size);
}

static const char *alg_name(enum alg_kind kind, uint16_t id)
{
	const struct alg *alg = alg_by_id(kind, id);

	return alg ? alg->name : "unknown";
}

/* The flag names are the keywords that set them. */
static const struct name_val flag_names[] = {
	{ "esn", KIPSEC_SA_FLAGS_ESN },
	{ "legacy", KIPSEC_SA_FLAGS_LEGACY_ALGS },
};

/* "src A dst B proto P spi 0xS": what names an SA in every message. */
void sa_print_id(FILE *f, const struct sa *sa)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN], proto[16];

	fprintf(f, "src %s dst %s proto %s spi 0x%08x",
		format_addr(&sa->src, src, sizeof(src)),
		format_addr(&sa->dst, dst, sizeof(dst)),
		sa_proto_name(sa, proto, sizeof(proto)), sa->spi);
}

void sa_print_head(FILE *f, const struct sa *sa)
{
	char buf[16];

	sa_print_id(f, sa);
	if (HAS(sa, KIPSEC_A_SA_MODE))
		fprintf(f, " mode %s", name_or_num(mode_names, mode_count,
						   sa->mode, buf, sizeof(buf)));
	if (HAS(sa, KIPSEC_A_SA_STATE))
		fprintf(f, " state %s",
			name_or_num(sa_state_names, sa_state_count, sa->state,
				    buf, sizeof(buf)));
}

static void alg_print(FILE *f, const char *label, enum alg_kind kind,
		      const struct alg_cfg *alg)
{
	fprintf(f, "\t%s %s (%u)", label, alg_name(kind, alg->id), alg->id);
	if (alg->set & BIT(KIPSEC_A_ALG_KEY_LEN))
		fprintf(f, " key %u bits", alg->key_bits);
	if (alg->set & BIT(KIPSEC_A_ALG_ICV_LEN))
		fprintf(f, " icv %u", alg->icv_len);
	fputc('\n', f);
}

static void flags_print(FILE *f, uint32_t flags)
{
	const char *sep = "";
	size_t i;

	if (!flags) {
		fputs("none", f);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (flags & flag_names[i].val) {
			fprintf(f, "%s%s", sep, flag_names[i].name);
			sep = ",";
			flags &= ~flag_names[i].val;
		}
	}
	if (flags)
		fprintf(f, "%s0x%x", sep, flags);	/* a newer kernel's */
}

static void counters_print(FILE *f, const struct counters *c)
{
	fprintf(f, "bytes %" PRIu64 " packets %" PRIu64 " seconds %" PRIu64,
		c->val[KIPSEC_A_LIFETIME_BYTES],
		c->val[KIPSEC_A_LIFETIME_PACKETS],
		c->val[KIPSEC_A_LIFETIME_SECONDS]);
}

static void stats_print(FILE *f, const struct counters *s)
{
	char added[32], used[32];

	fprintf(f, "\tstats bytes %" PRIu64 " packets %" PRIu64
		" replay-drops %" PRIu64 " integrity-failures %" PRIu64
		" other-errors %" PRIu64 " added %s used %s\n",
		s->val[KIPSEC_A_SA_STATS_BYTES],
		s->val[KIPSEC_A_SA_STATS_PACKETS],
		s->val[KIPSEC_A_SA_STATS_REPLAY_DROPS],
		s->val[KIPSEC_A_SA_STATS_INTEGRITY_FAILURES],
		s->val[KIPSEC_A_SA_STATS_OTHER_ERRORS],
		format_time(s->val[KIPSEC_A_SA_STATS_ADD_TIME], added,
			    sizeof(added)),
		format_time(s->val[KIPSEC_A_SA_STATS_USE_TIME], used,
			    sizeof(used)));
}

static void sa_print(FILE *f, const struct sa *sa, bool stats)
{
	sa_print_head(f, sa);
	fputc('\n', f);
	if (HAS(sa, KIPSEC_A_SA_CRYPT))
		alg_print(f, "enc", ALG_ENC, &sa->crypt);
	if (HAS(sa, KIPSEC_A_SA_AUTH))
		alg_print(f, "auth", ALG_AUTH, &sa->auth);
	fprintf(f, "\treplay-window %u flags ", sa->replay_window);
	flags_print(f, sa->flags);
	fprintf(f, " if_id %u reqid %u\n", sa->if_id, sa->reqid);
	if (HAS(sa, KIPSEC_A_SA_ENCAP_SPORT) || HAS(sa, KIPSEC_A_SA_ENCAP_DPORT))
		fprintf(f, "\tencap espinudp %u %u\n", sa->encap_sport,
			sa->encap_dport);
	if (HAS(sa, KIPSEC_A_SA_TFC_PAD))
		fprintf(f, "\ttfc-pad %u\n", sa->tfc_pad);
	fputs("\tlifetime soft ", f);
	counters_print(f, &sa->soft);
	fputs(" hard ", f);
	counters_print(f, &sa->hard);
	fputc('\n', f);
	if (stats)
		stats_print(f, &sa->stats);
}

void sa_json_id(struct json *j, const struct sa *sa)
{
	char buf[ADDR_STRLEN];

	if (sa->src.family)
		json_str(j, "src", format_addr(&sa->src, buf, sizeof(buf)));
	json_str(j, "dst", format_addr(&sa->dst, buf, sizeof(buf)));
	json_str(j, "proto", sa_proto_name(sa, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "0x%08x", sa->spi);
	json_str(j, "spi", buf);
}

static void alg_json(struct json *j, const char *key, enum alg_kind kind,
		     const struct alg_cfg *alg)
{
	json_open_obj(j, key);
	json_str(j, "name", alg_name(kind, alg->id));
	json_uint(j, "id", alg->id);
	if (alg->set & BIT(KIPSEC_A_ALG_KEY_LEN))
		json_uint(j, "key_bits", alg->key_bits);
	if (alg->set & BIT(KIPSEC_A_ALG_ICV_LEN))
		json_uint(j, "icv_len", alg->icv_len);
	json_close_obj(j);
}

static void flags_json(struct json *j, uint32_t flags)
{
	size_t i;

	json_open_arr(j, "flags");
	for (i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (flags & flag_names[i].val)
			json_str(j, NULL, flag_names[i].name);
	json_close_arr(j);
}

static void counters_json(struct json *j, const char *key,
			  const struct counters *c, const char *const *names,
			  size_t n)
{
	size_t i;

	json_open_obj(j, key);
	for (i = 1; i < n; i++)
		json_uint(j, names[i], c->val[i]);
	json_close_obj(j);
}

static const char *const lifetime_keys[] = {
	[KIPSEC_A_LIFETIME_BYTES] = "bytes",
	[KIPSEC_A_LIFETIME_PACKETS] = "packets",
	[KIPSEC_A_LIFETIME_SECONDS] = "seconds",
};

static const char *const stats_keys[] = {
	[KIPSEC_A_SA_STATS_BYTES] = "bytes",
	[KIPSEC_A_SA_STATS_PACKETS] = "packets",
	[KIPSEC_A_SA_STATS_REPLAY_DROPS] = "replay_drops",
	[KIPSEC_A_SA_STATS_INTEGRITY_FAILURES] = "integrity_failures",
	[KIPSEC_A_SA_STATS_OTHER_ERRORS] = "other_errors",
	[KIPSEC_A_SA_STATS_ADD_TIME] = "add_time",
	[KIPSEC_A_SA_STATS_USE_TIME] = "use_time",
};

void sa_json(struct json *j, const char *key, const struct sa *sa,
	     bool stats)
{
	char buf[16];

	json_open_obj(j, key);
	sa_json_id(j, sa);
	if (HAS(sa, KIPSEC_A_SA_MODE))
		json_str(j, "mode", name_or_num(mode_names, mode_count,
						sa->mode, buf, sizeof(buf)));
	if (HAS(sa, KIPSEC_A_SA_STATE))
		json_str(j, "state", name_or_num(sa_state_names,
						 sa_state_count, sa->state,
						 buf, sizeof(buf)));
	if (HAS(sa, KIPSEC_A_SA_CRYPT))
		alg_json(j, "enc", ALG_ENC, &sa->crypt);
	if (HAS(sa, KIPSEC_A_SA_AUTH))
		alg_json(j, "auth", ALG_AUTH, &sa->auth);
	json_uint(j, "replay_window", sa->replay_window);
	flags_json(j, sa->flags);
	json_uint(j, "if_id", sa->if_id);
	json_uint(j, "reqid", sa->reqid);
	if (HAS(sa, KIPSEC_A_SA_ENCAP_SPORT) ||
	    HAS(sa, KIPSEC_A_SA_ENCAP_DPORT)) {
		json_open_obj(j, "encap");
		json_str(j, "type", "espinudp");
		json_uint(j, "sport", sa->encap_sport);
		json_uint(j, "dport", sa->encap_dport);
		json_close_obj(j);
	}
	if (HAS(sa, KIPSEC_A_SA_TFC_PAD))
		json_uint(j, "tfc_pad", sa->tfc_pad);
	json_open_obj(j, "lifetime");
	counters_json(j, "soft", &sa->soft, lifetime_keys,
		      ARRAY_SIZE(lifetime_keys));
	counters_json(j, "hard", &sa->hard, lifetime_keys,
		      ARRAY_SIZE(lifetime_keys));
	json_close_obj(j);
	if (stats)
		counters_json(j, "stats", &sa->stats, stats_keys,
			      ARRAY_SIZE(stats_keys));
	json_close_obj(j);
}

/* ---- the command line ---- */

enum sa_kw {
	KW_SRC, KW_DST, KW_PROTO, KW_SPI, KW_MODE, KW_ENC, KW_AUTH, KW_ICV,
	KW_REPLAY, KW_ESN, KW_LEGACY, KW_IF_ID, KW_REQID, KW_ENCAP, KW_TFC,
	KW_SOFT, KW_HARD, KW_MIN, KW_MAX, KW_TIMEOUT,
};

struct sa_keyword {
	const char *name;
	enum sa_kw kw;
	unsigned int cmds;
	uint16_t attr;		/* lifetimes: KIPSEC_A_LIFETIME_* */
};

static const struct sa_keyword sa_keywords[] = {
	{ "src",	   KW_SRC,     SA_CONFIG | SA_ID | SA_ALLOC, 0 },
	{ "dst",	   KW_DST,     SA_CONFIG | SA_ID | SA_ALLOC, 0 },
	{ "proto",	   KW_PROTO,   SA_CONFIG | SA_ID | SA_FLUSH | SA_ALLOC, 0 },
	{ "spi",	   KW_SPI,     SA_CONFIG | SA_ID, 0 },
	{ "mode",	   KW_MODE,    SA_CONFIG, 0 },
	{ "enc",	   KW_ENC,     SA_CONFIG, 0 },
	{ "auth",	   KW_AUTH,    SA_CONFIG, 0 },
	{ "icv-len",	   KW_ICV,     SA_CONFIG, 0 },
	{ "replay-window", KW_REPLAY,  SA_CONFIG, 0 },
	{ "esn",	   KW_ESN,     SA_CONFIG, 0 },
	{ "legacy",	   KW_LEGACY,  SA_CONFIG, 0 },
	{ "if_id",	   KW_IF_ID,   SA_CONFIG, 0 },
	{ "if-id",	   KW_IF_ID,   SA_CONFIG, 0 },
	{ "reqid",	   KW_REQID,   SA_CONFIG | SA_ALLOC, 0 },
	{ "encap",	   KW_ENCAP,   SA_CONFIG, 0 },
	{ "tfc-pad",	   KW_TFC,     SA_CONFIG, 0 },
	{ "soft-bytes",	   KW_SOFT,    SA_CONFIG, KIPSEC_A_LIFETIME_BYTES },
	{ "soft-packets",  KW_SOFT,    SA_CONFIG, KIPSEC_A_LIFETIME_PACKETS },
	{ "soft-seconds",  KW_SOFT,    SA_CONFIG, KIPSEC_A_LIFETIME_SECONDS },
	{ "hard-bytes",	   KW_HARD,    SA_CONFIG, KIPSEC_A_LIFETIME_BYTES },
	{ "hard-packets",  KW_HARD,    SA_CONFIG, KIPSEC_A_LIFETIME_PACKETS },
	{ "hard-seconds",  KW_HARD,    SA_CONFIG, KIPSEC_A_LIFETIME_SECONDS },
	{ "min",	   KW_MIN,     SA_ALLOC, 0 },
	{ "max",	   KW_MAX,     SA_ALLOC, 0 },
	{ "timeout",	   KW_TIMEOUT, SA_ALLOC, 0 },
};

static const struct sa_keyword *sa_keyword(const char *word, unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sa_keywords); i++)
		if ((sa_keywords[i].cmds & cmd) &&
		    !strcmp(sa_keywords[i].name, word))
			return &sa_keywords[i];
	return NULL;
}

/* "enc NAME KEY" / "auth NAME KEY". The key never appears in messages. */
static void arg_alg(struct args *a, const char *kw, enum alg_kind kind,
		    struct alg_cfg *alg)
{
	const char *name = arg_value(a, kw), *key;
	const struct alg *known;
	ssize_t len;

	if (parse_alg(kind, name, &alg->id))
		usage_die(a, "unknown %s algorithm \"%s\"",
			  kind == ALG_ENC ? "encryption" : "integrity", name);
	key = arg_value(a, kw);
	len = parse_hex_key(key, alg->key, sizeof(alg->key));
	if (len < 0)
		usage_die(a, "invalid key for \"%s\" (an even number of hex digits, at most %d bytes)",
			  kw, KEY_MAX);
	alg->key_len = len;
	alg->set |= BIT(KIPSEC_A_ALG_ID) | BIT(KIPSEC_A_ALG_KEY);
	known = alg_by_id(kind, alg->id);
	if (known && known->legacy)
		warnx_kipsec("%s is deprecated; use it only to talk to legacy peers",
			     known->name);
}

static void arg_encap(struct args *a, struct sa *sa)
{
	const char *w = args_peek(a);

	if (w && !strcmp(w, "espinudp"))	/* the only type; optional */
		args_next(a);
	sa->encap_sport = arg_u16(a, "encap");
	sa->encap_dport = arg_u16(a, "encap");
	sa->set |= BIT(KIPSEC_A_SA_ENCAP_SPORT) | BIT(KIPSEC_A_SA_ENCAP_DPORT);
}

static void sa_parse_kw(struct args *a, const struct sa_keyword *k,
			struct sa *sa, int *icv)
{
	struct counters *life;

	switch (k->kw) {
	case KW_SRC:
		arg_addr(a, k->name, &sa->src);
		return;
	case KW_DST:
		arg_addr(a, k->name, &sa->dst);
		return;
	case KW_ENC:
		arg_alg(a, k->name, ALG_ENC, &sa->crypt);
		sa->set |= BIT(KIPSEC_A_SA_CRYPT);
		return;
	case KW_AUTH:
		arg_alg(a, k->name, ALG_AUTH, &sa->auth);
		sa->set |= BIT(KIPSEC_A_SA_AUTH);
		return;
	case KW_ICV:
		*icv = arg_u8(a, k->name);
		return;
	case KW_ENCAP:
		arg_encap(a, sa);
		return;
	case KW_SOFT:
	case KW_HARD:
		life = k->kw == KW_SOFT ? &sa->soft : &sa->hard;
		life->val[k->attr] = arg_u64(a, k->name);
		life->set |= BIT(k->attr);
		return;
	case KW_ESN:
		sa->flags |= KIPSEC_SA_FLAGS_ESN;
		sa->set |= BIT(KIPSEC_A_SA_FLAGS);
		return;
	case KW_LEGACY:
		sa->flags |= KIPSEC_SA_FLAGS_LEGACY_ALGS;
		sa->set |= BIT(KIPSEC_A_SA_FLAGS);
		warnx_kipsec("legacy: allowing deprecated algorithms (DES, 3DES, HMAC-MD5) for this SA");
		return;
	case KW_PROTO:
		sa->proto = arg_enum(a, k->name, ipsec_proto_names,
				     ipsec_proto_count, UINT8_MAX);
		sa->set |= BIT(KIPSEC_A_SA_PROTO);
		return;
	case KW_MODE:
		sa->mode = arg_enum(a, k->name, mode_names, mode_count, 0);
		sa->set |= BIT(KIPSEC_A_SA_MODE);
		return;
	case KW_SPI:
		sa->spi = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_SPI);
		return;
	case KW_REPLAY:
		sa->replay_window = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_REPLAY_WINDOW);
		return;
	case KW_IF_ID:
		sa->if_id = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_IF_ID);
		return;
	case KW_REQID:
		sa->reqid = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_REQID);
		return;
	case KW_TFC:
		sa->tfc_pad = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_TFC_PAD);
		return;
	case KW_MIN:
		sa->spi_min = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_SPI_MIN);
		return;
	case KW_MAX:
		sa->spi_max = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_SPI_MAX);
		return;
	case KW_TIMEOUT:
		sa->larval_timeout = arg_u32(a, k->name);
		sa->set |= BIT(KIPSEC_A_SA_LARVAL_TIMEOUT);
		return;
	}
}

void sa_parse(struct args *a, unsigned int cmd, struct sa *sa)
{
	const struct sa_keyword *k;
	const char *w;
	int icv = -1;

	memset(sa, 0, sizeof(*sa));
	while ((w = args_next(a))) {
		k = sa_keyword(w, cmd);
		if (!k)
			unknown_keyword(a, w);
		sa_parse_kw(a, k, sa, &icv);
	}
	if (icv < 0)
		return;
	/* The ICV is the integrity algorithm's, or else the AEAD's. */
	if (HAS(sa, KIPSEC_A_SA_AUTH)) {
		sa->auth.icv_len = icv;
		sa->auth.set |= BIT(KIPSEC_A_ALG_ICV_LEN);
	} else if (HAS(sa, KIPSEC_A_SA_CRYPT)) {
		sa->crypt.icv_len = icv;
		sa->crypt.set |= BIT(KIPSEC_A_ALG_ICV_LEN);
	} else {
		usage_die(a, "\"icv-len\" needs \"enc\" or \"auth\"");
	}
}

/* ---- commands ---- */

struct show_ctx {
	const struct opts *o;
	struct json j;
	struct sa sa;
};

static int sa_show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *ctx = data;

	sa_decode(nlh, &ctx->sa);
	if (ctx->o->json)
		sa_json(&ctx->j, NULL, &ctx->sa, ctx->o->stats);
	else
		sa_print(stdout, &ctx->sa, ctx->o->stats);
	return MNL_CB_OK;
}

/* Parse everything, then open the socket, then send one request. */
static int sa_request(struct args *a, unsigned int cmd, uint8_t nlcmd,
		      mnl_cb_t cb, void *data)
{
	static struct sa sa;	/* two 512-byte keys: keep it off the stack */
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	sa_parse(a, cmd, &sa);
	if (cmd == SA_ID) {
		/* not part of an SA's identity; the kernel would refuse it */
		memset(&sa.src, 0, sizeof(sa.src));
	}
	if (genl_open(&nl))
		return EXIT_FAIL;
	nlh = genl_msg(&nl, nlcmd, 0);
	sa_put(nlh, &sa);
	ret = nl_do(&nl, nlh, a->command, cb, data);
	/* the request held keys; do not leave them in the buffer */
	memset(nlh, 0, nlh->nlmsg_len);
	memset(&sa, 0, sizeof(sa));
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int sa_add(struct args *a, const struct opts *o)
{
	(void)o;
	return sa_request(a, SA_CONFIG, KIPSEC_CMD_SA_NEW, NULL, NULL);
}

static int sa_update(struct args *a, const struct opts *o)
{
	(void)o;
	return sa_request(a, SA_CONFIG, KIPSEC_CMD_SA_SET, NULL, NULL);
}

static int sa_del(struct args *a, const struct opts *o)
{
	(void)o;
	return sa_request(a, SA_ID, KIPSEC_CMD_SA_DEL, NULL, NULL);
}

static int sa_flush(struct args *a, const struct opts *o)
{
	(void)o;
	return sa_request(a, SA_FLUSH, KIPSEC_CMD_SA_FLUSH, NULL, NULL);
}

static int sa_get(struct args *a, const struct opts *o)
{
	struct show_ctx ctx = { .o = o };

	json_init(&ctx.j, stdout);
	return sa_request(a, SA_ID, KIPSEC_CMD_SA_GET, sa_show_cb, &ctx);
}

static int spi_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sa *sa = data;

	sa_decode(nlh, sa);
	return MNL_CB_OK;
}

static int sa_allocspi(struct args *a, const struct opts *o)
{
	struct sa reply = { 0 };
	struct json j;
	char buf[16];
	int ret;

	ret = sa_request(a, SA_ALLOC, KIPSEC_CMD_SA_ALLOC_SPI, spi_cb, &reply);
	if (ret)
		return ret;
	if (!HAS(&reply, KIPSEC_A_SA_SPI)) {
		errx_kipsec("%s: the kernel's reply has no SPI", a->command);
		return EXIT_FAIL;
	}
	snprintf(buf, sizeof(buf), "0x%08x", reply.spi);
	if (o->json) {
		json_init(&j, stdout);
		json_open_obj(&j, NULL);
		json_str(&j, "spi", buf);
		json_close_obj(&j);
	} else {
		puts(buf);
	}
	return EXIT_OK;
}

static int sa_show(struct args *a, const struct opts *o)
{
	static struct show_ctx ctx;
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (genl_open(&nl))
		return EXIT_FAIL;
	ctx.o = o;
	json_init(&ctx.j, stdout);
	if (o->json)
		json_open_arr(&ctx.j, NULL);
	nlh = genl_msg(&nl, KIPSEC_CMD_SA_GET, NLM_F_DUMP);
	ret = nl_do(&nl, nlh, a->command, sa_show_cb, &ctx);
	if (o->json)
		json_close_arr(&ctx.j);
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static void sa_usage(FILE *f)
{
	fputs("Usage: kipsec [-j] [-s] sa { add | update } src ADDR dst ADDR proto { esp | ah } spi SPI\n"
	      "                 mode { tunnel | transport } [enc ENC-ALG KEY] [auth AUTH-ALG KEY]\n"
	      "                 [icv-len N] [replay-window N] [esn] [legacy] [if_id N] [reqid N]\n"
	      "                 [encap [espinudp] SPORT DPORT] [tfc-pad N]\n"
	      "                 [soft-bytes N] [soft-packets N] [soft-seconds N]\n"
	      "                 [hard-bytes N] [hard-packets N] [hard-seconds N]\n"
	      "       kipsec [-j] [-s] sa { get | del } [src ADDR] dst ADDR proto PROTO spi SPI\n"
	      "       kipsec [-j] [-s] sa [ show ]\n"
	      "       kipsec sa flush [proto PROTO]\n"
	      "       kipsec [-j] sa allocspi dst ADDR proto PROTO [src ADDR] [min N] [max N]\n"
	      "                 [timeout SECS] [reqid N]\n"
	      "ENC-ALG := des-cbc | 3des-cbc | null | aes-cbc | aes-ctr | aes-ccm-{8,12,16} |\n"
	      "           aes-gcm-{8,12,16} | aes-gmac | chacha20-poly1305 | IANA-ID\n"
	      "AUTH-ALG := hmac-md5-96 | hmac-sha1-96 | aes-xcbc-96 | aes-cmac-96 |\n"
	      "            hmac-sha2-256-128 | hmac-sha2-384-192 | hmac-sha2-512-256 | IANA-ID\n"
	      "KEY := hex digits, optional 0x (salt/nonce appended for AEAD and CTR)\n",
	      f);
}

static const struct command sa_cmds[] = {
	{ "add", sa_add },
	{ "update", sa_update },
	{ "get", sa_get },
	{ "del", sa_del },
	{ "delete", sa_del },
	{ "show", sa_show },
	{ "list", sa_show },
	{ "flush", sa_flush },
	{ "allocspi", sa_allocspi },
};

const struct object sa_object = {
	"sa", sa_cmds, ARRAY_SIZE(sa_cmds), "show", sa_usage,
};
