// SPDX-License-Identifier: GPL-2.0
/*
 * ISAKMP (IKEv1) message codec: RFC 2408 section 3 with the IPsec DOI of
 * RFC 2407 and the NAT-T payloads of RFC 3947. Decoding reads untrusted
 * bytes: every length is checked against what is left before anything is
 * read, and anything that does not add up refuses the whole message with
 * the notify RFC 2408 section 5 answers with. Encoding appends to a
 * growing buffer and patches lengths and next-payload bytes once known;
 * it refuses to write what decoding would refuse, by the same predicates.
 *
 * RESERVED fields are ignored on receipt, as the IKEv2 codec does: RFC
 * 2408 asks for zeros but no deployed peer depends on a refusal, and
 * some send garbage there.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kipsec.h"
#include "msg.h"

#define ATTR_AF			0x8000	/* attribute format: TV */
#define SUBSTRUC_LEN		8	/* proposal and transform headers */
#define SA_FIXED		8	/* DOI, situation */
#define NOTIFY_FIXED		8	/* DOI, protocol, SPI size, type */
#define DELETE_FIXED		8	/* DOI, protocol, SPI size, count */
#define ID_FIXED		4	/* type, protocol, port */
#define NATOA_FIXED		4	/* type, three reserved */
#define CHUNK			512	/* the encoder grows by this at least */

_Static_assert(IKE1_PL_NAT_OA < 32 && IKE1_PL_NAT_D < 32,
	       "ike1_msg.seen has one bit per payload type");
_Static_assert(IKE1_MAX_TRANSFORMS <= UINT8_MAX,
	       "proposals index transforms with a byte");

/* ---- rules shared by both directions ---- */

static bool proto_known(uint8_t proto)
{
	return proto >= IKE1_PROTO_ISAKMP && proto <= IKE1_PROTO_IPCOMP;
}

/* Where an SPI travels decides which sizes make sense. */
enum spi_use { SPI_PROPOSAL, SPI_NOTIFY, SPI_DELETE };

/*
 * RFC 2408 section 3.5: an ISAKMP proposal's SPI is "irrelevant and MAY
 * be from zero (0) to sixteen (16)" bytes. In a Notify or a Delete it
 * names the ISAKMP SA: both cookies, or nothing.
 */
static bool spi_size_ok(enum spi_use use, uint8_t proto, size_t size)
{
	switch (proto) {
	case IKE1_PROTO_NONE:
		return use == SPI_NOTIFY && size == 0;
	case IKE1_PROTO_ISAKMP:
		if (use == SPI_PROPOSAL)
			return size <= IKE1_SPI_MAX;
		return size == 0 || size == 2 * IKE1_COOKIE_LEN;
	case IKE1_PROTO_AH:
	case IKE1_PROTO_ESP:
		return size == 4;
	case IKE1_PROTO_IPCOMP:
		return size == 2 || size == 4;	/* a CPI, alone or widened */
	}
	return false;
}

/*
 * Attributes RFC 2409 appendix A and RFC 2407 section 4.5 call basic:
 * "Attributes described as basic MUST NOT be encoded as variable."
 * Unknown types may take either form; the selection code refuses them.
 */
static bool attr_basic(uint8_t proto, uint16_t type)
{
	if (proto == IKE1_PROTO_ISAKMP)
		return (type >= IKE1_P1_ENCR && type <= IKE1_P1_GROUP_TYPE) ||
		       type == IKE1_P1_LIFE_TYPE || type == IKE1_P1_PRF ||
		       type == IKE1_P1_KEY_LENGTH ||
		       type == IKE1_P1_FIELD_SIZE;
	return type == IKE1_P2_LIFE_TYPE ||
	       (type >= IKE1_P2_GROUP_DESC && type <= IKE1_P2_COMP_DICT_SIZE) ||
	       type == IKE1_P2_ECN_TUNNEL || type == IKE1_P2_ESN;
}

/* Bytes of an ID of this type, 0 for the types of any length. */
static size_t id_addr_len(uint8_t type)
{
	switch (type) {
	case IKE1_ID_IPV4_ADDR:
		return 4;
	case IKE1_ID_IPV4_ADDR_SUBNET:
	case IKE1_ID_IPV4_ADDR_RANGE:
		return 8;
	case IKE1_ID_IPV6_ADDR:
		return 16;
	case IKE1_ID_IPV6_ADDR_SUBNET:
	case IKE1_ID_IPV6_ADDR_RANGE:
		return 32;
	}
	return 0;
}

/* NAT-OA carries a single address: the two address ID types only. */
static size_t natoa_len(uint8_t type)
{
	if (type == IKE1_ID_IPV4_ADDR || type == IKE1_ID_IPV6_ADDR)
		return id_addr_len(type);
	return 0;
}

static bool nonce_len_ok(size_t len)
{
	return len >= IKE1_NONCE_MIN && len <= IKE1_NONCE_MAX;
}

/* Big-endian, n bytes (up to 8). */
static uint64_t get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* ---- decoding ---- */

/* One chain being decoded: a datagram, or a decrypted body. */
struct rd {
	const uint8_t *buf;	/* error offsets count from here */
	size_t len;
	bool inner;		/* buf is decrypted: padding may follow */
	struct ike1_msg *m;
	struct ike1_err *err;
	uint8_t type;		/* payload being decoded, 0 for none */
	const uint8_t *pl;	/* its generic header */
	const uint8_t *hash_end;	/* where the HASH payload ended */
};

/* Say which payload, at which offset, is wrong, and why. Returns -1. */
__attribute__((format(printf, 4, 5)))
static int refuse(struct rd *rd, uint16_t notify, const uint8_t *at,
		  const char *fmt, ...)
{
	struct ike1_err *err = rd->err;
	const char *name = ike1_payload_name(rd->type);
	const char *where = rd->inner ? "decrypted offset" : "offset";
	size_t size = sizeof(err->msg);
	va_list ap;
	int n;

	err->notify = notify;
	err->off = (size_t)(at - rd->buf);
	if (rd->type == IKE1_PL_NONE || !name)
		n = snprintf(err->msg, size, "%s %zu: ", where, err->off);
	else
		n = snprintf(err->msg, size, "%s payload at %s %zu: ", name,
			     where, err->off);
	if (n >= 0 && (size_t)n < size) {
		va_start(ap, fmt);
		vsnprintf(err->msg + n, size - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define MALFORMED	IKE1_N_PAYLOAD_MALFORMED
#define BAD_PROPOSAL	IKE1_N_BAD_PROPOSAL_SYNTAX

/* The next free slot of a repeated payload's array, or -1 past cap. */
static int take(struct rd *rd, uint8_t *count, uint8_t cap)
{
	if (*count == cap)
		return refuse(rd, MALFORMED, rd->pl, "more than %u", cap);
	return (*count)++;
}

/*
 * Proposals and transforms are payloads of their own inside the SA: a
 * generic header whose next payload is `more` while more follow in the
 * enclosing structure, 0 for the last. Markers and lengths must agree.
 */
static int substruc(struct rd *rd, const uint8_t *p, size_t left, uint8_t more,
		    const char *what, size_t *len)
{
	if (left < SUBSTRUC_LEN)
		return refuse(rd, BAD_PROPOSAL, p,
			      "%zu bytes left for a %s, which needs %d", left,
			      what, SUBSTRUC_LEN);
	*len = get_be(p + 2, 2);
	if (*len < SUBSTRUC_LEN || *len > left)
		return refuse(rd, BAD_PROPOSAL, p,
			      "%s length %zu is outside %d..%zu", what, *len,
			      SUBSTRUC_LEN, left);
	if (p[0] != more && p[0] != IKE1_PL_NONE)
		return refuse(rd, BAD_PROPOSAL, p,
			      "%s next payload %u is neither 0 nor %u", what,
			      p[0], more);
	if ((p[0] == more) != (*len < left))
		return refuse(rd, BAD_PROPOSAL, p,
			      "%s next payload %u but %zu bytes follow", what,
			      p[0], left - *len);
	return 0;
}

/* One attribute at p, with left bytes to the transform's end. */
static int decode_attr(struct rd *rd, uint8_t proto, const uint8_t *p,
		       size_t left, struct ike1_attr *a, size_t *alen)
{
	uint16_t af_type;

	if (left < 4)
		return refuse(rd, BAD_PROPOSAL, p, "attribute cut to %zu bytes",
			      left);
	af_type = (uint16_t)get_be(p, 2);
	memset(a, 0, sizeof(*a));
	a->type = af_type & ~ATTR_AF;
	a->tv = af_type & ATTR_AF;
	if (a->tv) {
		a->val = (uint16_t)get_be(p + 2, 2);
		*alen = 4;
		return 0;
	}
	if (attr_basic(proto, a->type))
		return refuse(rd, BAD_PROPOSAL, p,
			      "basic attribute %u in TLV form", a->type);
	a->data.p = p + 4;
	a->data.len = get_be(p + 2, 2);
	*alen = 4 + a->data.len;
	if (*alen > left)
		return refuse(rd, BAD_PROPOSAL, p,
			      "attribute %u of %zu bytes, %zu left", a->type,
			      *alen, left);
	return 0;
}

static int decode_transform(struct rd *rd, uint8_t proto, const uint8_t *p,
			    size_t len, struct ike1_transform *tr)
{
	size_t off, alen = 0;

	tr->num = p[4];
	tr->id = p[5];
	tr->n_attr = 0;
	for (off = SUBSTRUC_LEN; off < len; off += alen) {
		if (tr->n_attr == IKE1_MAX_ATTRS)
			return refuse(rd, MALFORMED, p + off,
				      "more than %d attributes",
				      IKE1_MAX_ATTRS);
		if (decode_attr(rd, proto, p + off, len - off,
				&tr->attr[tr->n_attr++], &alen) < 0)
			return -1;
	}
	return 0;
}

/* The fixed part of a proposal: number, protocol, SPI, transform count. */
static int decode_prop_head(struct rd *rd, const uint8_t *p, size_t len,
			    struct ike1_proposal *prop)
{
	const struct ike1_pl_sa *sa = &rd->m->sa;

	prop->num = p[4];
	prop->proto = p[5];
	prop->spi_len = p[6];
	prop->n_tr = p[7];
	prop->first_tr = sa->n_tr;
	if (!proto_known(prop->proto))
		return refuse(rd, IKE1_N_INVALID_PROTOCOL_ID, p + 5,
			      "protocol %u", prop->proto);
	if (!spi_size_ok(SPI_PROPOSAL, prop->proto, prop->spi_len))
		return refuse(rd, IKE1_N_INVALID_SPI, p + 6,
			      "SPI size %u for protocol %u", prop->spi_len,
			      prop->proto);
	if (SUBSTRUC_LEN + (size_t)prop->spi_len > len)
		return refuse(rd, BAD_PROPOSAL, p + 6,
			      "SPI size %u runs past the proposal",
			      prop->spi_len);
	if (prop->n_tr == 0)
		return refuse(rd, BAD_PROPOSAL, p + 7, "no transform");
	if (sa->n_prop && prop->num < sa->prop[sa->n_prop - 1].num)
		return refuse(rd, BAD_PROPOSAL, p + 4,
			      "proposal number %u after %u", prop->num,
			      sa->prop[sa->n_prop - 1].num);
	memcpy(prop->spi, p + SUBSTRUC_LEN, prop->spi_len);
	return 0;
}

static int decode_proposal(struct rd *rd, const uint8_t *p, size_t len,
			   struct ike1_proposal *prop)
{
	struct ike1_pl_sa *sa = &rd->m->sa;
	uint8_t found = 0;
	size_t off, tlen;

	if (decode_prop_head(rd, p, len, prop) < 0)
		return -1;
	for (off = SUBSTRUC_LEN + prop->spi_len; off < len; off += tlen) {
		if (found == prop->n_tr)
			return refuse(rd, BAD_PROPOSAL, p + off,
				      "more than the %u transforms announced",
				      prop->n_tr);
		if (sa->n_tr == IKE1_MAX_TRANSFORMS)
			return refuse(rd, MALFORMED, p + off,
				      "more than %d transforms",
				      IKE1_MAX_TRANSFORMS);
		if (substruc(rd, p + off, len - off, IKE1_PL_TRANSFORM,
			     "transform", &tlen) < 0 ||
		    decode_transform(rd, prop->proto, p + off, tlen,
				     &sa->tr[sa->n_tr]) < 0)
			return -1;
		sa->n_tr++;
		found++;
	}
	if (found != prop->n_tr)
		return refuse(rd, BAD_PROPOSAL, p + 7,
			      "%u transforms announced, %u present",
			      prop->n_tr, found);
	return 0;
}

/*
 * One per message (the decoder table says so): RFC 2409 section 5.5 lets
 * a Quick Mode carry several SA payloads, which nobody we interoperate
 * with sends.
 */
static int decode_sa(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike1_pl_sa *sa = &rd->m->sa;
	size_t off, plen;

	sa->doi = (uint32_t)get_be(body, 4);
	sa->situation = (uint32_t)get_be(body + 4, 4);
	sa->body.p = body;
	sa->body.len = len;
	if (sa->doi != IKE1_DOI_IPSEC)
		return refuse(rd, IKE1_N_DOI_NOT_SUPPORTED, body, "DOI %u",
			      sa->doi);
	/* Secrecy and integrity add fields we cannot even skip. */
	if (sa->situation != IKE1_SIT_IDENTITY_ONLY)
		return refuse(rd, IKE1_N_SITUATION_NOT_SUPPORTED, body + 4,
			      "situation 0x%x", sa->situation);
	if (len == SA_FIXED)
		return refuse(rd, BAD_PROPOSAL, rd->pl, "no proposal");
	for (off = SA_FIXED; off < len; off += plen) {
		if (sa->n_prop == IKE1_MAX_PROPOSALS)
			return refuse(rd, MALFORMED, body + off,
				      "more than %d proposals",
				      IKE1_MAX_PROPOSALS);
		if (substruc(rd, body + off, len - off, IKE1_PL_PROPOSAL,
			     "proposal", &plen) < 0 ||
		    decode_proposal(rd, body + off, plen,
				    &sa->prop[sa->n_prop]) < 0)
			return -1;
		sa->n_prop++;
	}
	return 0;
}

/* KE, HASH, SIG: bytes, once; their sizes depend on what was chosen. */
static int decode_ke(struct rd *rd, const uint8_t *body, size_t len)
{
	rd->m->ke = (struct ike1_bytes){ body, len };
	return 0;
}

static int decode_hash(struct rd *rd, const uint8_t *body, size_t len)
{
	rd->m->hash = (struct ike1_bytes){ body, len };
	rd->hash_end = body + len;
	return 0;
}

static int decode_sig(struct rd *rd, const uint8_t *body, size_t len)
{
	rd->m->sig = (struct ike1_bytes){ body, len };
	return 0;
}

static int decode_nonce(struct rd *rd, const uint8_t *body, size_t len)
{
	if (!nonce_len_ok(len))
		return refuse(rd, MALFORMED, rd->pl,
			      "%zu bytes of nonce, not %d..%d", len,
			      IKE1_NONCE_MIN, IKE1_NONCE_MAX);
	rd->m->nonce = (struct ike1_bytes){ body, len };
	return 0;
}

static int decode_id(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike1_msg *m = rd->m;
	struct ike1_pl_id *id;
	size_t want = id_addr_len(body[0]);
	int i = take(rd, &m->n_id, IKE1_MAX_ID);

	if (i < 0)
		return -1;
	id = &m->id[i];
	id->type = body[0];
	id->proto = body[1];
	id->port = (uint16_t)get_be(body + 2, 2);
	id->data = (struct ike1_bytes){ body + ID_FIXED, len - ID_FIXED };
	id->body = (struct ike1_bytes){ body, len };
	if (want && id->data.len != want)
		return refuse(rd, IKE1_N_INVALID_ID_INFORMATION, body,
			      "ID type %u of %zu bytes, not %zu", id->type,
			      id->data.len, want);
	return 0;
}

/* CERT and CERTREQ: an encoding byte, then a certificate or a CA. */
static int add_cert(struct rd *rd, struct ike1_pl_cert *arr, uint8_t *count,
		    uint8_t cap, const uint8_t *body, size_t len)
{
	int i = take(rd, count, cap);

	if (i < 0)
		return -1;
	arr[i].encoding = body[0];
	arr[i].data = (struct ike1_bytes){ body + 1, len - 1 };
	return 0;
}

static int decode_cert(struct rd *rd, const uint8_t *body, size_t len)
{
	return add_cert(rd, rd->m->cert, &rd->m->n_cert, IKE1_MAX_CERT, body,
			len);
}

static int decode_certreq(struct rd *rd, const uint8_t *body, size_t len)
{
	return add_cert(rd, rd->m->certreq, &rd->m->n_certreq,
			IKE1_MAX_CERTREQ, body, len);
}

/*
 * Notify and Delete begin alike: DOI, protocol, SPI size. The generic
 * DOI 0 is fine here (RFC 2408 section 3.14), not in an SA.
 */
static int check_doi_spi(struct rd *rd, const uint8_t *body, enum spi_use use)
{
	uint32_t doi = (uint32_t)get_be(body, 4);

	if (doi != IKE1_DOI_ISAKMP && doi != IKE1_DOI_IPSEC)
		return refuse(rd, IKE1_N_DOI_NOT_SUPPORTED, body, "DOI %u",
			      doi);
	if (!proto_known(body[4]) &&
	    !(use == SPI_NOTIFY && body[4] == IKE1_PROTO_NONE))
		return refuse(rd, IKE1_N_INVALID_PROTOCOL_ID, body + 4,
			      "protocol %u", body[4]);
	if (!spi_size_ok(use, body[4], body[5]))
		return refuse(rd, IKE1_N_INVALID_SPI, body + 5,
			      "SPI size %u for protocol %u", body[5], body[4]);
	return 0;
}

static int decode_notify(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike1_msg *m = rd->m;
	size_t spi_size = body[5];
	struct ike1_pl_notify *n;
	int i = take(rd, &m->n_notify, IKE1_MAX_NOTIFY);

	if (i < 0 || check_doi_spi(rd, body, SPI_NOTIFY) < 0)
		return -1;
	if (spi_size > len - NOTIFY_FIXED)
		return refuse(rd, MALFORMED, body + 5,
			      "SPI size %zu, %zu bytes left", spi_size,
			      len - NOTIFY_FIXED);
	n = &m->notify[i];
	n->doi = (uint32_t)get_be(body, 4);
	n->proto = body[4];
	n->type = (uint16_t)get_be(body + 6, 2);
	n->spi = (struct ike1_bytes){ body + NOTIFY_FIXED, spi_size };
	n->data = (struct ike1_bytes){ body + NOTIFY_FIXED + spi_size,
				       len - NOTIFY_FIXED - spi_size };
	return 0;
}

static int decode_delete(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike1_msg *m = rd->m;
	uint16_t n_spi = (uint16_t)get_be(body + 6, 2);
	struct ike1_pl_delete *d;
	int i = take(rd, &m->n_delete, IKE1_MAX_DELETE);

	if (i < 0 || check_doi_spi(rd, body, SPI_DELETE) < 0)
		return -1;
	if (n_spi > IKE1_MAX_SPIS)
		return refuse(rd, MALFORMED, body + 6, "%u SPIs, at most %d",
			      n_spi, IKE1_MAX_SPIS);
	if ((size_t)n_spi * body[5] != len - DELETE_FIXED)
		return refuse(rd, MALFORMED, body + 6,
			      "%u SPIs of %u bytes in %zu bytes", n_spi,
			      body[5], len - DELETE_FIXED);
	d = &m->del[i];
	d->doi = (uint32_t)get_be(body, 4);
	d->proto = body[4];
	d->spi_size = body[5];
	d->n_spi = n_spi;
	d->spis = body + DELETE_FIXED;
	return 0;
}

/* VENDOR and NAT-D: bytes, repeated. */
static int add_bytes(struct rd *rd, struct ike1_bytes *arr, uint8_t *count,
		     uint8_t cap, const uint8_t *body, size_t len)
{
	int i = take(rd, count, cap);

	if (i < 0)
		return -1;
	arr[i] = (struct ike1_bytes){ body, len };
	return 0;
}

static int decode_vendor(struct rd *rd, const uint8_t *body, size_t len)
{
	return add_bytes(rd, rd->m->vendor, &rd->m->n_vendor, IKE1_MAX_VENDOR,
			 body, len);
}

static int decode_natd(struct rd *rd, const uint8_t *body, size_t len)
{
	return add_bytes(rd, rd->m->natd, &rd->m->n_natd, IKE1_MAX_NATD, body,
			 len);
}

static int decode_natoa(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike1_msg *m = rd->m;
	size_t want = natoa_len(body[0]);
	int i = take(rd, &m->n_natoa, IKE1_MAX_NATOA);

	if (i < 0)
		return -1;
	if (!want || len - NATOA_FIXED != want)
		return refuse(rd, MALFORMED, body,
			      "ID type %u with %zu bytes of address", body[0],
			      len - NATOA_FIXED);
	m->natoa[i].type = body[0];
	m->natoa[i].addr = (struct ike1_bytes){ body + NATOA_FIXED, want };
	return 0;
}

/* How to decode each known payload type, indexed by the type. */
struct pl_rule {
	int (*decode)(struct rd *rd, const uint8_t *body, size_t len);
	uint8_t fixed;		/* body bytes before the variable part */
	bool once;		/* at most one per message */
};

static const struct pl_rule rules[IKE1_PL_NAT_OA + 1] = {
	[IKE1_PL_SA]		= { decode_sa,		SA_FIXED,	true },
	[IKE1_PL_KE]		= { decode_ke,		0,		true },
	[IKE1_PL_ID]		= { decode_id,		ID_FIXED,	false },
	[IKE1_PL_CERT]		= { decode_cert,	1,		false },
	[IKE1_PL_CERTREQ]	= { decode_certreq,	1,		false },
	[IKE1_PL_HASH]		= { decode_hash,	0,		true },
	[IKE1_PL_SIG]		= { decode_sig,		0,		true },
	[IKE1_PL_NONCE]		= { decode_nonce,	0,		true },
	[IKE1_PL_NOTIFY]	= { decode_notify,	NOTIFY_FIXED,	false },
	[IKE1_PL_DELETE]	= { decode_delete,	DELETE_FIXED,	false },
	[IKE1_PL_VENDOR]	= { decode_vendor,	0,		false },
	[IKE1_PL_NAT_D]		= { decode_natd,	0,		false },
	[IKE1_PL_NAT_OA]	= { decode_natoa,	NATOA_FIXED,	false },
};

/* NULL for a type we do not know, Proposal and Transform included. */
static const struct pl_rule *rule_for(uint8_t type)
{
	if (type >= ARRAY_SIZE(rules) || !rules[type].decode)
		return NULL;
	return &rules[type];
}

/*
 * One payload at p, of the type the payload before announced. An unknown
 * type ends the message (RFC 2408 section 5.3: INVALID-PAYLOAD-TYPE):
 * ISAKMP has no critical bit to skip by. Returns its length in *len.
 */
static int decode_payload(struct rd *rd, const uint8_t *p, size_t left,
			  size_t *len)
{
	const struct pl_rule *d = rule_for(rd->type);

	if (!d)
		return refuse(rd, IKE1_N_INVALID_PAYLOAD_TYPE, p,
			      "unknown payload type %u", rd->type);
	if (left < IKE1_PL_HDR_LEN)
		return refuse(rd, MALFORMED, p,
			      "%zu bytes left, the header needs %d", left,
			      IKE1_PL_HDR_LEN);
	*len = get_be(p + 2, 2);
	if (*len < IKE1_PL_HDR_LEN + (size_t)d->fixed)
		return refuse(rd, MALFORMED, p, "length %zu, below %d", *len,
			      IKE1_PL_HDR_LEN + d->fixed);
	if (*len > left)
		return refuse(rd, MALFORMED, p, "length %zu, only %zu left",
			      *len, left);
	if (d->once && ike1_msg_has(rd->m, rd->type))
		return refuse(rd, MALFORMED, p, "more than one");
	rd->m->seen |= UINT32_C(1) << rd->type;
	return d->decode(rd, p + IKE1_PL_HDR_LEN, *len - IKE1_PL_HDR_LEN);
}

/*
 * Walk the chain from offset off. What follows its last payload is
 * padding in a decrypted body, and an error in the clear.
 */
static int decode_chain(struct rd *rd, uint8_t type, size_t off)
{
	struct ike1_msg *m = rd->m;
	size_t len = 0, rest;

	while (type != IKE1_PL_NONE) {
		rd->type = type;
		rd->pl = rd->buf + off;
		if (decode_payload(rd, rd->pl, rd->len - off, &len) < 0)
			return -1;
		off += len;
		type = rd->pl[0];
	}
	rd->type = IKE1_PL_NONE;
	rest = rd->len - off;
	if (!rd->inner && rest)
		return refuse(rd, IKE1_N_UNEQUAL_PAYLOAD_LENGTHS,
			      rd->buf + off, "%zu bytes after the last payload",
			      rest);
	if (rest > IKE1_PAD_MAX)
		return refuse(rd, MALFORMED, rd->buf + off,
			      "%zu bytes of padding, at most %d", rest,
			      IKE1_PAD_MAX);
	if (rd->hash_end)
		m->after_hash = (struct ike1_bytes){
			rd->hash_end, (size_t)(rd->buf + off - rd->hash_end)
		};
	return 0;
}

/*
 * The header, read and checked. The minor version and the exchange type
 * are left to the caller: a minor version only adds, and which exchanges
 * exist (Transaction, for one) is not the codec's business.
 */
static int decode_header(struct rd *rd, struct ike1_hdr *h)
{
	const uint8_t *p = rd->buf;

	/* No cookies, no message ID: nothing an answer could refer to. */
	if (rd->len < IKE1_HDR_LEN)
		return refuse(rd, 0, p, "%zu bytes, a header needs %d",
			      rd->len, IKE1_HDR_LEN);
	memcpy(h->icookie, p, IKE1_COOKIE_LEN);
	memcpy(h->rcookie, p + 8, IKE1_COOKIE_LEN);
	h->next = p[16];
	h->version = p[17];
	h->exchange = p[18];
	h->flags = p[19];
	h->msg_id = (uint32_t)get_be(p + 20, 4);
	h->len = (uint32_t)get_be(p + 24, 4);
	/* First: another major version may lay the rest out anew. */
	if (h->version >> 4 != IKE1_VERSION >> 4)
		return refuse(rd, IKE1_N_INVALID_MAJOR_VERSION, p + 17,
			      "major version %u", h->version >> 4);
	if (h->flags & ~(IKE1_FLAG_ENCRYPTION | IKE1_FLAG_COMMIT |
			 IKE1_FLAG_AUTH_ONLY))
		return refuse(rd, IKE1_N_INVALID_FLAGS, p + 19, "flags 0x%02x",
			      h->flags);
	if (h->len != rd->len)
		return refuse(rd, IKE1_N_UNEQUAL_PAYLOAD_LENGTHS, p + 24,
			      "header says %u bytes, datagram has %zu", h->len,
			      rd->len);
	return 0;
}

/* In the clear, the chain; encrypted, the body for the caller. */
int ike1_msg_decode(const uint8_t *buf, size_t len, struct ike1_msg *m,
		    struct ike1_err *err)
{
	struct rd rd = { .buf = buf, .len = len, .m = m, .err = err };
	const struct ike1_hdr *h = &m->hdr;

	memset(m, 0, sizeof(*m));
	memset(err, 0, sizeof(*err));
	if (decode_header(&rd, &m->hdr) < 0)
		return -1;
	if (!(h->flags & IKE1_FLAG_ENCRYPTION))
		return decode_chain(&rd, h->next, IKE1_HDR_LEN);
	m->body = (struct ike1_bytes){ buf + IKE1_HDR_LEN, len - IKE1_HDR_LEN };
	if (!m->body.len || h->next == IKE1_PL_NONE)
		return refuse(&rd, MALFORMED, buf + 16,
			      "encrypted, with %zu bytes and first payload %u",
			      m->body.len, h->next);
	return 0;
}

int ike1_payloads_decode(uint8_t first_type, const uint8_t *buf, size_t len,
			 struct ike1_msg *m, struct ike1_err *err)
{
	struct rd rd = {
		.buf = buf, .len = len, .inner = true, .m = m, .err = err,
	};

	memset(err, 0, sizeof(*err));
	return decode_chain(&rd, first_type, 0);
}

const struct ike1_attr *ike1_attr_find(const struct ike1_transform *tr,
				       uint16_t type)
{
	uint8_t i;

	for (i = 0; i < tr->n_attr; i++)
		if (tr->attr[i].type == type)
			return &tr->attr[i];
	return NULL;
}

int ike1_attr_value(const struct ike1_attr *a, uint64_t *v)
{
	if (a->tv) {
		*v = a->val;
		return 0;
	}
	if (a->data.len == 0 || a->data.len > sizeof(*v))
		return -1;
	*v = get_be(a->data.p, a->data.len);
	return 0;
}

void ike1_attr_number(struct ike1_attr *a, uint16_t type, uint32_t v,
		      uint8_t store[4])
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->tv = v <= UINT16_MAX;
	a->val = (uint16_t)v;
	if (a->tv)
		return;
	store[0] = (uint8_t)(v >> 24);
	store[1] = (uint8_t)(v >> 16);
	store[2] = (uint8_t)(v >> 8);
	store[3] = (uint8_t)v;
	a->data = (struct ike1_bytes){ store, 4 };
}

/* ---- encoding ---- */

/* Write v as n big-endian bytes at p. */
static void set_be(uint8_t *p, uint64_t v, size_t n)
{
	while (n--) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

/*
 * Room for n more bytes at the end, zeroed, or NULL once b has failed.
 * The cap at IKE1_MSG_MAX keeps every 16-bit length from wrapping.
 */
static uint8_t *room(struct ike1_buf *b, size_t n)
{
	size_t need = b->len + n;
	size_t cap = need < CHUNK ? CHUNK : 2 * need;
	uint8_t *grown;

	if (!b->failed && n > IKE1_MSG_MAX - b->len)
		b->failed = true;
	if (!b->failed && need > b->cap) {
		grown = realloc(b->p, cap);
		if (grown) {
			b->p = grown;
			b->cap = cap;
		}
		b->failed = !grown;
	}
	if (b->failed)
		return NULL;
	b->len = need;
	return memset(b->p + need - n, 0, n);
}

/* Append n bytes: src's, or zeros if src is NULL. */
static void put(struct ike1_buf *b, const void *src, size_t n)
{
	uint8_t *p = room(b, n);

	if (p && src && n)
		memcpy(p, src, n);
}

static void put_be(struct ike1_buf *b, uint64_t v, size_t n)
{
	uint8_t *p = room(b, n);

	if (p)
		set_be(p, v, n);
}

/* Refuse to go on: the struct holds what we would not decode. */
static void fail_if(struct ike1_buf *b, bool cond)
{
	if (cond)
		b->failed = true;
}

/* Proposals, transforms and payloads all keep their length at +2. */
static void end_len(struct ike1_buf *b, size_t at)
{
	if (!b->failed)
		set_be(b->p + at + 2, b->len - at, 2);
}

/*
 * Start a payload: link it from the header or the payload before, and
 * write a generic header (next none) whose length end_len() fills in.
 * Returns its offset.
 */
static size_t pl_begin(struct ike1_buf *b, uint8_t type)
{
	size_t at = b->len;

	if (!b->failed && b->first != IKE1_PL_NONE)
		b->p[b->last] = type;
	else if (!b->failed && b->msg)
		b->p[16] = type;
	if (b->first == IKE1_PL_NONE)
		b->first = type;
	room(b, IKE1_PL_HDR_LEN);
	b->last = at;
	return at;
}

void ike1_buf_free(struct ike1_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void ike1_hdr_encode(const struct ike1_hdr *h, uint8_t out[IKE1_HDR_LEN])
{
	memcpy(out, h->icookie, IKE1_COOKIE_LEN);
	memcpy(out + 8, h->rcookie, IKE1_COOKIE_LEN);
	out[16] = h->next;
	out[17] = IKE1_VERSION;
	out[18] = h->exchange;
	out[19] = h->flags;
	set_be(out + 20, h->msg_id, 4);
	set_be(out + 24, h->len, 4);
}

void ike1_msg_start(struct ike1_buf *b, const struct ike1_hdr *h)
{
	struct ike1_hdr start = *h;
	uint8_t *p = room(b, IKE1_HDR_LEN);

	b->msg = true;
	if (!p)
		return;
	start.next = IKE1_PL_NONE;
	start.len = 0;
	ike1_hdr_encode(&start, p);
}

int ike1_msg_finish(struct ike1_buf *b)
{
	if (b->failed || !b->msg)
		return -1;
	set_be(b->p + 24, b->len, 4);
	return 0;
}

static void put_attr(struct ike1_buf *b, uint8_t proto,
		     const struct ike1_attr *a)
{
	fail_if(b, a->type & ATTR_AF);
	if (a->tv) {
		put_be(b, ATTR_AF | a->type, 2);
		put_be(b, a->val, 2);
		return;
	}
	fail_if(b, attr_basic(proto, a->type) || a->data.len > UINT16_MAX);
	put_be(b, a->type, 2);
	put_be(b, a->data.len, 2);
	put(b, a->data.p, a->data.len);
}

static void put_transform(struct ike1_buf *b, uint8_t proto,
			  const struct ike1_transform *tr, bool last)
{
	size_t at = b->len;
	uint8_t i;

	fail_if(b, tr->n_attr > IKE1_MAX_ATTRS);
	put_be(b, last ? IKE1_PL_NONE : IKE1_PL_TRANSFORM, 1);
	put(b, NULL, 3);	/* RESERVED, length */
	put_be(b, tr->num, 1);
	put_be(b, tr->id, 1);
	put_be(b, 0, 2);
	for (i = 0; i < tr->n_attr && !b->failed; i++)
		put_attr(b, proto, &tr->attr[i]);
	end_len(b, at);
}

static void put_proposal(struct ike1_buf *b, const struct ike1_pl_sa *sa,
			 uint8_t i)
{
	const struct ike1_proposal *prop = &sa->prop[i];
	size_t at = b->len;
	uint8_t t;

	fail_if(b, !proto_known(prop->proto) ||
		   !spi_size_ok(SPI_PROPOSAL, prop->proto, prop->spi_len) ||
		   prop->n_tr == 0 || prop->first_tr + prop->n_tr > sa->n_tr ||
		   (i && prop->num < sa->prop[i - 1].num));
	if (b->failed)
		return;
	put_be(b, i + 1 < sa->n_prop ? IKE1_PL_PROPOSAL : IKE1_PL_NONE, 1);
	put(b, NULL, 3);	/* RESERVED, length */
	put_be(b, prop->num, 1);
	put_be(b, prop->proto, 1);
	put_be(b, prop->spi_len, 1);
	put_be(b, prop->n_tr, 1);
	put(b, prop->spi, prop->spi_len);
	for (t = 0; t < prop->n_tr && !b->failed; t++)
		put_transform(b, prop->proto, &sa->tr[prop->first_tr + t],
			      t + 1 == prop->n_tr);
	end_len(b, at);
}

void ike1_put_sa(struct ike1_buf *b, const struct ike1_pl_sa *sa)
{
	size_t at = pl_begin(b, IKE1_PL_SA);
	uint8_t i;

	fail_if(b, sa->doi != IKE1_DOI_IPSEC ||
		   sa->situation != IKE1_SIT_IDENTITY_ONLY ||
		   sa->n_prop == 0 || sa->n_prop > IKE1_MAX_PROPOSALS ||
		   sa->n_tr > IKE1_MAX_TRANSFORMS);
	put_be(b, sa->doi, 4);
	put_be(b, sa->situation, 4);
	for (i = 0; i < sa->n_prop && !b->failed; i++)
		put_proposal(b, sa, i);
	end_len(b, at);
}

void ike1_put_bytes(struct ike1_buf *b, uint8_t type,
		    const struct ike1_bytes *data)
{
	size_t at = pl_begin(b, type);

	fail_if(b, type != IKE1_PL_KE && type != IKE1_PL_HASH &&
		   type != IKE1_PL_SIG && type != IKE1_PL_NONCE &&
		   type != IKE1_PL_VENDOR && type != IKE1_PL_NAT_D);
	fail_if(b, type == IKE1_PL_NONCE && !nonce_len_ok(data->len));
	put(b, data->p, data->len);
	end_len(b, at);
}

void ike1_put_id(struct ike1_buf *b, const struct ike1_pl_id *id)
{
	size_t at = pl_begin(b, IKE1_PL_ID);
	size_t want = id_addr_len(id->type);

	fail_if(b, want && id->data.len != want);
	put_be(b, id->type, 1);
	put_be(b, id->proto, 1);
	put_be(b, id->port, 2);
	put(b, id->data.p, id->data.len);
	end_len(b, at);
}

void ike1_put_cert(struct ike1_buf *b, uint8_t type,
		   const struct ike1_pl_cert *cert)
{
	size_t at = pl_begin(b, type);

	fail_if(b, type != IKE1_PL_CERT && type != IKE1_PL_CERTREQ);
	put_be(b, cert->encoding, 1);
	put(b, cert->data.p, cert->data.len);
	end_len(b, at);
}

void ike1_put_notify(struct ike1_buf *b, const struct ike1_pl_notify *n)
{
	size_t at = pl_begin(b, IKE1_PL_NOTIFY);

	fail_if(b, (n->doi != IKE1_DOI_ISAKMP && n->doi != IKE1_DOI_IPSEC) ||
		   !spi_size_ok(SPI_NOTIFY, n->proto, n->spi.len));
	put_be(b, n->doi, 4);
	put_be(b, n->proto, 1);
	put_be(b, n->spi.len, 1);
	put_be(b, n->type, 2);
	put(b, n->spi.p, n->spi.len);
	put(b, n->data.p, n->data.len);
	end_len(b, at);
}

void ike1_put_delete(struct ike1_buf *b, const struct ike1_pl_delete *d)
{
	size_t at = pl_begin(b, IKE1_PL_DELETE);

	fail_if(b, (d->doi != IKE1_DOI_ISAKMP && d->doi != IKE1_DOI_IPSEC) ||
		   !spi_size_ok(SPI_DELETE, d->proto, d->spi_size) ||
		   d->n_spi > IKE1_MAX_SPIS);
	put_be(b, d->doi, 4);
	put_be(b, d->proto, 1);
	put_be(b, d->spi_size, 1);
	put_be(b, d->n_spi, 2);
	put(b, d->spis, (size_t)d->n_spi * d->spi_size);
	end_len(b, at);
}

void ike1_put_natoa(struct ike1_buf *b, const struct ike1_pl_natoa *oa)
{
	size_t at = pl_begin(b, IKE1_PL_NAT_OA);

	fail_if(b, !natoa_len(oa->type) || oa->addr.len != natoa_len(oa->type));
	put_be(b, oa->type, 1);
	put(b, NULL, 3);
	put(b, oa->addr.p, oa->addr.len);
	end_len(b, at);
}

/*
 * The chain's payloads are copied whole; only the link to its first one
 * is new, and its last payload becomes ours.
 */
void ike1_put_chain(struct ike1_buf *b, const struct ike1_buf *chain)
{
	size_t at;

	fail_if(b, chain->failed || chain->msg);
	if (b->failed || chain->first == IKE1_PL_NONE)
		return;
	at = pl_begin(b, chain->first);
	b->len = at;		/* pl_begin's header is the chain's own */
	put(b, chain->p, chain->len);
	b->last = at + chain->last;
}

struct ike1_bytes ike1_last_body(const struct ike1_buf *b)
{
	struct ike1_bytes body = { NULL, 0 };

	if (b->failed || b->first == IKE1_PL_NONE)
		return body;
	body.p = b->p + b->last + IKE1_PL_HDR_LEN;
	body.len = b->len - b->last - IKE1_PL_HDR_LEN;
	return body;
}
