/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ISAKMP messages as IKEv1 uses them (RFC 2408 section 3, the IPsec DOI
 * of RFC 2407 section 4.6, RFC 2409, NAT-T payloads of RFC 3947): the
 * header and the payload chain, decoded from the network into typed
 * structs and encoded back from the same structs. Syntax only: which
 * payloads an exchange needs, whether a transform is acceptable, whether
 * a hash is right, are the callers' rules.
 *
 * Self-contained on purpose: nothing here depends on the IKEv2 codec
 * (ike/msg.h), so the two can move and change apart.
 */
#ifndef KIPSEC_IKE_V1_MSG_H
#define KIPSEC_IKE_V1_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike1.h"

#define IKE1_VERSION		0x10	/* major 1, minor 0 */
#define IKE1_HDR_LEN		28
#define IKE1_PL_HDR_LEN		4	/* generic payload header */
#define IKE1_MSG_MAX		65535	/* we send and take no more */
#define IKE1_NONCE_MIN		8	/* RFC 2409 section 5 */
#define IKE1_NONCE_MAX		256
#define IKE1_SPI_MAX		16	/* an ISAKMP SPI is both cookies */

/* Header flags (RFC 2408 section 3.1); any other bit is INVALID-FLAGS. */
#define IKE1_FLAG_ENCRYPTION	0x01
#define IKE1_FLAG_COMMIT	0x02
#define IKE1_FLAG_AUTH_ONLY	0x04

/*
 * Caps on what one message may carry. More is refused (PAYLOAD-MALFORMED)
 * rather than cut short: a dropped transform or notify would change what
 * the peer asked for. IKE1_MAX_TRANSFORMS counts every transform of the
 * SA payload, whatever its proposal: an IKEv1 Phase 1 offer is one
 * proposal with one transform per algorithm combination, and clients
 * offer a dozen or two.
 */
#define IKE1_MAX_PROPOSALS	16
#define IKE1_MAX_TRANSFORMS	64
#define IKE1_MAX_ATTRS		16	/* per transform; RFC 2409 defines 16 */
#define IKE1_MAX_SPIS		64	/* per Delete payload */
#define IKE1_MAX_ID		2	/* Quick Mode: IDci and IDcr */
#define IKE1_MAX_CERT		8	/* a chain */
#define IKE1_MAX_CERTREQ	16	/* one per trusted CA */
#define IKE1_MAX_NOTIFY		16
#define IKE1_MAX_DELETE		8
#define IKE1_MAX_VENDOR		32	/* NAT-T drafts, DPD, XAUTH, ... */
#define IKE1_MAX_NATD		8	/* one per address of either side */
#define IKE1_MAX_NATOA		2	/* NAT-OAi and NAT-OAr */
/*
 * Bytes allowed after the last payload of a decrypted chain: RFC 2409
 * pads to the cipher's block and lets the last byte count the padding,
 * so no more than 255 + 1.
 */
#define IKE1_PAD_MAX		256

/* Exchange types (RFC 2408 section 3.1, RFC 2409). */
enum ike1_exchange {
	IKE1_EXCH_BASE		= 1,
	IKE1_EXCH_MAIN		= 2,	/* "Identity Protection" */
	IKE1_EXCH_AUTH_ONLY	= 3,
	IKE1_EXCH_AGGRESSIVE	= 4,
	IKE1_EXCH_INFO		= 5,
	IKE1_EXCH_QUICK		= 32,
	IKE1_EXCH_NEW_GROUP	= 33,
};

/* Next payload types (RFC 2408 section 3.1, RFC 3947). */
enum ike1_payload_type {
	IKE1_PL_NONE		= 0,
	IKE1_PL_SA		= 1,
	IKE1_PL_PROPOSAL	= 2,	/* only inside an SA */
	IKE1_PL_TRANSFORM	= 3,	/* only inside a proposal */
	IKE1_PL_KE		= 4,
	IKE1_PL_ID		= 5,
	IKE1_PL_CERT		= 6,
	IKE1_PL_CERTREQ		= 7,
	IKE1_PL_HASH		= 8,
	IKE1_PL_SIG		= 9,
	IKE1_PL_NONCE		= 10,
	IKE1_PL_NOTIFY		= 11,
	IKE1_PL_DELETE		= 12,
	IKE1_PL_VENDOR		= 13,
	IKE1_PL_NAT_D		= 20,
	IKE1_PL_NAT_OA		= 21,
};

/* Domain of interpretation and situation (RFC 2407 sections 4.2, 4.6.1). */
#define IKE1_DOI_ISAKMP		0	/* generic: Notify and Delete only */
#define IKE1_DOI_IPSEC		1
#define IKE1_SIT_IDENTITY_ONLY	1


/* The one ISAKMP transform ID (RFC 2407 section 4.4.2). */
#define IKE1_KEY_IKE		1

/* AH transform IDs (RFC 2407 section 4.4.3, RFC 4868). */
enum ike1_ah_transform {
	IKE1_AH_MD5		= 2,
	IKE1_AH_SHA		= 3,
	IKE1_AH_SHA2_256	= 5,
	IKE1_AH_SHA2_384	= 6,
	IKE1_AH_SHA2_512	= 7,
};

/* ESP transform IDs (RFC 2407 section 4.4.4 and IANA); not IKEv2's. */
enum ike1_esp_transform {
	IKE1_ESP_DES		= 2,
	IKE1_ESP_3DES		= 3,
	IKE1_ESP_NULL		= 11,
	IKE1_ESP_AES_CBC	= 12,
	IKE1_ESP_AES_CTR	= 13,
	IKE1_ESP_AES_CCM_8	= 14,
	IKE1_ESP_AES_CCM_12	= 15,
	IKE1_ESP_AES_CCM_16	= 16,
	IKE1_ESP_AES_GCM_8	= 18,
	IKE1_ESP_AES_GCM_12	= 19,
	IKE1_ESP_AES_GCM_16	= 20,
	IKE1_ESP_NULL_AUTH_AES_GMAC = 23,	/* IKEv2 says 21 */
};

/* Phase 1 (ISAKMP) attribute classes (RFC 2409 appendix A). */
enum ike1_p1_attr {
	IKE1_P1_ENCR		= 1,
	IKE1_P1_HASH		= 2,
	IKE1_P1_AUTH_METHOD	= 3,
	IKE1_P1_GROUP_DESC	= 4,
	IKE1_P1_GROUP_TYPE	= 5,
	IKE1_P1_GROUP_PRIME	= 6,	/* variable */
	IKE1_P1_GROUP_GEN_ONE	= 7,	/* variable */
	IKE1_P1_GROUP_GEN_TWO	= 8,	/* variable */
	IKE1_P1_GROUP_CURVE_A	= 9,	/* variable */
	IKE1_P1_GROUP_CURVE_B	= 10,	/* variable */
	IKE1_P1_LIFE_TYPE	= 11,
	IKE1_P1_LIFE_DURATION	= 12,	/* variable */
	IKE1_P1_PRF		= 13,
	IKE1_P1_KEY_LENGTH	= 14,
	IKE1_P1_FIELD_SIZE	= 15,
	IKE1_P1_GROUP_ORDER	= 16,	/* variable */
};



/* IKE1_P1_AUTH_METHOD values. */
enum ike1_auth_method {
	IKE1_AUTH_PSK		= 1,
	IKE1_AUTH_DSS_SIG	= 2,
	IKE1_AUTH_RSA_SIG	= 3,
	IKE1_AUTH_RSA_ENC	= 4,
	IKE1_AUTH_RSA_REV_ENC	= 5,
	IKE1_AUTH_ECDSA_SHA256	= 9,	/* RFC 4754 */
	IKE1_AUTH_ECDSA_SHA384	= 10,
	IKE1_AUTH_ECDSA_SHA512	= 11,
};

/* IKE1_P1_LIFE_TYPE and IKE1_P2_LIFE_TYPE values. */
#define IKE1_LIFE_SECONDS	1
#define IKE1_LIFE_KILOBYTES	2

/*
 * Group descriptions (both phases) draw from the same registry as
 * IKEv2's key exchange methods: 2 is MODP_1024, 14 MODP_2048, 19 ECP_256.
 */

/* Phase 2 (IPsec DOI) attribute classes (RFC 2407 section 4.5). */
enum ike1_p2_attr {
	IKE1_P2_LIFE_TYPE	= 1,
	IKE1_P2_LIFE_DURATION	= 2,	/* variable */
	IKE1_P2_GROUP_DESC	= 3,
	IKE1_P2_ENCAP_MODE	= 4,
	IKE1_P2_AUTH_ALG	= 5,
	IKE1_P2_KEY_LENGTH	= 6,
	IKE1_P2_KEY_ROUNDS	= 7,
	IKE1_P2_COMP_DICT_SIZE	= 8,
	IKE1_P2_COMP_PRIV_ALG	= 9,	/* variable */
	IKE1_P2_ECN_TUNNEL	= 10,	/* RFC 3168 */
	IKE1_P2_ESN		= 11,	/* RFC 4304 */
};

/* IKE1_P2_ENCAP_MODE values (RFC 2407, RFC 3947 section 5.1). */
enum ike1_encap_mode {
	IKE1_ENCAP_TUNNEL	= 1,
	IKE1_ENCAP_TRANSPORT	= 2,
	IKE1_ENCAP_UDP_TUNNEL	= 3,
	IKE1_ENCAP_UDP_TRANSPORT = 4,
};

/* IKE1_P2_AUTH_ALG values (RFC 2407 section 4.5, RFC 4868). */
enum ike1_auth_alg {
	IKE1_AUTH_HMAC_MD5	= 1,
	IKE1_AUTH_HMAC_SHA1	= 2,
	IKE1_AUTH_HMAC_SHA2_256	= 5,
	IKE1_AUTH_HMAC_SHA2_384	= 6,
	IKE1_AUTH_HMAC_SHA2_512	= 7,
	IKE1_AUTH_AES_XCBC_MAC	= 9,
};

/* Identification types (RFC 2407 section 4.6.2.1). */
enum ike1_id_type {
	IKE1_ID_IPV4_ADDR	= 1,
	IKE1_ID_FQDN		= 2,
	IKE1_ID_USER_FQDN	= 3,
	IKE1_ID_IPV4_ADDR_SUBNET = 4,
	IKE1_ID_IPV6_ADDR	= 5,
	IKE1_ID_IPV6_ADDR_SUBNET = 6,
	IKE1_ID_IPV4_ADDR_RANGE	= 7,
	IKE1_ID_IPV6_ADDR_RANGE	= 8,
	IKE1_ID_DER_ASN1_DN	= 9,
	IKE1_ID_DER_ASN1_GN	= 10,
	IKE1_ID_KEY_ID		= 11,
};

/* Certificate encodings (RFC 2408 section 3.9), the two we meet. */
#define IKE1_CERT_X509_SIG	4
#define IKE1_CERT_CRL		7

/*
 * Notify message types: RFC 2408 section 3.14.1 (errors below 8192,
 * CONNECTED), RFC 2407 section 4.6.3 (IPsec DOI status), RFC 3706 (DPD).
 */
enum ike1_notify {
	IKE1_N_INVALID_PAYLOAD_TYPE	= 1,
	IKE1_N_DOI_NOT_SUPPORTED	= 2,
	IKE1_N_SITUATION_NOT_SUPPORTED	= 3,
	IKE1_N_INVALID_COOKIE		= 4,
	IKE1_N_INVALID_MAJOR_VERSION	= 5,
	IKE1_N_INVALID_MINOR_VERSION	= 6,
	IKE1_N_INVALID_EXCHANGE_TYPE	= 7,
	IKE1_N_INVALID_FLAGS		= 8,
	IKE1_N_INVALID_MESSAGE_ID	= 9,
	IKE1_N_INVALID_PROTOCOL_ID	= 10,
	IKE1_N_INVALID_SPI		= 11,
	IKE1_N_INVALID_TRANSFORM_ID	= 12,
	IKE1_N_ATTRIBUTES_NOT_SUPPORTED	= 13,
	IKE1_N_NO_PROPOSAL_CHOSEN	= 14,
	IKE1_N_BAD_PROPOSAL_SYNTAX	= 15,
	IKE1_N_PAYLOAD_MALFORMED	= 16,
	IKE1_N_INVALID_KEY_INFORMATION	= 17,
	IKE1_N_INVALID_ID_INFORMATION	= 18,
	IKE1_N_INVALID_CERT_ENCODING	= 19,
	IKE1_N_INVALID_CERTIFICATE	= 20,
	IKE1_N_CERT_TYPE_UNSUPPORTED	= 21,
	IKE1_N_INVALID_CERT_AUTHORITY	= 22,
	IKE1_N_INVALID_HASH_INFORMATION	= 23,
	IKE1_N_AUTHENTICATION_FAILED	= 24,
	IKE1_N_INVALID_SIGNATURE	= 25,
	IKE1_N_ADDRESS_NOTIFICATION	= 26,
	IKE1_N_NOTIFY_SA_LIFETIME	= 27,
	IKE1_N_CERTIFICATE_UNAVAILABLE	= 28,
	IKE1_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	IKE1_N_UNEQUAL_PAYLOAD_LENGTHS	= 30,

	IKE1_N_CONNECTED		= 16384,
	IKE1_N_RESPONDER_LIFETIME	= 24576,
	IKE1_N_REPLAY_STATUS		= 24577,
	IKE1_N_INITIAL_CONTACT		= 24578,
	IKE1_N_R_U_THERE		= 36136,
	IKE1_N_R_U_THERE_ACK		= 36137,
};

/* Bytes inside the decoded datagram (or, when encoding, the caller's). */
struct ike1_bytes {
	const uint8_t *p;
	size_t len;
};

struct ike1_hdr {
	uint8_t icookie[IKE1_COOKIE_LEN];
	uint8_t rcookie[IKE1_COOKIE_LEN];
	uint8_t next;		/* type of the first payload, encrypted or not */
	uint8_t version;	/* major << 4 | minor */
	uint8_t exchange;	/* enum ike1_exchange */
	uint8_t flags;		/* IKE1_FLAG_* */
	uint32_t msg_id;
	uint32_t len;		/* the whole message, header included */
};

/*
 * A data attribute (RFC 2408 section 3.3). TV form (the AF bit): a 16-bit
 * value in val. TLV form: data, whatever its length. Decoding refuses a
 * TLV for an attribute RFC 2409 or RFC 2407 call basic; others may come
 * either way ("variable length attributes MAY be encoded as basic").
 */
struct ike1_attr {
	uint16_t type;		/* without the AF bit */
	bool tv;
	uint16_t val;		/* TV form */
	struct ike1_bytes data;	/* TLV form */
};

struct ike1_transform {
	uint8_t num;
	uint8_t id;		/* IKE1_KEY_IKE, enum ike1_esp_transform, ... */
	uint8_t n_attr;
	struct ike1_attr attr[IKE1_MAX_ATTRS];
};

/*
 * Proposals with the same number form one offer (AH and ESP together,
 * RFC 2408 section 4.2): decoding refuses numbers that go down. A
 * proposal's transforms are tr[first_tr .. first_tr + n_tr) of its SA
 * payload: indexes rather than pointers, so that the struct can be
 * copied.
 */
struct ike1_proposal {
	uint8_t num;
	uint8_t proto;		/* enum ike1_proto */
	uint8_t spi_len;
	uint8_t spi[IKE1_SPI_MAX];
	uint8_t first_tr, n_tr;
};

/*
 * body, when decoded, is the payload without its generic header: what
 * RFC 2409 hashes as SAi_b. The encoder ignores it.
 */
struct ike1_pl_sa {
	uint32_t doi;		/* IKE1_DOI_IPSEC */
	uint32_t situation;	/* IKE1_SIT_IDENTITY_ONLY */
	uint8_t n_prop, n_tr;
	struct ike1_proposal prop[IKE1_MAX_PROPOSALS];
	struct ike1_transform tr[IKE1_MAX_TRANSFORMS];
	struct ike1_bytes body;
};

/*
 * An ID payload (RFC 2407 section 4.6.2). Address types are checked for
 * their length (an IPv4 subnet is 8 bytes: address and mask). body is
 * what RFC 2409 hashes as IDii_b; the encoder ignores it.
 */
struct ike1_pl_id {
	uint8_t type;		/* enum ike1_id_type */
	uint8_t proto;		/* IP protocol, 0 for any */
	uint16_t port;
	struct ike1_bytes data;
	struct ike1_bytes body;
};

/* A CERT or a CERTREQ payload. */
struct ike1_pl_cert {
	uint8_t encoding;
	struct ike1_bytes data;	/* a certificate, or a CA's DN */
};

/*
 * SPI sizes: 0 or 16 (both cookies) for ISAKMP, 4 for AH and ESP, 2 or 4
 * for IPComp, 0 for IKE1_PROTO_NONE (Notify only).
 */
struct ike1_pl_notify {
	uint32_t doi;		/* IKE1_DOI_IPSEC or IKE1_DOI_ISAKMP */
	uint8_t proto;		/* enum ike1_proto */
	uint16_t type;		/* enum ike1_notify */
	struct ike1_bytes spi;	/* its length is the SPI Size field */
	struct ike1_bytes data;
};

struct ike1_pl_delete {
	uint32_t doi;
	uint8_t proto;
	uint8_t spi_size;
	uint16_t n_spi;
	const uint8_t *spis;	/* n_spi * spi_size bytes */
};

/* NAT-OA (RFC 3947 section 5.2): an IPv4 (4 bytes) or IPv6 address. */
struct ike1_pl_natoa {
	uint8_t type;		/* IKE1_ID_IPV4_ADDR or IKE1_ID_IPV6_ADDR */
	struct ike1_bytes addr;
};

/*
 * A decoded message. Every struct ike1_bytes points into the buffer that
 * was decoded (no copies): that buffer must outlive the struct. Payloads
 * that may appear once are valid when ike1_msg_has() says so; those that
 * may repeat are in arrays in the order received (Quick Mode's IDci is
 * id[0], IDcr id[1]).
 *
 * With the E flag set, ike1_msg_decode() leaves the payloads alone: body
 * is everything after the header, to decrypt and hand to
 * ike1_payloads_decode() (hdr.next is the first payload inside).
 *
 * after_hash is what Quick Mode and Informational hashes cover: from the
 * end of the HASH payload to the end of the last payload, generic headers
 * included, padding excluded (RFC 2409 section 5.5).
 */
struct ike1_msg {
	struct ike1_hdr hdr;
	uint32_t seen;		/* bit per payload type decoded */
	struct ike1_bytes body;

	struct ike1_pl_sa sa;
	struct ike1_bytes ke, hash, sig, nonce;
	struct ike1_bytes after_hash;

	uint8_t n_id, n_cert, n_certreq, n_notify, n_delete, n_vendor;
	uint8_t n_natd, n_natoa;
	struct ike1_pl_id id[IKE1_MAX_ID];
	struct ike1_pl_cert cert[IKE1_MAX_CERT];
	struct ike1_pl_cert certreq[IKE1_MAX_CERTREQ];
	struct ike1_pl_notify notify[IKE1_MAX_NOTIFY];
	struct ike1_pl_delete del[IKE1_MAX_DELETE];
	struct ike1_bytes vendor[IKE1_MAX_VENDOR];
	struct ike1_bytes natd[IKE1_MAX_NATD];
	struct ike1_pl_natoa natoa[IKE1_MAX_NATOA];
};

static inline bool ike1_msg_has(const struct ike1_msg *m, uint8_t type)
{
	return type < 32 && (m->seen >> type) & 1;
}

/*
 * Why a message was refused: notify is what RFC 2408 section 5 says to
 * answer with (0 when nothing could be answered: a datagram shorter than
 * a header); off is where, in the buffer decoded (the plaintext, for
 * ike1_payloads_decode()); msg says it in one sentence for the log.
 * INVALID-MAJOR-VERSION is only ever the version byte: the daemon tells
 * an IKEv2 datagram from a broken IKEv1 one by it.
 */
struct ike1_err {
	uint16_t notify;	/* enum ike1_notify */
	size_t off;
	char msg[160];
};

/*
 * Decode a whole datagram (after the non-ESP marker, if any): the header
 * length must be the datagram's, and in the clear no byte may follow the
 * last payload (UNEQUAL-PAYLOAD-LENGTHS). 0 on success; -1 with err
 * filled, and m half-filled, on any error.
 */
int ike1_msg_decode(const uint8_t *buf, size_t len, struct ike1_msg *m,
		    struct ike1_err *err);

/*
 * Decode a decrypted body, first_type being the header's next payload,
 * and add its payloads to m (whose header ike1_msg_decode() filled; the
 * caps count both calls together). Up to IKE1_PAD_MAX bytes of padding
 * may follow the last payload; their value is not checked, since
 * implementations pad with zeros, counts or random bytes alike.
 */
int ike1_payloads_decode(uint8_t first_type, const uint8_t *buf, size_t len,
			 struct ike1_msg *m, struct ike1_err *err);

/* The first attribute of this type, or NULL. */
const struct ike1_attr *ike1_attr_find(const struct ike1_transform *tr,
				       uint16_t type);
/*
 * An attribute's value as a number: TV, or a TLV of 1 to 8 bytes (Life
 * Duration comes either way). 0, or -1 if it does not fit.
 */
int ike1_attr_value(const struct ike1_attr *a, uint64_t *v);
/*
 * Fill a for encoding: TV if v fits in 16 bits, else a 4-byte TLV kept
 * in store, which must live as long as a.
 */
void ike1_attr_number(struct ike1_attr *a, uint16_t type, uint32_t v,
		      uint8_t store[4]);

/*
 * Encoding: append to a growing buffer and look at one flag at the end.
 * A zeroed struct ike1_buf is an empty payload chain (what gets hashed or
 * encrypted; first then tells the header's next payload); ike1_msg_start()
 * on it begins a message instead. Each ike1_put_*() links its payload to
 * the one before. failed is set, and the buffer stops growing, when
 * memory runs out, when it would pass IKE1_MSG_MAX, or when a struct
 * holds what we would refuse to decode (an SPI size the protocol does
 * not allow, a proposal without transforms, more proposals, transforms,
 * attributes or SPIs than the caps above, a basic attribute in TLV form,
 * a nonce out of 8..256 bytes, ...). How many payloads of a kind one
 * message repeats is the caller's to keep under the caps.
 */
struct ike1_buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;
	bool msg;		/* begins with a header */
	size_t last;		/* the last payload's generic header */
	uint8_t first;		/* type of the first payload appended */
};

/* Free the bytes and zero b, ready for another message. */
void ike1_buf_free(struct ike1_buf *b);

/*
 * The header as the 28 bytes it travels as: every field of h as it is,
 * but version, which is ours. For an encrypted message, h->next is the
 * plaintext chain's first and h->len counts the ciphertext.
 */
void ike1_hdr_encode(const struct ike1_hdr *h, uint8_t out[IKE1_HDR_LEN]);
/* Begin a message with h; next and len are set as payloads follow. */
void ike1_msg_start(struct ike1_buf *b, const struct ike1_hdr *h);
/* Set the header's length: 0, or -1 if failed (or no message). */
int ike1_msg_finish(struct ike1_buf *b);

/* The SA payload, its proposals and transforms; sa->body is ignored. */
void ike1_put_sa(struct ike1_buf *b, const struct ike1_pl_sa *sa);
/* A payload that is only bytes: KE, HASH, SIG, NONCE, VENDOR, NAT_D. */
void ike1_put_bytes(struct ike1_buf *b, uint8_t type,
		    const struct ike1_bytes *data);
void ike1_put_id(struct ike1_buf *b, const struct ike1_pl_id *id);
/* type is IKE1_PL_CERT or IKE1_PL_CERTREQ. */
void ike1_put_cert(struct ike1_buf *b, uint8_t type,
		   const struct ike1_pl_cert *cert);
void ike1_put_notify(struct ike1_buf *b, const struct ike1_pl_notify *n);
void ike1_put_delete(struct ike1_buf *b, const struct ike1_pl_delete *d);
void ike1_put_natoa(struct ike1_buf *b, const struct ike1_pl_natoa *oa);
/*
 * Append a chain built apart (say the payloads a Quick Mode HASH covers,
 * after the HASH payload itself).
 */
void ike1_put_chain(struct ike1_buf *b, const struct ike1_buf *chain);
/*
 * The body of the payload appended last (what RFC 2409 hashes as SAi_b
 * or IDii_b); empty if there is none or b failed.
 */
struct ike1_bytes ike1_last_body(const struct ike1_buf *b);

/*
 * Names for logs and diagnostics, spelled as the RFCs do
 * ("NO-PROPOSAL-CHOSEN", "Life Duration"); NULL when unknown. An
 * attribute's meaning depends on the proposal's protocol: ISAKMP's are
 * Phase 1 attributes (RFC 2409), the others IPsec DOI ones (RFC 2407).
 * Defined in v1/names.c.
 */
const char *ike1_exchange_name(unsigned int v);
const char *ike1_payload_name(unsigned int v);
const char *ike1_notify_name(unsigned int v);
const char *ike1_proto_name(unsigned int v);
const char *ike1_id_type_name(unsigned int v);
const char *ike1_transform_name(unsigned int proto, unsigned int id);
const char *ike1_attr_name(unsigned int proto, unsigned int type);
const char *ike1_attr_value_name(unsigned int proto, unsigned int type,
				 unsigned int v);

#endif /* KIPSEC_IKE_V1_MSG_H */
