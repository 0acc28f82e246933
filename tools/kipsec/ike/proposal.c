// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals. The keywords are strongSwan's (docs.strongswan.org,
 * "Algorithm Proposals (Cipher Suites)"), mapped to the IANA IKEv2
 * transform IDs of ike.h; the checks on a proposal string are strongSwan's
 * plus two of ours (ESP without integrity and weak algorithms are
 * refused). Selection follows RFC 7296 2.7 and 3.3.6, preferring our
 * order as strongSwan does, and records which transform types never
 * matched so the user is told what differs rather than just
 * NO_PROPOSAL_CHOSEN.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../kipsec.h"
#include "proposal.h"

#define TYPE_BIT(t)	(UINT32_C(1) << (t))
#define MAX_PROPOSALS	255	/* the proposal number is one byte */

struct keyword {
	const char *name;
	uint8_t type;
	uint16_t id;
	const char *weak;	/* why it needs weak_algorithms, if it does */
};

/* AES has its own parser below: too many spellings for a table. */
static const struct keyword keywords[] = {
	{ "null",	IKE_TR_ENCR,	IKE_ENCR_NULL,		NULL },
	{ "des",	IKE_TR_ENCR,	IKE_ENCR_DES,		"a 56-bit key" },
	{ "3des",	IKE_TR_ENCR,	IKE_ENCR_3DES,
	  "a 64-bit block cipher" },
	{ "chacha20poly1305", IKE_TR_ENCR, IKE_ENCR_CHACHA20_POLY1305, NULL },
	{ "sha",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA1_96,	NULL },
	{ "sha1",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA1_96,	NULL },
	{ "sha256",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA2_256_128, NULL },
	{ "sha2_256",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA2_256_128, NULL },
	{ "sha384",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA2_384_192, NULL },
	{ "sha2_384",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA2_384_192, NULL },
	{ "sha512",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA2_512_256, NULL },
	{ "sha2_512",	IKE_TR_INTEG,	IKE_INTEG_HMAC_SHA2_512_256, NULL },
	{ "md5",	IKE_TR_INTEG,	IKE_INTEG_HMAC_MD5_96,	"MD5" },
	{ "aesxcbc",	IKE_TR_INTEG,	IKE_INTEG_AES_XCBC_96,	NULL },
	{ "aescmac",	IKE_TR_INTEG,	IKE_INTEG_AES_CMAC_96,	NULL },
	{ "prfsha1",	IKE_TR_PRF,	IKE_PRF_HMAC_SHA1,	NULL },
	{ "prfsha256",	IKE_TR_PRF,	IKE_PRF_HMAC_SHA2_256,	NULL },
	{ "prfsha384",	IKE_TR_PRF,	IKE_PRF_HMAC_SHA2_384,	NULL },
	{ "prfsha512",	IKE_TR_PRF,	IKE_PRF_HMAC_SHA2_512,	NULL },
	{ "prfmd5",	IKE_TR_PRF,	IKE_PRF_HMAC_MD5,	"MD5" },
	{ "prfaesxcbc",	IKE_TR_PRF,	IKE_PRF_AES128_XCBC,	NULL },
	{ "prfaescmac",	IKE_TR_PRF,	IKE_PRF_AES128_CMAC,	NULL },
	{ "none",	IKE_TR_KE,	IKE_KE_NONE,		NULL },
	{ "modpnone",	IKE_TR_KE,	IKE_KE_NONE,		NULL },
	{ "modp768",	IKE_TR_KE,	IKE_KE_MODP768,
	  "a MODP group below 2048 bits" },
	{ "modp1024",	IKE_TR_KE,	IKE_KE_MODP1024,
	  "a MODP group below 2048 bits" },
	{ "modp1536",	IKE_TR_KE,	IKE_KE_MODP1536,
	  "a MODP group below 2048 bits" },
	{ "modp2048",	IKE_TR_KE,	IKE_KE_MODP2048,	NULL },
	{ "modp3072",	IKE_TR_KE,	IKE_KE_MODP3072,	NULL },
	{ "modp4096",	IKE_TR_KE,	IKE_KE_MODP4096,	NULL },
	{ "modp6144",	IKE_TR_KE,	IKE_KE_MODP6144,	NULL },
	{ "modp8192",	IKE_TR_KE,	IKE_KE_MODP8192,	NULL },
	{ "ecp256",	IKE_TR_KE,	IKE_KE_ECP256,		NULL },
	{ "ecp384",	IKE_TR_KE,	IKE_KE_ECP384,		NULL },
	{ "ecp521",	IKE_TR_KE,	IKE_KE_ECP521,		NULL },
	{ "curve25519",	IKE_TR_KE,	IKE_KE_CURVE25519,	NULL },
	{ "x25519",	IKE_TR_KE,	IKE_KE_CURVE25519,	NULL },
	{ "curve448",	IKE_TR_KE,	IKE_KE_CURVE448,	NULL },
	{ "x448",	IKE_TR_KE,	IKE_KE_CURVE448,	NULL },
	{ "noesn",	IKE_TR_ESN,	IKE_ESN_NO,		NULL },
	{ "esn",	IKE_TR_ESN,	IKE_ESN_YES,		NULL },
};

/* strongSwan's PRF for a proposal that names only integrity algorithms. */
static const struct {
	uint16_t integ, prf;
} integ_prf[] = {
	{ IKE_INTEG_HMAC_MD5_96,	IKE_PRF_HMAC_MD5 },
	{ IKE_INTEG_HMAC_SHA1_96,	IKE_PRF_HMAC_SHA1 },
	{ IKE_INTEG_AES_XCBC_96,	IKE_PRF_AES128_XCBC },
	{ IKE_INTEG_AES_CMAC_96,	IKE_PRF_AES128_CMAC },
	{ IKE_INTEG_HMAC_SHA2_256_128,	IKE_PRF_HMAC_SHA2_256 },
	{ IKE_INTEG_HMAC_SHA2_384_192,	IKE_PRF_HMAC_SHA2_384 },
	{ IKE_INTEG_HMAC_SHA2_512_256,	IKE_PRF_HMAC_SHA2_512 },
};

/* Wire order of the types in a proposal, and in our messages. */
static const uint8_t type_order[] = {
	IKE_TR_ENCR, IKE_TR_PRF, IKE_TR_INTEG, IKE_TR_KE, IKE_TR_ESN,
};

static const char *const type_short[] = {
	[IKE_TR_ENCR] = "ENCR", [IKE_TR_PRF] = "PRF", [IKE_TR_INTEG] = "INTEG",
	[IKE_TR_KE] = "KE", [IKE_TR_ESN] = "ESN",
};

static const char *const type_words[] = {
	[IKE_TR_ENCR] = "encryption algorithm",
	[IKE_TR_PRF] = "pseudorandom function",
	[IKE_TR_INTEG] = "integrity algorithm",
	[IKE_TR_KE] = "key exchange method",
	[IKE_TR_ESN] = "extended sequence numbers",
};

uint16_t ike_proposal_id(const struct ike_proposal *p, uint8_t type,
			 uint16_t *keylen)
{
	size_t i;

	for (i = 0; i < p->n_tr; i++) {
		if (p->tr[i].type != type)
			continue;
		if (keylen)
			*keylen = p->tr[i].keylen;
		return p->tr[i].id;
	}
	return 0;
}

bool ike_encr_is_aead(uint16_t id)
{
	switch (id) {
	case IKE_ENCR_AES_CCM_8:
	case IKE_ENCR_AES_CCM_12:
	case IKE_ENCR_AES_CCM_16:
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
	case IKE_ENCR_NULL_AES_GMAC:
	case IKE_ENCR_CHACHA20_POLY1305:
		return true;
	default:
		return false;
	}
}

/* The ICV of ccm/gcm in bytes (8, 12, 16) or bits (64, 96, 128). */
static int aes_icv(const char *s, const uint16_t ids[3], uint16_t *id)
{
	static const char *const spell[3][2] = {
		{ "8", "64" }, { "12", "96" }, { "16", "128" },
	};
	int i;

	if (!*s) {	/* "aes128gcm" is the 16-byte ICV */
		*id = ids[2];
		return 0;
	}
	for (i = 0; i < 3; i++) {
		if (!strcmp(s, spell[i][0]) || !strcmp(s, spell[i][1])) {
			*id = ids[i];
			return 0;
		}
	}
	return -1;
}

/*
 * aes, aes128, aes192 and aes256 are CBC; aesNNNctr, aesNNNccmICV,
 * aesNNNgcmICV and aesNNNgmac the other modes, always with a key size.
 */
static int aes_keyword(const char *s, struct ike_transform *tr)
{
	static const uint16_t ccm[3] = {
		IKE_ENCR_AES_CCM_8, IKE_ENCR_AES_CCM_12, IKE_ENCR_AES_CCM_16,
	};
	static const uint16_t gcm[3] = {
		IKE_ENCR_AES_GCM_8, IKE_ENCR_AES_GCM_12, IKE_ENCR_AES_GCM_16,
	};

	if (strncasecmp(s, "aes", 3))
		return -1;
	s += 3;
	tr->type = IKE_TR_ENCR;
	tr->id = IKE_ENCR_AES_CBC;
	tr->keylen = 128;
	if (!*s)
		return 0;
	if (!strncmp(s, "128", 3) || !strncmp(s, "192", 3) ||
	    !strncmp(s, "256", 3))
		tr->keylen = atoi(s);
	else
		return -1;
	s += 3;
	if (!*s)
		return 0;
	if (!strcasecmp(s, "ctr")) {
		tr->id = IKE_ENCR_AES_CTR;
		return 0;
	}
	if (!strcasecmp(s, "gmac")) {
		tr->id = IKE_ENCR_NULL_AES_GMAC;
		return 0;
	}
	if (!strncasecmp(s, "ccm", 3))
		return aes_icv(s + 3, ccm, &tr->id);
	if (!strncasecmp(s, "gcm", 3))
		return aes_icv(s + 3, gcm, &tr->id);
	return -1;
}

static const struct keyword *find_keyword(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcasecmp(keywords[i].name, s))
			return &keywords[i];
	return NULL;
}

/* One proposal being parsed: each type's transforms, in the order given. */
struct draft {
	struct ike_transform tr[IKE_TR_ESN + 1][IKE_MAX_TRANSFORMS];
	uint8_t n[IKE_TR_ESN + 1];
	bool aead;		/* set by the first cipher */
};

/* Where we are: the whole string for offsets, the proposal for messages. */
struct pctx {
	const char *s;
	size_t item, item_len;
	uint8_t proto;
	unsigned int flags;
	char *err;
	size_t errlen;
	size_t *err_off;
};

static __attribute__((format(printf, 3, 4)))
int fail(const struct pctx *c, size_t off, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	snprintf(c->err, c->errlen, "bad proposal '%.*s': ",
		 (int)c->item_len, c->s + c->item);
	len = strlen(c->err);
	va_start(ap, fmt);
	vsnprintf(c->err + len, c->errlen - len, fmt, ap);
	va_end(ap);
	*c->err_off = off;
	return -1;
}

static bool draft_has(const struct draft *d, const struct ike_transform *tr)
{
	uint8_t i;

	for (i = 0; i < d->n[tr->type]; i++)
		if (d->tr[tr->type][i].id == tr->id &&
		    d->tr[tr->type][i].keylen == tr->keylen)
			return true;
	return false;
}

static int draft_add(const struct pctx *c, struct draft *d,
		     const struct ike_transform *tr, const char *tok,
		     size_t off)
{
	uint8_t t = tr->type;

	if (t == IKE_TR_ENCR) {
		bool aead = ike_encr_is_aead(tr->id);

		if (d->n[t] && aead != d->aead)
			return fail(c, off,
				    "'%s' cannot share a proposal with %s ciphers (separate them with a comma)",
				    tok, d->aead ? "AEAD" : "non-AEAD");
		d->aead = aead;
	}
	if (draft_has(d, tr))
		return 0;
	if (d->n[t] == IKE_MAX_TRANSFORMS)
		return fail(c, off, "too many algorithms");
	d->tr[t][d->n[t]++] = *tr;
	return 0;
}

/* What IKE cannot use: no encryption, GMAC, ESN, no key exchange. */
static bool esp_only(const struct ike_transform *tr)
{
	return (tr->type == IKE_TR_ENCR && (tr->id == IKE_ENCR_NULL ||
					    tr->id == IKE_ENCR_NULL_AES_GMAC)) ||
	       tr->type == IKE_TR_ESN ||
	       (tr->type == IKE_TR_KE && tr->id == IKE_KE_NONE);
}

static int parse_token(const struct pctx *c, struct draft *d, size_t off,
		       size_t len)
{
	const struct keyword *kw;
	struct ike_transform tr;
	char tok[32];

	if (!len)
		return fail(c, off, "empty algorithm name");
	if (len >= sizeof(tok))
		return fail(c, off, "unknown algorithm '%.*s'", (int)len,
			    c->s + off);
	memcpy(tok, c->s + off, len);
	tok[len] = '\0';
	kw = find_keyword(tok);
	if (kw) {
		if (kw->weak && !(c->flags & IKE_PROPOSAL_WEAK))
			return fail(c, off,
				    "'%s' is weak (%s); allow it with weak_algorithms = yes",
				    tok, kw->weak);
		tr = (struct ike_transform){ kw->type, kw->id, 0 };
	} else if (aes_keyword(tok, &tr)) {
		return fail(c, off, "unknown algorithm '%s'", tok);
	}
	if (c->proto == IKE_PROTO_IKE && esp_only(&tr))
		return fail(c, off, "'%s' is for ESP proposals only", tok);
	return draft_add(c, d, &tr, tok, off);
}

/* No PRF given: take those of the integrity algorithms, as strongSwan. */
static void derive_prfs(const struct pctx *c, struct draft *d)
{
	uint8_t i;
	size_t j;

	for (i = 0; i < d->n[IKE_TR_INTEG]; i++) {
		for (j = 0; j < ARRAY_SIZE(integ_prf); j++) {
			struct ike_transform prf = {
				IKE_TR_PRF, integ_prf[j].prf, 0,
			};

			if (integ_prf[j].integ == d->tr[IKE_TR_INTEG][i].id)
				draft_add(c, d, &prf, NULL, 0);
		}
	}
}

static int check_ike(const struct pctx *c, struct draft *d)
{
	if (!d->aead && !d->n[IKE_TR_INTEG])
		return fail(c, c->item,
			    "no integrity algorithm (a non-AEAD cipher needs one, e.g. sha256)");
	if (!d->n[IKE_TR_PRF])
		derive_prfs(c, d);
	if (!d->n[IKE_TR_PRF])
		return fail(c, c->item,
			    "no pseudorandom function (IKE with an AEAD cipher needs one, e.g. prfsha256)");
	if (!d->n[IKE_TR_KE])
		return fail(c, c->item,
			    "no key exchange method (e.g. ecp256 or modp2048)");
	return 0;
}

/*
 * strongSwan drops PRFs from ESP proposals, and so do we. It allows a
 * non-AEAD cipher without integrity; we do not: unauthenticated
 * encryption is open to active attacks.
 */
static int check_esp(const struct pctx *c, struct draft *d)
{
	struct ike_transform noesn = { IKE_TR_ESN, IKE_ESN_NO, 0 };

	d->n[IKE_TR_PRF] = 0;
	if (!d->aead && !d->n[IKE_TR_INTEG])
		return fail(c, c->item,
			    "no integrity algorithm (ESP with a non-AEAD cipher needs one, e.g. sha256)");
	if (!d->n[IKE_TR_ESN])
		draft_add(c, d, &noesn, NULL, 0);
	return 0;
}

static int draft_finish(const struct pctx *c, struct draft *d,
			struct ike_proposal *p, uint8_t num)
{
	size_t i;
	uint8_t j;

	if (!d->n[IKE_TR_ENCR])
		return fail(c, c->item, "no encryption algorithm");
	if (c->proto == IKE_PROTO_IKE ? check_ike(c, d) : check_esp(c, d))
		return -1;
	/* AEAD: strongSwan strips integrity, it only named the PRF */
	if (d->aead)
		d->n[IKE_TR_INTEG] = 0;
	memset(p, 0, sizeof(*p));
	p->num = num;
	p->proto = c->proto;
	for (i = 0; i < ARRAY_SIZE(type_order); i++) {
		uint8_t t = type_order[i];

		for (j = 0; j < d->n[t]; j++) {
			if (p->n_tr == IKE_MAX_TRANSFORMS)
				return fail(c, c->item,
					    "more than %d algorithms",
					    IKE_MAX_TRANSFORMS);
			p->tr[p->n_tr++] = d->tr[t][j];
		}
	}
	return 0;
}

static int list_append(const struct pctx *c, struct ike_proposal_list *list,
		       const struct ike_proposal *p)
{
	struct ike_proposal *v;

	if (list->n == MAX_PROPOSALS)
		return fail(c, c->item, "more than %d proposals",
			    MAX_PROPOSALS);
	v = realloc(list->v, (list->n + 1) * sizeof(*v));
	if (!v)
		return fail(c, c->item, "out of memory");
	list->v = v;
	list->v[list->n++] = *p;
	return 0;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static int parse_list(struct ike_proposal_list *list, struct pctx *c);

static int parse_defaults(struct ike_proposal_list *list, const struct pctx *c)
{
	bool ike = c->proto == IKE_PROTO_IKE;
	struct pctx def = *c;

	def.s = ike ? IKE_DEFAULT_IKE "," IKE_DEFAULT_IKE_AEAD :
		      IKE_DEFAULT_ESP "," IKE_DEFAULT_ESP_AEAD;
	def.flags = 0;
	return parse_list(list, &def);
}

static int parse_item(struct ike_proposal_list *list, struct pctx *c)
{
	size_t end = c->item + c->item_len, off = c->item;
	struct ike_proposal p;
	struct draft d;

	if (!c->item_len)
		return fail(c, off, "empty proposal");
	if (c->item_len == 7 && !strncasecmp(c->s + off, "default", 7))
		return parse_defaults(list, c);
	memset(&d, 0, sizeof(d));
	while (off <= end) {
		const char *dash = memchr(c->s + off, '-', end - off);
		size_t next = dash ? (size_t)(dash - c->s) : end, tok_end = next;

		/* strongSwan allows blanks around the dashes */
		while (off < tok_end && is_blank(c->s[off]))
			off++;
		while (tok_end > off && is_blank(c->s[tok_end - 1]))
			tok_end--;
		if (parse_token(c, &d, off, tok_end - off))
			return -1;
		off = next + 1;
	}
	if (draft_finish(c, &d, &p, list->n + 1))
		return -1;
	return list_append(c, list, &p);
}

static int parse_list(struct ike_proposal_list *list, struct pctx *c)
{
	size_t off = 0, len = strlen(c->s);

	while (off <= len) {
		const char *comma = strchr(c->s + off, ',');
		size_t end = comma ? (size_t)(comma - c->s) : len;

		while (off < end && is_blank(c->s[off]))
			off++;
		c->item = off;
		while (end > off && is_blank(c->s[end - 1]))
			end--;
		c->item_len = end - off;
		if (parse_item(list, c))
			return -1;
		off = (comma ? (size_t)(comma - c->s) : len) + 1;
	}
	return 0;
}

int ike_proposals_parse(struct ike_proposal_list *list, const char *s,
			uint8_t proto, unsigned int flags,
			char *err, size_t errlen, size_t *err_off)
{
	struct pctx c = {
		.s = s, .proto = proto, .flags = flags,
		.err = err, .errlen = errlen, .err_off = err_off,
	};
	size_t had = list->n;

	if (parse_list(list, &c)) {
		list->n = had;
		return -1;
	}
	return 0;
}

void ike_proposal_list_free(struct ike_proposal_list *list)
{
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

const char *ike_transform_format(const struct ike_transform *tr,
				 char *buf, size_t size)
{
	const char *name = ike_transform_name(tr->type, tr->id);
	size_t len;

	if (name)
		snprintf(buf, size, "%s", name);
	else if (tr->type >= IKE_TR_ENCR && tr->type <= IKE_TR_ESN)
		snprintf(buf, size, "%s_%u", type_short[tr->type], tr->id);
	else
		snprintf(buf, size, "TYPE%u_%u", tr->type, tr->id);
	len = strlen(buf);
	if (tr->keylen)
		snprintf(buf + len, size - len, "_%u", tr->keylen);
	return buf;
}

const char *ike_proposal_format(const struct ike_proposal *p,
				char *buf, size_t size)
{
	char one[64];
	size_t len = 0;
	uint8_t i;

	buf[0] = '\0';
	for (i = 0; i < p->n_tr && len < size; i++) {
		snprintf(buf + len, size - len, "%s%s", i ? "/" : "",
			 ike_transform_format(&p->tr[i], one, sizeof(one)));
		len += strlen(buf + len);
	}
	return buf;
}

static bool known_types(const struct ike_proposal *p)
{
	uint8_t i;

	for (i = 0; i < p->n_tr; i++)
		if (p->tr[i].type < IKE_TR_ENCR || p->tr[i].type > IKE_TR_ESN)
			return false;
	return true;
}

static bool has_type(const struct ike_proposal *p, uint8_t type)
{
	uint8_t i;

	for (i = 0; i < p->n_tr; i++)
		if (p->tr[i].type == type)
			return true;
	return false;
}

/* With absent_is_none, a proposal without the type offers only ID 0. */
static bool offers(const struct ike_proposal *p,
		   const struct ike_transform *tr, bool absent_is_none)
{
	uint8_t i;

	if (absent_is_none && !has_type(p, tr->type))
		return tr->id == 0 && tr->keylen == 0;
	for (i = 0; i < p->n_tr; i++)
		if (p->tr[i].type == tr->type && p->tr[i].id == tr->id &&
		    p->tr[i].keylen == tr->keylen)
			return true;
	return false;
}

/* Our first transform of type that the peer offers too. */
static bool pick(const struct ike_proposal *ours,
		 const struct ike_proposal *theirs, uint8_t type,
		 bool absent_is_none, struct ike_transform *got)
{
	struct ike_transform none = { type, 0, 0 };
	uint8_t i;

	if (absent_is_none && !has_type(ours, type)) {
		*got = none;
		return offers(theirs, &none, true);
	}
	for (i = 0; i < ours->n_tr; i++) {
		if (ours->tr[i].type == type &&
		    offers(theirs, &ours->tr[i], absent_is_none)) {
			*got = ours->tr[i];
			return true;
		}
	}
	return false;
}

/* Our proposals are all AEAD or all not (the parser sees to it). */
static bool aead_proposal(const struct ike_proposal *p)
{
	uint8_t i;

	for (i = 0; i < p->n_tr; i++)
		if (p->tr[i].type == IKE_TR_ENCR)
			return ike_encr_is_aead(p->tr[i].id);
	return false;
}

static void add_tr(struct ike_proposal *p, const struct ike_transform *tr)
{
	p->tr[p->n_tr++] = *tr;
}

/*
 * One pair of proposals: the failing types as TYPE_BITs, or 0 with the
 * reply in out. The reply has a transform of each type the peer's
 * proposal has (RFC 7296 3.3.6), and of no other.
 */
static uint32_t match_pair(const struct ike_proposal *ours,
			   const struct ike_proposal *theirs,
			   unsigned int flags, struct ike_proposal *out)
{
	bool esp = ours->proto != IKE_PROTO_IKE, aead = aead_proposal(ours);
	bool skip_ke = flags & IKE_SELECT_SKIP_KE;
	struct ike_transform encr = { 0 }, prf = { 0 }, integ = { 0 };
	struct ike_transform ke = { 0 }, esn = { 0 };
	struct ike_transform integ_none = { IKE_TR_INTEG, IKE_INTEG_NONE, 0 };
	uint32_t fail = 0;

	if (!pick(ours, theirs, IKE_TR_ENCR, false, &encr))
		fail |= TYPE_BIT(IKE_TR_ENCR);
	if (!esp && !pick(ours, theirs, IKE_TR_PRF, false, &prf))
		fail |= TYPE_BIT(IKE_TR_PRF);
	if (!aead && !pick(ours, theirs, IKE_TR_INTEG, false, &integ))
		fail |= TYPE_BIT(IKE_TR_INTEG);
	if (!skip_ke && !pick(ours, theirs, IKE_TR_KE, esp, &ke))
		fail |= TYPE_BIT(IKE_TR_KE);
	if (esp && !pick(ours, theirs, IKE_TR_ESN, true, &esn))
		fail |= TYPE_BIT(IKE_TR_ESN);
	if (fail)
		return fail;

	memset(out, 0, sizeof(*out));
	out->num = theirs->num;
	out->proto = theirs->proto;
	out->spi_len = theirs->spi_len;
	memcpy(out->spi, theirs->spi, sizeof(out->spi));
	add_tr(out, &encr);
	if (!esp)
		add_tr(out, &prf);
	if (!aead)
		add_tr(out, &integ);
	else if (offers(theirs, &integ_none, false))
		add_tr(out, &integ_none);
	if (!skip_ke && has_type(theirs, IKE_TR_KE))
		add_tr(out, &ke);
	if (esp && has_type(theirs, IKE_TR_ESN))
		add_tr(out, &esn);
	return 0;
}

int ike_proposal_select(const struct ike_proposal *ours, size_t n_ours,
			const struct ike_proposal *theirs, size_t n_theirs,
			unsigned int flags, struct ike_proposal *chosen,
			struct ike_mismatch *why)
{
	uint32_t fail_everywhere = UINT32_MAX;
	bool tried = false, same_proto = false;
	size_t i, j;

	memset(why, 0, sizeof(*why));
	for (j = 0; n_ours && j < n_theirs; j++)
		if (theirs[j].proto == ours[0].proto && !known_types(&theirs[j]))
			why->n_unknown++;
	for (i = 0; i < n_ours; i++) {
		for (j = 0; j < n_theirs; j++) {
			uint32_t fail;

			if (theirs[j].proto != ours[i].proto)
				continue;
			same_proto = true;
			if (!known_types(&theirs[j]))
				continue;
			fail = match_pair(&ours[i], &theirs[j], flags, chosen);
			if (!fail)
				return 0;
			fail_everywhere &= fail;
			tried = true;
		}
	}
	why->no_proto = !same_proto;
	if (tried) {
		why->types = fail_everywhere;
		why->combination = !fail_everywhere;
	}
	return -1;
}

struct sbuf {
	char *buf;
	size_t size, len;
};

static __attribute__((format(printf, 2, 3)))
void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len + 1 >= b->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->size - b->len ? (size_t)n :
							  b->size - b->len - 1;
}

/*
 * Every value of type in the proposals we compared, deduplicated; where
 * an ESP proposal lacks KE or ESN, the "none" it stands for.
 */
static void add_values(struct sbuf *b, const struct ike_proposal *ps,
		       size_t n, uint8_t proto, uint8_t type)
{
	struct ike_transform seen[IKE_MAX_TRANSFORMS * 4];
	size_t n_seen = 0, i, k;
	char one[64];

	for (i = 0; i < n; i++) {
		struct ike_proposal p = ps[i];
		struct ike_transform none = { type, 0, 0 };
		uint8_t j;

		if (p.proto != proto || !known_types(&p))
			continue;
		if (proto != IKE_PROTO_IKE && !has_type(&p, type) &&
		    (type == IKE_TR_KE || type == IKE_TR_ESN) &&
		    p.n_tr < IKE_MAX_TRANSFORMS)
			add_tr(&p, &none);
		for (j = 0; j < p.n_tr; j++) {
			if (p.tr[j].type != type)
				continue;
			for (k = 0; k < n_seen; k++)
				if (seen[k].id == p.tr[j].id &&
				    seen[k].keylen == p.tr[j].keylen)
					break;
			if (k < n_seen || n_seen == ARRAY_SIZE(seen))
				continue;
			seen[n_seen++] = p.tr[j];
			sb_add(b, "%s%s", n_seen > 1 ? ", " : "",
			       ike_transform_format(&p.tr[j], one, sizeof(one)));
		}
	}
	if (!n_seen)
		sb_add(b, "none");
}

static const char *proto_name(uint8_t proto)
{
	switch (proto) {
	case IKE_PROTO_IKE:
		return "IKE";
	case IKE_PROTO_AH:
		return "AH";
	case IKE_PROTO_ESP:
		return "ESP";
	default:
		return "unknown";
	}
}

const char *ike_mismatch_format(const struct ike_mismatch *why,
				const struct ike_proposal *ours, size_t n_ours,
				const struct ike_proposal *theirs,
				size_t n_theirs, char *buf, size_t size)
{
	struct sbuf b = { buf, size, 0 };
	uint8_t proto = n_ours ? ours[0].proto : IKE_PROTO_NONE;
	const char *sep = "";
	size_t i;

	buf[0] = '\0';
	if (why->no_proto) {
		sb_add(&b, "the peer offered no %s proposal", proto_name(proto));
		sep = ", ";
	}
	for (i = 0; i < ARRAY_SIZE(type_order); i++) {
		uint8_t t = type_order[i];

		if (!(why->types & TYPE_BIT(t)))
			continue;
		sb_add(&b, "%s%s differs (we accept ", sep, type_words[t]);
		add_values(&b, ours, n_ours, proto, t);
		sb_add(&b, "; peer offered ");
		add_values(&b, theirs, n_theirs, proto, t);
		sb_add(&b, ")");
		sep = ", ";
	}
	if (why->combination) {
		sb_add(&b, "%seach transform type has a value in common, but no proposal of ours matches one of the peer's as a whole",
		       sep);
		sep = ", ";
	}
	if (why->n_unknown) {
		sb_add(&b, "%s%u peer proposal%s skipped for an unknown transform type",
		       sep, why->n_unknown, why->n_unknown > 1 ? "s" : "");
		sep = ", ";
	}
	if (!*sep)
		sb_add(&b, "no proposal to choose from");
	return buf;
}

const char *ike_proposals_format(const struct ike_proposal *v, size_t n,
				 char *buf, size_t size)
{
	char one[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				ike_proposal_format(&v[i], one, sizeof(one)));
	return buf;
}
