/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 messages (RFC 7296 section 3): the header and the payload chain,
 * decoded from the network into typed structs and encoded back from the
 * same structs. Syntax only: which payloads an exchange needs, whether a
 * proposal is acceptable, whether a traffic selector's start is below its
 * end, are the callers' rules.
 */
#ifndef KIPSEC_IKE_MSG_H
#define KIPSEC_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"

#define IKE_PL_HDR_LEN		4	/* generic payload header */
#define IKE_SKF_HDR_LEN		8	/* generic header, number, total */
#define IKE_CRITICAL		0x80	/* generic header, second byte */
#define IKE_NONCE_MIN		16	/* RFC 7296 section 3.9 */
#define IKE_NONCE_MAX		256

/*
 * Caps on what one message may carry. A message with more is refused
 * (INVALID_SYNTAX) rather than cut short: a silently dropped notify or
 * proposal would change what the peer asked for.
 */
#define IKE_MAX_PROPOSALS	16
#define IKE_MAX_TS		16	/* per TSi or TSr payload */
#define IKE_MAX_NOTIFY		32	/* MOBIKE sends one per address */
#define IKE_MAX_CERT		8	/* a chain */
#define IKE_MAX_CERTREQ		8
#define IKE_MAX_DELETE		8
#define IKE_MAX_VENDOR		16

/* Bytes inside the decoded datagram (or, when encoding, the caller's). */
struct ike_bytes {
	const uint8_t *p;
	size_t len;
};

struct ike_hdr {
	uint8_t ispi[8];
	uint8_t rspi[8];
	uint8_t next;		/* type of the first payload */
	uint8_t version;	/* major << 4 | minor */
	uint8_t exchange;	/* enum ike_exchange */
	uint8_t flags;		/* IKE_FLAG_* */
	uint32_t msg_id;
	uint32_t len;		/* the whole message, header included */
};

struct ike_pl_sa {
	uint8_t n_prop;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
	/*
	 * Bit t of unknown_attr[i]: transform t of proposal i carries an
	 * attribute other than Key Length. RFC 7296 section 3.3.6 makes such
	 * a transform unacceptable but leaves its proposal alone, so it is
	 * kept (its type still counts) and flagged for the selection code.
	 */
	uint32_t unknown_attr[IKE_MAX_PROPOSALS];
};

struct ike_pl_ke {
	uint16_t group;		/* enum ike_ke */
	struct ike_bytes data;
};

struct ike_pl_id {
	uint8_t type;		/* enum ike_id_type */
	struct ike_bytes data;
};

/* A CERT or a CERTREQ payload. */
struct ike_pl_cert {
	uint8_t encoding;	/* enum ike_cert_encoding */
	struct ike_bytes data;
};

struct ike_pl_auth {
	uint8_t method;		/* enum ike_auth_method */
	struct ike_bytes data;
};

struct ike_pl_notify {
	uint8_t proto;		/* enum ike_proto */
	uint16_t type;		/* enum ike_notify */
	struct ike_bytes spi;	/* its length is the SPI Size field */
	struct ike_bytes data;
};

struct ike_pl_delete {
	uint8_t proto;		/* enum ike_proto */
	uint8_t spi_size;
	uint16_t n_spi;
	const uint8_t *spis;	/* n_spi * spi_size bytes */
};

/*
 * A TSi or TSr payload. A selector of a type other than the two address
 * ranges is kept with only its type set, so that the narrowing code sees
 * that the peer asked for something it cannot honour.
 */
struct ike_pl_ts {
	uint8_t n_ts;
	struct ike_ts ts[IKE_MAX_TS];
};

/*
 * SK (RFC 7296 section 3.14) and SKF (RFC 7383 section 2.5): the body is
 * the IV, the ciphertext and the ICV, left to the crypto code. off is the
 * offset of the payload's generic header in the message: an AEAD's
 * associated data is the message up to the body, off + IKE_PL_HDR_LEN
 * bytes for SK and off + IKE_SKF_HDR_LEN for SKF (RFC 5282 section 5.1).
 */
struct ike_pl_sk {
	uint8_t first;		/* type of the first payload inside */
	size_t off;
	struct ike_bytes body;
};

struct ike_pl_skf {
	uint8_t first;		/* 0 in every fragment but the first */
	uint16_t num, total;	/* 1 <= num <= total */
	size_t off;
	struct ike_bytes body;
};

/*
 * A decoded message. Every struct ike_bytes points into the buffer that
 * was decoded (no copies): that buffer must outlive the struct ike_msg.
 * Payloads that may appear once are valid when ike_msg_has() says so;
 * those that may repeat are in arrays in the order received.
 */
struct ike_msg {
	struct ike_hdr hdr;
	uint64_t seen;		/* bit per payload type decoded */

	struct ike_pl_sa sa;
	struct ike_pl_ke ke;
	struct ike_bytes nonce;
	struct ike_pl_id idi, idr;
	struct ike_pl_auth auth;
	struct ike_pl_ts tsi, tsr;
	struct ike_bytes cp;	/* body of CP, unparsed */
	struct ike_bytes eap;	/* body of EAP, unparsed */
	struct ike_pl_sk sk;
	struct ike_pl_skf skf;

	uint8_t n_notify, n_cert, n_certreq, n_delete, n_vendor;
	struct ike_pl_notify notify[IKE_MAX_NOTIFY];
	struct ike_pl_cert cert[IKE_MAX_CERT];
	struct ike_pl_cert certreq[IKE_MAX_CERTREQ];
	struct ike_pl_delete del[IKE_MAX_DELETE];
	struct ike_bytes vendor[IKE_MAX_VENDOR];
};

static inline bool ike_msg_has(const struct ike_msg *m, uint8_t type)
{
	return type < 64 && (m->seen >> type) & 1;
}

/*
 * Why a message was refused. notify is what RFC 7296 says to answer with
 * (data holds its Notification Data), filled the same way whether the
 * message was a request or a response: a response is never answered, and
 * INVALID_SYNTAX may only be sent inside a message whose integrity was
 * checked (section 3.10.1), but both are the caller's decisions. notify 0
 * means there is nothing to answer to (a datagram too short to carry a
 * header). msg says which payload, at which offset, is wrong.
 */
struct ike_err {
	uint16_t notify;
	uint8_t data[4];
	uint8_t data_len;
	char msg[160];
};

/*
 * Decode a whole datagram (after the non-ESP marker, if any). 0 on
 * success; -1 with err filled, and m half-filled, on any error.
 */
int ike_msg_decode(const uint8_t *buf, size_t len, struct ike_msg *m,
		   struct ike_err *err);

/*
 * Decode the payload chain found inside an SK payload, first_type being
 * the SK payload's next payload and buf the plaintext without its padding
 * and Pad Length byte. The payloads are added to m, which holds the
 * decoded message (its header says whether proposals are numbered as in a
 * request or as in a response); the caps count both chains together.
 */
int ike_payloads_decode(uint8_t first_type, const uint8_t *buf, size_t len,
			struct ike_msg *m, struct ike_err *err);

/*
 * Encoding: append to a growing buffer and look at one flag at the end.
 * A zeroed struct ike_buf is an empty payload chain (what goes inside an
 * SK payload: first then tells the SK payload's next payload);
 * ike_msg_start() on it begins a message instead. Each ike_put_*() links
 * its payload to the one before. oom is set, and the buffer stops
 * growing, when memory runs out, when the buffer would pass IKE_MSG_MAX
 * (so that no length field overflows), or when a struct holds what we
 * would refuse to decode: an SA without proposals, more than the caps
 * above or IKE_MAX_TRANSFORMS, a notify SPI over 255 bytes, a selector
 * of a type we cannot encode.
 */
struct ike_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
	size_t next_at;		/* where the next payload's type goes */
	uint8_t first;		/* type of the first payload appended */
};

/* Free the bytes and zero b, ready for another message. */
void ike_buf_free(struct ike_buf *b);

/* The header from h, but for next, version and len which are ours. */
void ike_msg_start(struct ike_buf *b, const struct ike_hdr *h);
/* Set the header's length: 0, or -1 if the buffer is oom (or no message). */
int ike_msg_finish(struct ike_buf *b);

void ike_put_sa(struct ike_buf *b, const struct ike_proposal *prop,
		size_t n_prop);
void ike_put_ke(struct ike_buf *b, const struct ike_pl_ke *ke);
void ike_put_nonce(struct ike_buf *b, const struct ike_bytes *nonce);
/* type is IKE_PL_IDI or IKE_PL_IDR. */
void ike_put_id(struct ike_buf *b, uint8_t type, const struct ike_pl_id *id);
void ike_put_cert(struct ike_buf *b, const struct ike_pl_cert *cert);
void ike_put_certreq(struct ike_buf *b, const struct ike_pl_cert *cr);
void ike_put_auth(struct ike_buf *b, const struct ike_pl_auth *auth);
void ike_put_notify(struct ike_buf *b, const struct ike_pl_notify *n);
void ike_put_delete(struct ike_buf *b, const struct ike_pl_delete *d);
void ike_put_vendor(struct ike_buf *b, const struct ike_bytes *vid);
/* type is IKE_PL_TSI or IKE_PL_TSR. */
void ike_put_ts(struct ike_buf *b, uint8_t type, const struct ike_ts *ts,
		size_t n_ts);
/* A payload whose body the caller built (CP, EAP). */
void ike_put_raw(struct ike_buf *b, uint8_t type, const uint8_t *body,
		 size_t len);

/*
 * The SK payload, which must come last. It reserves body_len zeroed bytes
 * for the IV, ciphertext and ICV and returns the offset of its generic
 * header. Once ike_msg_finish() has fixed every length, the associated
 * data is b->p[0 .. off + IKE_PL_HDR_LEN) and the body is written at
 * b->p + off + IKE_PL_HDR_LEN. first is the inner chain's b->first.
 */
size_t ike_put_sk(struct ike_buf *b, uint8_t first, size_t body_len);
/* The same for one fragment (RFC 7383): body at off + IKE_SKF_HDR_LEN. */
size_t ike_put_skf(struct ike_buf *b, uint8_t first, uint16_t num,
		   uint16_t total, size_t body_len);

/* m's first Notify of type, or NULL. */
const struct ike_pl_notify *ike_msg_notify(const struct ike_msg *m, uint16_t type);
/* m's first error Notify (types below 16384), or NULL. */
const struct ike_pl_notify *ike_msg_error_notify(const struct ike_msg *m);

#endif /* KIPSEC_IKE_MSG_H */
