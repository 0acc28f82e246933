// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv2 message codec (RFC 7296 section 3). Decoding reads untrusted
 * bytes: every length is checked against what is left before anything is
 * read, and anything that does not add up refuses the whole message with
 * the notify the RFC answers with. Encoding appends to a growing buffer
 * and patches lengths and next-payload bytes once they are known.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kipsec.h"
#include "msg.h"

#define ATTR_TV			0x8000	/* attribute format: value in place */
#define PROPOSAL_MORE		2	/* Last Substruc values: 0 = last */
#define TRANSFORM_MORE		3
#define SUBSTRUC_LEN		8	/* proposal and transform headers */
#define BUF_MIN			512

_Static_assert(IKE_MAX_TRANSFORMS <= 32,
	       "ike_pl_sa.unknown_attr has one bit per transform");

/* ---- decoding ---- */

/* One chain being decoded: a whole message, or an SK payload's plaintext. */
struct rd {
	const uint8_t *buf;	/* error offsets count from here */
	size_t len;
	bool inner;		/* buf is a decrypted SK body */
	struct ike_msg *m;
	struct ike_err *err;
	uint8_t type;		/* payload being decoded, 0 for none */
	const uint8_t *pl;	/* its generic header */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Say which payload, at which offset, is wrong, and why. Returns -1. */
static int vrefuse(struct rd *rd, uint16_t notify, const uint8_t *at,
		   const char *fmt, va_list ap)
{
	struct ike_err *err = rd->err;
	const char *name = ike_payload_name(rd->type);
	size_t off = (size_t)(at - rd->buf);
	const char *where = rd->inner ? "decrypted offset" : "offset";
	size_t size = sizeof(err->msg);
	int n;

	err->notify = notify;
	if (rd->type == IKE_PL_NONE)
		n = snprintf(err->msg, size, "%s %zu: ", where, off);
	else if (name)
		n = snprintf(err->msg, size, "%s payload at %s %zu: ", name,
			     where, off);
	else
		n = snprintf(err->msg, size, "payload type %u at %s %zu: ",
			     rd->type, where, off);
	if (n >= 0 && (size_t)n < size)
		vsnprintf(err->msg + n, size - (size_t)n, fmt, ap);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int refuse(struct rd *rd, uint16_t notify, const uint8_t *at,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrefuse(rd, notify, at, fmt, ap);
	va_end(ap);
	return -1;
}

/* The answer to nearly every malformed message. */
__attribute__((format(printf, 3, 4)))
static int bad(struct rd *rd, const uint8_t *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vrefuse(rd, IKE_N_INVALID_SYNTAX, at, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Proposals and transforms start alike: Last Substruc, RESERVED, Length.
 * The marker says "more" exactly when bytes are left after this one in
 * the enclosing structure; anything else means the lengths and markers
 * disagree on where the list ends.
 */
static int substruc_len(struct rd *rd, const uint8_t *p, size_t left,
			uint8_t more, const char *what, size_t *len)
{
	if (left < SUBSTRUC_LEN)
		return bad(rd, p, "%zu bytes left for a %s, which needs %d",
			   left, what, SUBSTRUC_LEN);
	if (p[0] != 0 && p[0] != more)
		return bad(rd, p, "%s marker %u is neither 0 nor %u", what,
			   p[0], more);
	*len = get16(p + 2);
	if (*len < SUBSTRUC_LEN || *len > left)
		return bad(rd, p, "%s length %zu is outside %d..%zu", what,
			   *len, SUBSTRUC_LEN, left);
	if (p[0] == more && *len == left)
		return bad(rd, p, "%s says more follow but is the last", what);
	if (p[0] == 0 && *len < left)
		return bad(rd, p, "%s says it is the last but %zu bytes follow",
			   what, left - *len);
	return 0;
}

/*
 * Key Length is the only attribute IANA defines, and it is TV. Another
 * attribute type makes the transform unacceptable, not the message
 * malformed (RFC 7296 section 3.3.6).
 */
static int decode_transform(struct rd *rd, const uint8_t *p, size_t len,
			    struct ike_transform *tr, bool *unknown_attr)
{
	size_t off, alen;
	uint16_t af_type;

	tr->type = p[4];
	tr->id = get16(p + 6);
	tr->keylen = 0;
	for (off = SUBSTRUC_LEN; off < len; off += alen) {
		if (len - off < 4)
			return bad(rd, p + off, "attribute cut to %zu bytes",
				   len - off);
		af_type = get16(p + off);
		alen = 4;
		if (!(af_type & ATTR_TV))
			alen += get16(p + off + 2);
		if (alen > len - off)
			return bad(rd, p + off,
				   "attribute of %zu bytes, %zu left", alen,
				   len - off);
		if ((af_type & ~ATTR_TV) != IKE_ATTR_KEY_LENGTH) {
			*unknown_attr = true;
			continue;
		}
		if (!(af_type & ATTR_TV))
			return bad(rd, p + off, "Key Length in TLV form");
		if (tr->keylen)
			return bad(rd, p + off, "second Key Length");
		tr->keylen = get16(p + off + 2);
		if (!tr->keylen)
			return bad(rd, p + off, "Key Length 0");
	}
	return 0;
}

static int decode_proposal(struct rd *rd, const uint8_t *p, size_t len,
			   struct ike_proposal *prop, uint32_t *unknown_attr)
{
	uint8_t n_tr = p[7];
	size_t off, tlen;
	bool unknown;

	prop->num = p[4];
	prop->proto = p[5];
	prop->spi_len = p[6];
	prop->n_tr = 0;
	if (prop->spi_len > IKE_SPI_MAX)
		return bad(rd, p + 6, "SPI size %u, at most %d", prop->spi_len,
			   IKE_SPI_MAX);
	if (SUBSTRUC_LEN + (size_t)prop->spi_len > len)
		return bad(rd, p + 6, "SPI size %u runs past the proposal",
			   prop->spi_len);
	if (n_tr > IKE_MAX_TRANSFORMS)
		return bad(rd, p + 7, "%u transforms, at most %d", n_tr,
			   IKE_MAX_TRANSFORMS);
	memcpy(prop->spi, p + SUBSTRUC_LEN, prop->spi_len);

	for (off = SUBSTRUC_LEN + prop->spi_len; off < len; off += tlen) {
		if (prop->n_tr == n_tr)
			return bad(rd, p + off,
				   "more than the %u transforms announced",
				   n_tr);
		if (substruc_len(rd, p + off, len - off, TRANSFORM_MORE,
				 "transform", &tlen) < 0)
			return -1;
		unknown = false;
		if (decode_transform(rd, p + off, tlen, &prop->tr[prop->n_tr],
				     &unknown) < 0)
			return -1;
		if (unknown)
			*unknown_attr |= UINT32_C(1) << prop->n_tr;
		prop->n_tr++;
	}
	if (prop->n_tr != n_tr)
		return bad(rd, p + 7, "%u transforms announced, %u present",
			   n_tr, prop->n_tr);
	return 0;
}

/*
 * RFC 7296 section 3.3.1: proposals are numbered from 1 up by one; an
 * answer carries the number of the proposal it accepted, whatever it was.
 */
static int check_proposal_num(struct rd *rd, const uint8_t *p, uint8_t i)
{
	const struct ike_pl_sa *sa = &rd->m->sa;
	bool response = rd->m->hdr.flags & IKE_FLAG_RESPONSE;
	unsigned int want = i ? sa->prop[i - 1].num + 1u : 1;
	uint8_t num = sa->prop[i].num;

	if (i == 0 && response && num != 0)
		return 0;
	if (num != want)
		return bad(rd, p + 4, "proposal number %u, expected %u", num,
			   want);
	return 0;
}

static int decode_sa(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_pl_sa *sa = &rd->m->sa;
	size_t off, plen;

	if (len == 0)
		return bad(rd, rd->pl, "no proposal");
	for (off = 0; off < len; off += plen) {
		if (sa->n_prop == IKE_MAX_PROPOSALS)
			return bad(rd, body + off, "more than %d proposals",
				   IKE_MAX_PROPOSALS);
		if (substruc_len(rd, body + off, len - off, PROPOSAL_MORE,
				 "proposal", &plen) < 0 ||
		    decode_proposal(rd, body + off, plen, &sa->prop[sa->n_prop],
				    &sa->unknown_attr[sa->n_prop]) < 0 ||
		    check_proposal_num(rd, body + off, sa->n_prop) < 0)
			return -1;
		sa->n_prop++;
	}
	return 0;
}

static int decode_ke(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_pl_ke *ke = &rd->m->ke;

	ke->group = get16(body);
	ke->data.p = body + 4;
	ke->data.len = len - 4;
	return 0;
}

static int decode_nonce(struct rd *rd, const uint8_t *body, size_t len)
{
	if (len > IKE_NONCE_MAX)
		return bad(rd, rd->pl, "%zu bytes of nonce, at most %d", len,
			   IKE_NONCE_MAX);
	rd->m->nonce.p = body;
	rd->m->nonce.len = len;
	return 0;
}

static void decode_id(struct ike_pl_id *id, const uint8_t *body, size_t len)
{
	id->type = body[0];
	id->data.p = body + 4;
	id->data.len = len - 4;
}

static int decode_idi(struct rd *rd, const uint8_t *body, size_t len)
{
	decode_id(&rd->m->idi, body, len);
	return 0;
}

static int decode_idr(struct rd *rd, const uint8_t *body, size_t len)
{
	decode_id(&rd->m->idr, body, len);
	return 0;
}

static void decode_cert_body(struct ike_pl_cert *c, const uint8_t *body,
			     size_t len)
{
	c->encoding = body[0];
	c->data.p = body + 1;
	c->data.len = len - 1;
}

static int decode_cert(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_msg *m = rd->m;

	if (m->n_cert == IKE_MAX_CERT)
		return bad(rd, rd->pl, "more than %d", IKE_MAX_CERT);
	decode_cert_body(&m->cert[m->n_cert++], body, len);
	return 0;
}

static int decode_certreq(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_msg *m = rd->m;

	if (m->n_certreq == IKE_MAX_CERTREQ)
		return bad(rd, rd->pl, "more than %d", IKE_MAX_CERTREQ);
	decode_cert_body(&m->certreq[m->n_certreq++], body, len);
	return 0;
}

static int decode_auth(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_pl_auth *auth = &rd->m->auth;

	auth->method = body[0];
	auth->data.p = body + 4;
	auth->data.len = len - 4;
	return 0;
}

static int decode_notify(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_msg *m = rd->m;
	struct ike_pl_notify *n;
	uint8_t spi_size = body[1];

	if (m->n_notify == IKE_MAX_NOTIFY)
		return bad(rd, rd->pl, "more than %d", IKE_MAX_NOTIFY);
	if (spi_size > len - 4)
		return bad(rd, body + 1, "SPI size %u, %zu bytes left",
			   spi_size, len - 4);
	n = &m->notify[m->n_notify++];
	n->proto = body[0];
	n->type = get16(body + 2);
	n->spi.p = body + 4;
	n->spi.len = spi_size;
	n->data.p = body + 4 + spi_size;
	n->data.len = len - 4 - spi_size;
	return 0;
}

static int decode_delete(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_msg *m = rd->m;
	struct ike_pl_delete *d;
	uint8_t spi_size = body[1];
	uint16_t n_spi = get16(body + 2);

	if (m->n_delete == IKE_MAX_DELETE)
		return bad(rd, rd->pl, "more than %d", IKE_MAX_DELETE);
	if ((size_t)n_spi * spi_size != len - 4)
		return bad(rd, body + 2, "%u SPIs of %u bytes in %zu bytes",
			   n_spi, spi_size, len - 4);
	d = &m->del[m->n_delete++];
	d->proto = body[0];
	d->spi_size = spi_size;
	d->n_spi = n_spi;
	d->spis = body + 4;
	return 0;
}

static int decode_vendor(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_msg *m = rd->m;

	if (m->n_vendor == IKE_MAX_VENDOR)
		return bad(rd, rd->pl, "more than %d", IKE_MAX_VENDOR);
	m->vendor[m->n_vendor].p = body;
	m->vendor[m->n_vendor].len = len;
	m->n_vendor++;
	return 0;
}

/* Bytes of each address in a selector of this type; 0 for other types. */
static size_t ts_addr_len(uint8_t type)
{
	switch (type) {
	case IKE_TS_IPV4_ADDR_RANGE:
		return 4;
	case IKE_TS_IPV6_ADDR_RANGE:
		return 16;
	}
	return 0;
}

static int decode_selector(struct rd *rd, const uint8_t *p, size_t slen,
			   struct ike_ts *ts)
{
	size_t alen = ts_addr_len(p[0]);

	memset(ts, 0, sizeof(*ts));
	ts->type = p[0];
	if (!alen)
		return 0;
	if (slen != 8 + 2 * alen)
		return bad(rd, p + 2,
			   "selector of type %u is %zu bytes, not %zu", p[0],
			   slen, 8 + 2 * alen);
	ts->ip_proto = p[1];
	ts->start_port = get16(p + 4);
	ts->end_port = get16(p + 6);
	memcpy(ts->start, p + 8, alen);
	memcpy(ts->end, p + 8 + alen, alen);
	return 0;
}

static int decode_ts(struct rd *rd, struct ike_pl_ts *tl,
		     const uint8_t *body, size_t len)
{
	uint8_t n_ts = body[0];
	struct ike_ts *ts;
	size_t off, slen;

	for (off = 4; off < len; off += slen) {
		if (tl->n_ts == IKE_MAX_TS)
			return bad(rd, body + off, "more than %d selectors",
				   IKE_MAX_TS);
		if (len - off < 4)
			return bad(rd, body + off,
				   "%zu bytes left for a selector", len - off);
		slen = get16(body + off + 2);
		if (slen < 4 || slen > len - off)
			return bad(rd, body + off,
				   "selector length %zu is outside 4..%zu",
				   slen, len - off);
		ts = &tl->ts[tl->n_ts++];
		if (decode_selector(rd, body + off, slen, ts) < 0)
			return -1;
	}
	if (tl->n_ts != n_ts)
		return bad(rd, body, "%u selectors announced, %u present", n_ts,
			   tl->n_ts);
	return 0;
}

static int decode_tsi(struct rd *rd, const uint8_t *body, size_t len)
{
	return decode_ts(rd, &rd->m->tsi, body, len);
}

static int decode_tsr(struct rd *rd, const uint8_t *body, size_t len)
{
	return decode_ts(rd, &rd->m->tsr, body, len);
}

/* "An Encrypted payload MUST NOT contain another" (RFC 7296 3.14). */
static int check_not_inner(struct rd *rd)
{
	if (rd->inner)
		return bad(rd, rd->pl, "inside an encrypted payload");
	return 0;
}

static int decode_sk(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_pl_sk *sk = &rd->m->sk;

	if (check_not_inner(rd) < 0)
		return -1;
	sk->first = rd->pl[0];
	sk->off = (size_t)(rd->pl - rd->buf);
	sk->body.p = body;
	sk->body.len = len;
	return 0;
}

static int decode_skf(struct rd *rd, const uint8_t *body, size_t len)
{
	struct ike_pl_skf *skf = &rd->m->skf;

	if (check_not_inner(rd) < 0)
		return -1;
	skf->first = rd->pl[0];
	skf->num = get16(body);
	skf->total = get16(body + 2);
	if (skf->num == 0 || skf->num > skf->total)
		return bad(rd, body, "fragment %u of %u", skf->num, skf->total);
	skf->off = (size_t)(rd->pl - rd->buf);
	skf->body.p = body + 4;
	skf->body.len = len - 4;
	return 0;
}

static int decode_cp(struct rd *rd, const uint8_t *body, size_t len)
{
	rd->m->cp.p = body;
	rd->m->cp.len = len;
	return 0;
}

static int decode_eap(struct rd *rd, const uint8_t *body, size_t len)
{
	rd->m->eap.p = body;
	rd->m->eap.len = len;
	return 0;
}

struct pl_decoder {
	uint8_t type;
	uint8_t fixed;		/* body bytes before the variable part */
	bool once;		/* at most one per message */
	int (*decode)(struct rd *rd, const uint8_t *body, size_t len);
};

static const struct pl_decoder decoders[] = {
	{ IKE_PL_SA,		0,		true,	decode_sa },
	{ IKE_PL_KE,		4,		true,	decode_ke },
	{ IKE_PL_IDI,		4,		true,	decode_idi },
	{ IKE_PL_IDR,		4,		true,	decode_idr },
	{ IKE_PL_CERT,		1,		false,	decode_cert },
	{ IKE_PL_CERTREQ,	1,		false,	decode_certreq },
	{ IKE_PL_AUTH,		4,		true,	decode_auth },
	{ IKE_PL_NONCE,		IKE_NONCE_MIN,	true,	decode_nonce },
	{ IKE_PL_NOTIFY,	4,		false,	decode_notify },
	{ IKE_PL_DELETE,	4,		false,	decode_delete },
	{ IKE_PL_VENDOR,	0,		false,	decode_vendor },
	{ IKE_PL_TSI,		4,		true,	decode_tsi },
	{ IKE_PL_TSR,		4,		true,	decode_tsr },
	{ IKE_PL_SK,		0,		true,	decode_sk },
	{ IKE_PL_CP,		4,		true,	decode_cp },
	{ IKE_PL_EAP,		4,		true,	decode_eap },
	{ IKE_PL_SKF,		4,		true,	decode_skf },
};

static const struct pl_decoder *find_decoder(uint8_t type)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decoders); i++)
		if (decoders[i].type == type)
			return &decoders[i];
	return NULL;
}

/*
 * One payload whose generic header fits. An unknown type is skipped
 * unless marked critical (RFC 7296 section 2.5).
 */
static int decode_payload(struct rd *rd, const uint8_t *p, size_t len)
{
	const struct pl_decoder *d = find_decoder(rd->type);

	if (!d) {
		if (!(p[1] & IKE_CRITICAL))
			return 0;
		refuse(rd, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, p,
		       "unknown and critical");
		rd->err->data[0] = rd->type;
		rd->err->data_len = 1;
		return -1;
	}
	if (len - IKE_PL_HDR_LEN < d->fixed)
		return bad(rd, p, "%zu bytes of body, at least %u needed",
			   len - IKE_PL_HDR_LEN, d->fixed);
	if (d->once && ike_msg_has(rd->m, rd->type))
		return bad(rd, p, "more than one");
	rd->m->seen |= BIT(rd->type);
	return d->decode(rd, p + IKE_PL_HDR_LEN, len - IKE_PL_HDR_LEN);
}

/*
 * Walk the chain from offset off. SK and SKF end it: their next payload
 * is the first one inside, and nothing may follow them.
 */
static int decode_chain(struct rd *rd, uint8_t type, size_t off)
{
	const uint8_t *p;
	size_t left, len;

	while (type != IKE_PL_NONE) {
		p = rd->buf + off;
		left = rd->len - off;
		rd->type = type;
		rd->pl = p;
		if (left < IKE_PL_HDR_LEN)
			return bad(rd, p, "%zu bytes left, the header needs %d",
				   left, IKE_PL_HDR_LEN);
		len = get16(p + 2);
		if (len < IKE_PL_HDR_LEN)
			return bad(rd, p, "length %zu, below %d", len,
				   IKE_PL_HDR_LEN);
		if (len > left)
			return bad(rd, p, "length %zu, only %zu bytes left",
				   len, left);
		if (decode_payload(rd, p, len) < 0)
			return -1;
		off += len;
		if (type == IKE_PL_SK || type == IKE_PL_SKF)
			break;
		type = p[0];
	}
	rd->type = IKE_PL_NONE;
	if (off != rd->len)
		return bad(rd, rd->buf + off,
			   "%zu bytes after the last payload", rd->len - off);
	return 0;
}

static void decode_header(const uint8_t *p, struct ike_hdr *h)
{
	memcpy(h->ispi, p, 8);
	memcpy(h->rspi, p + 8, 8);
	h->next = p[16];
	h->version = p[17];
	h->exchange = p[18];
	h->flags = p[19];
	h->msg_id = get32(p + 20);
	h->len = get32(p + 24);
}

int ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
		   struct ike_err *err)
{
	struct rd rd = { .buf = buf, .len = len, .m = m, .err = err };

	memset(m, 0, sizeof(*m));
	memset(err, 0, sizeof(*err));
	/* No SPIs, no message ID: nothing an answer could refer to. */
	if (len < IKE_HDR_LEN)
		return refuse(&rd, 0, buf, "%zu bytes, a header needs %d", len,
			      IKE_HDR_LEN);
	decode_header(buf, &m->hdr);
	/* Checked first: another major version may lay the rest out anew. */
	if (m->hdr.version >> 4 != IKE_VERSION >> 4)
		return refuse(&rd, IKE_N_INVALID_MAJOR_VERSION, buf + 17,
			      "major version %u", m->hdr.version >> 4);
	if (m->hdr.len != len)
		return bad(&rd, buf + 24,
			   "header says %u bytes, datagram has %zu", m->hdr.len,
			   len);
	return decode_chain(&rd, m->hdr.next, IKE_HDR_LEN);
}

int ike_payloads_decode(uint8_t first_type, const uint8_t *buf, size_t len,
			struct ike_msg *m, struct ike_err *err)
{
	struct rd rd = {
		.buf = buf, .len = len, .inner = true, .m = m, .err = err,
	};

	memset(err, 0, sizeof(*err));
	return decode_chain(&rd, first_type, 0);
}

/* ---- encoding ---- */

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void set32(uint8_t *p, uint32_t v)
{
	set16(p, (uint16_t)(v >> 16));
	set16(p + 2, (uint16_t)v);
}

/*
 * n more zeroed bytes at the end, or NULL once the buffer is oom. The cap
 * at IKE_MSG_MAX keeps every 16-bit length in the message from wrapping.
 */
static uint8_t *grow(struct ike_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : BUF_MIN;
	uint8_t *p;

	if (b->oom)
		return NULL;
	if (n > IKE_MSG_MAX - b->len) {
		b->oom = true;
		return NULL;
	}
	while (cap < b->len + n)
		cap *= 2;
	if (cap != b->cap) {
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	p = b->p + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

static void put8(struct ike_buf *b, uint8_t v)
{
	uint8_t *p = grow(b, 1);

	if (p)
		*p = v;
}

static void put16(struct ike_buf *b, uint16_t v)
{
	uint8_t *p = grow(b, 2);

	if (p)
		set16(p, v);
}

static void put_bytes(struct ike_buf *b, const uint8_t *src, size_t n)
{
	uint8_t *p = grow(b, n);

	if (p && n)
		memcpy(p, src, n);
}

/* Generic headers, proposals and transforms all keep their length at +2. */
static void end_len(struct ike_buf *b, size_t at)
{
	if (!b->oom)
		set16(b->p + at + 2, (uint16_t)(b->len - at));
}

/*
 * Start a payload: link it from the header or the payload before, and
 * write a generic header (next none, not critical) whose length
 * end_len() fills in. Returns its offset.
 */
static size_t pl_begin(struct ike_buf *b, uint8_t type)
{
	size_t at = b->len;

	if (b->first == IKE_PL_NONE)
		b->first = type;
	if (at > 0 && !b->oom)
		b->p[b->next_at] = type;
	grow(b, IKE_PL_HDR_LEN);
	b->next_at = at;
	return at;
}

void ike_buf_free(struct ike_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void ike_msg_start(struct ike_buf *b, const struct ike_hdr *h)
{
	uint8_t *p = grow(b, IKE_HDR_LEN);

	b->next_at = 16;
	if (!p)
		return;
	memcpy(p, h->ispi, 8);
	memcpy(p + 8, h->rspi, 8);
	p[17] = IKE_VERSION;
	p[18] = h->exchange;
	p[19] = h->flags;
	set32(p + 20, h->msg_id);
}

int ike_msg_finish(struct ike_buf *b)
{
	if (b->oom || b->len < IKE_HDR_LEN)
		return -1;
	set32(b->p + 24, (uint32_t)b->len);
	return 0;
}

static void put_transform(struct ike_buf *b, const struct ike_transform *tr,
			  bool last)
{
	size_t at = b->len;

	put8(b, last ? 0 : TRANSFORM_MORE);
	put8(b, 0);
	put16(b, 0);
	put8(b, tr->type);
	put8(b, 0);
	put16(b, tr->id);
	if (tr->keylen) {
		put16(b, ATTR_TV | IKE_ATTR_KEY_LENGTH);
		put16(b, tr->keylen);
	}
	end_len(b, at);
}

static void put_proposal(struct ike_buf *b, const struct ike_proposal *prop,
			 bool last)
{
	size_t at = b->len;
	uint8_t i;

	if (prop->spi_len > IKE_SPI_MAX || prop->n_tr > IKE_MAX_TRANSFORMS) {
		b->oom = true;
		return;
	}
	put8(b, last ? 0 : PROPOSAL_MORE);
	put8(b, 0);
	put16(b, 0);
	put8(b, prop->num);
	put8(b, prop->proto);
	put8(b, prop->spi_len);
	put8(b, prop->n_tr);
	put_bytes(b, prop->spi, prop->spi_len);
	for (i = 0; i < prop->n_tr; i++)
		put_transform(b, &prop->tr[i], i + 1 == prop->n_tr);
	end_len(b, at);
}

/* Never send what we would refuse: the caps hold both ways. */
void ike_put_sa(struct ike_buf *b, const struct ike_proposal *prop,
		size_t n_prop)
{
	size_t at = pl_begin(b, IKE_PL_SA);
	size_t i;

	if (n_prop == 0 || n_prop > IKE_MAX_PROPOSALS)
		b->oom = true;
	for (i = 0; i < n_prop && !b->oom; i++)
		put_proposal(b, &prop[i], i + 1 == n_prop);
	end_len(b, at);
}

void ike_put_ke(struct ike_buf *b, const struct ike_pl_ke *ke)
{
	size_t at = pl_begin(b, IKE_PL_KE);

	put16(b, ke->group);
	put16(b, 0);
	put_bytes(b, ke->data.p, ke->data.len);
	end_len(b, at);
}

void ike_put_nonce(struct ike_buf *b, const struct ike_bytes *nonce)
{
	ike_put_raw(b, IKE_PL_NONCE, nonce->p, nonce->len);
}

/* ID and AUTH: a type byte, three reserved, the data. */
static void put_typed(struct ike_buf *b, uint8_t pl_type, uint8_t type,
		      const struct ike_bytes *data)
{
	size_t at = pl_begin(b, pl_type);

	put8(b, type);
	grow(b, 3);
	put_bytes(b, data->p, data->len);
	end_len(b, at);
}

void ike_put_id(struct ike_buf *b, uint8_t type, const struct ike_pl_id *id)
{
	put_typed(b, type, id->type, &id->data);
}

void ike_put_auth(struct ike_buf *b, const struct ike_pl_auth *auth)
{
	put_typed(b, IKE_PL_AUTH, auth->method, &auth->data);
}

static void put_cert_body(struct ike_buf *b, uint8_t pl_type,
			  const struct ike_pl_cert *c)
{
	size_t at = pl_begin(b, pl_type);

	put8(b, c->encoding);
	put_bytes(b, c->data.p, c->data.len);
	end_len(b, at);
}

void ike_put_cert(struct ike_buf *b, const struct ike_pl_cert *cert)
{
	put_cert_body(b, IKE_PL_CERT, cert);
}

void ike_put_certreq(struct ike_buf *b, const struct ike_pl_cert *cr)
{
	put_cert_body(b, IKE_PL_CERTREQ, cr);
}

void ike_put_notify(struct ike_buf *b, const struct ike_pl_notify *n)
{
	size_t at = pl_begin(b, IKE_PL_NOTIFY);

	if (n->spi.len > UINT8_MAX)
		b->oom = true;
	put8(b, n->proto);
	put8(b, (uint8_t)n->spi.len);
	put16(b, n->type);
	put_bytes(b, n->spi.p, n->spi.len);
	put_bytes(b, n->data.p, n->data.len);
	end_len(b, at);
}

void ike_put_delete(struct ike_buf *b, const struct ike_pl_delete *d)
{
	size_t at = pl_begin(b, IKE_PL_DELETE);

	put8(b, d->proto);
	put8(b, d->spi_size);
	put16(b, d->n_spi);
	put_bytes(b, d->spis, (size_t)d->n_spi * d->spi_size);
	end_len(b, at);
}

void ike_put_vendor(struct ike_buf *b, const struct ike_bytes *vid)
{
	ike_put_raw(b, IKE_PL_VENDOR, vid->p, vid->len);
}

static void put_selector(struct ike_buf *b, const struct ike_ts *ts)
{
	size_t alen = ts_addr_len(ts->type);

	if (!alen) {
		b->oom = true;
		return;
	}
	put8(b, ts->type);
	put8(b, ts->ip_proto);
	put16(b, (uint16_t)(8 + 2 * alen));
	put16(b, ts->start_port);
	put16(b, ts->end_port);
	put_bytes(b, ts->start, alen);
	put_bytes(b, ts->end, alen);
}

void ike_put_ts(struct ike_buf *b, uint8_t type, const struct ike_ts *ts,
		size_t n_ts)
{
	size_t at = pl_begin(b, type);
	size_t i;

	if (n_ts > IKE_MAX_TS)
		b->oom = true;
	put8(b, (uint8_t)n_ts);
	grow(b, 3);
	for (i = 0; i < n_ts && !b->oom; i++)
		put_selector(b, &ts[i]);
	end_len(b, at);
}

void ike_put_raw(struct ike_buf *b, uint8_t type, const uint8_t *body,
		 size_t len)
{
	size_t at = pl_begin(b, type);

	put_bytes(b, body, len);
	end_len(b, at);
}

/* SK's next payload is the first one inside it, not the one after. */
size_t ike_put_sk(struct ike_buf *b, uint8_t first, size_t body_len)
{
	size_t at = pl_begin(b, IKE_PL_SK);

	if (!b->oom)
		b->p[at] = first;
	grow(b, body_len);
	end_len(b, at);
	return at;
}

size_t ike_put_skf(struct ike_buf *b, uint8_t first, uint16_t num,
		   uint16_t total, size_t body_len)
{
	size_t at = pl_begin(b, IKE_PL_SKF);

	if (!b->oom)
		b->p[at] = first;
	put16(b, num);
	put16(b, total);
	grow(b, body_len);
	end_len(b, at);
	return at;
}

/* ---- small helpers ---- */

const struct ike_pl_notify *ike_msg_notify(const struct ike_msg *m, uint16_t type)
{
	size_t i;

	for (i = 0; i < m->n_notify; i++)
		if (m->notify[i].type == type)
			return &m->notify[i];
	return NULL;
}

const struct ike_pl_notify *ike_msg_error_notify(const struct ike_msg *m)
{
	size_t i;

	for (i = 0; i < m->n_notify; i++)
		if (m->notify[i].type < IKE_N_INITIAL_CONTACT)
			return &m->notify[i];
	return NULL;
}
