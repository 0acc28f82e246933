/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv2 (RFC 7296) numbers from the IANA "Internet Key Exchange Version 2
 * (IKEv2) Parameters" registry. Only numbers here: every part of the key
 * manager (messages, crypto, configuration) shares them.
 */
#ifndef KIPSEC_IKE_H
#define KIPSEC_IKE_H

#include <stddef.h>
#include <stdint.h>

#define IKE_PORT		500
#define IKE_NATT_PORT		4500
#define IKE_HDR_LEN		28
#define IKE_VERSION		0x20	/* major 2, minor 0 */
#define IKE_MSG_MAX		65535	/* the header's length is 32 bits; we cap */

/* Header flags (RFC 7296 section 3.1). */
#define IKE_FLAG_INITIATOR	0x08
#define IKE_FLAG_VERSION	0x10
#define IKE_FLAG_RESPONSE	0x20

/* Exchange types. */
enum ike_exchange {
	IKE_SA_INIT		= 34,
	IKE_AUTH		= 35,
	IKE_CREATE_CHILD_SA	= 36,
	IKE_INFORMATIONAL	= 37,
};

/* Next payload types. */
enum ike_payload_type {
	IKE_PL_NONE	= 0,
	IKE_PL_SA	= 33,
	IKE_PL_KE	= 34,
	IKE_PL_IDI	= 35,
	IKE_PL_IDR	= 36,
	IKE_PL_CERT	= 37,
	IKE_PL_CERTREQ	= 38,
	IKE_PL_AUTH	= 39,
	IKE_PL_NONCE	= 40,
	IKE_PL_NOTIFY	= 41,
	IKE_PL_DELETE	= 42,
	IKE_PL_VENDOR	= 43,
	IKE_PL_TSI	= 44,
	IKE_PL_TSR	= 45,
	IKE_PL_SK	= 46,
	IKE_PL_CP	= 47,
	IKE_PL_EAP	= 48,
	IKE_PL_SKF	= 53,	/* RFC 7383 fragment */
};

/* Protocol IDs (SA proposals, notify, delete). */
enum ike_proto {
	IKE_PROTO_NONE	= 0,
	IKE_PROTO_IKE	= 1,
	IKE_PROTO_AH	= 2,
	IKE_PROTO_ESP	= 3,
};

/* Transform types. */
enum ike_transform_type {
	IKE_TR_ENCR	= 1,
	IKE_TR_PRF	= 2,
	IKE_TR_INTEG	= 3,
	IKE_TR_KE	= 4,	/* "Diffie-Hellman group" before RFC 9370 */
	IKE_TR_ESN	= 5,
};

/* Transform attribute: the only one defined, TV format (AF bit set). */
#define IKE_ATTR_KEY_LENGTH	14

/* Transform type 1: encryption. */
enum ike_encr {
	IKE_ENCR_DES		= 2,
	IKE_ENCR_3DES		= 3,
	IKE_ENCR_NULL		= 11,
	IKE_ENCR_AES_CBC	= 12,
	IKE_ENCR_AES_CTR	= 13,
	IKE_ENCR_AES_CCM_8	= 14,
	IKE_ENCR_AES_CCM_12	= 15,
	IKE_ENCR_AES_CCM_16	= 16,
	IKE_ENCR_AES_GCM_8	= 18,
	IKE_ENCR_AES_GCM_12	= 19,
	IKE_ENCR_AES_GCM_16	= 20,
	IKE_ENCR_NULL_AES_GMAC	= 21,
	IKE_ENCR_CHACHA20_POLY1305 = 28,
};

/* Transform type 2: pseudorandom function. */
enum ike_prf_id {
	IKE_PRF_HMAC_MD5	= 1,
	IKE_PRF_HMAC_SHA1	= 2,
	IKE_PRF_AES128_XCBC	= 4,
	IKE_PRF_HMAC_SHA2_256	= 5,
	IKE_PRF_HMAC_SHA2_384	= 6,
	IKE_PRF_HMAC_SHA2_512	= 7,
	IKE_PRF_AES128_CMAC	= 8,
};

/* Transform type 3: integrity. */
enum ike_integ {
	IKE_INTEG_NONE		= 0,
	IKE_INTEG_HMAC_MD5_96	= 1,
	IKE_INTEG_HMAC_SHA1_96	= 2,
	IKE_INTEG_AES_XCBC_96	= 5,
	IKE_INTEG_AES_CMAC_96	= 8,
	IKE_INTEG_AES_128_GMAC	= 9,
	IKE_INTEG_AES_192_GMAC	= 10,
	IKE_INTEG_AES_256_GMAC	= 11,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform type 4: key exchange method. */
enum ike_ke {
	IKE_KE_NONE		= 0,
	IKE_KE_MODP768		= 1,
	IKE_KE_MODP1024		= 2,
	IKE_KE_MODP1536		= 5,
	IKE_KE_MODP2048		= 14,
	IKE_KE_MODP3072		= 15,
	IKE_KE_MODP4096		= 16,
	IKE_KE_MODP6144		= 17,
	IKE_KE_MODP8192		= 18,
	IKE_KE_ECP256		= 19,
	IKE_KE_ECP384		= 20,
	IKE_KE_ECP521		= 21,
	IKE_KE_CURVE25519	= 31,
	IKE_KE_CURVE448		= 32,
};

/* Transform type 5: extended sequence numbers. */
enum ike_esn {
	IKE_ESN_NO	= 0,
	IKE_ESN_YES	= 1,
};

/* Authentication methods (AUTH payload). */
enum ike_auth_method {
	IKE_AUTH_RSA_SIG	= 1,
	IKE_AUTH_PSK		= 2,
	IKE_AUTH_DSS_SIG	= 3,
	IKE_AUTH_ECDSA_256	= 9,
	IKE_AUTH_ECDSA_384	= 10,
	IKE_AUTH_ECDSA_521	= 11,
	IKE_AUTH_DIGITAL_SIG	= 14,	/* RFC 7427 */
};

/* Identification types. */
enum ike_id_type {
	IKE_ID_IPV4_ADDR	= 1,
	IKE_ID_FQDN		= 2,
	IKE_ID_RFC822_ADDR	= 3,
	IKE_ID_IPV6_ADDR	= 5,
	IKE_ID_DER_ASN1_DN	= 9,
	IKE_ID_DER_ASN1_GN	= 10,
	IKE_ID_KEY_ID		= 11,
};

/* Certificate encodings. */
enum ike_cert_encoding {
	IKE_CERT_X509_SIG	= 4,
};

/* Traffic selector types. */
enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE	= 7,
	IKE_TS_IPV6_ADDR_RANGE	= 8,
};

/* Notify message types: errors below 16384, status from 16384. */
enum ike_notify {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI		= 4,
	IKE_N_INVALID_MAJOR_VERSION	= 5,
	IKE_N_INVALID_SYNTAX		= 7,
	IKE_N_INVALID_MESSAGE_ID	= 9,
	IKE_N_INVALID_SPI		= 11,
	IKE_N_NO_PROPOSAL_CHOSEN	= 14,
	IKE_N_INVALID_KE_PAYLOAD	= 17,
	IKE_N_AUTHENTICATION_FAILED	= 24,
	IKE_N_SINGLE_PAIR_REQUIRED	= 34,
	IKE_N_NO_ADDITIONAL_SAS		= 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE	= 36,
	IKE_N_FAILED_CP_REQUIRED	= 37,
	IKE_N_TS_UNACCEPTABLE		= 38,
	IKE_N_INVALID_SELECTORS		= 39,
	IKE_N_TEMPORARY_FAILURE		= 43,
	IKE_N_CHILD_SA_NOT_FOUND	= 44,

	IKE_N_INITIAL_CONTACT		= 16384,
	IKE_N_SET_WINDOW_SIZE		= 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE	= 16386,
	IKE_N_IPCOMP_SUPPORTED		= 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP	= 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE			= 16390,
	IKE_N_USE_TRANSPORT_MODE	= 16391,
	IKE_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKE_N_REKEY_SA			= 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO	= 16395,
	IKE_N_MOBIKE_SUPPORTED		= 16396,
	IKE_N_MULTIPLE_AUTH_SUPPORTED	= 16404,
	IKE_N_REDIRECT_SUPPORTED	= 16406,
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKE_N_SIGNATURE_HASH_ALGORITHMS	= 16431,
};

/* Hash algorithms for RFC 7427 (SIGNATURE_HASH_ALGORITHMS). */
enum ike_hash {
	IKE_HASH_SHA1		= 1,
	IKE_HASH_SHA2_256	= 2,
	IKE_HASH_SHA2_384	= 3,
	IKE_HASH_SHA2_512	= 4,
	IKE_HASH_IDENTITY	= 5,
};

/*
 * Shared shapes. A proposal as it travels in an SA payload and as the
 * configuration spells it ("aes128gcm16-ecp256" is one proposal with two
 * transforms). keylen is in bits, 0 when the transform has no Key Length
 * attribute.
 */
#define IKE_MAX_TRANSFORMS	32
#define IKE_SPI_MAX		8

struct ike_transform {
	uint8_t type;		/* enum ike_transform_type */
	uint16_t id;
	uint16_t keylen;
};

struct ike_proposal {
	uint8_t num;		/* proposal number, from 1 */
	uint8_t proto;		/* enum ike_proto */
	uint8_t spi_len;	/* 0, 4 (AH/ESP) or 8 (IKE rekey) */
	uint8_t spi[IKE_SPI_MAX];
	uint8_t n_tr;
	struct ike_transform tr[IKE_MAX_TRANSFORMS];
};

/* One traffic selector (RFC 7296 section 3.13.1); addresses and ports
 * are inclusive ranges, addresses in network byte order (4 bytes used for
 * IPv4), ports in host order. ip_proto 0 means any.
 */
struct ike_ts {
	uint8_t type;		/* enum ike_ts_type */
	uint8_t ip_proto;
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];
	uint8_t end[16];
};

/* Names for logs and diagnostics, as IANA spells them
 * ("ENCR_AES_GCM_16", "NO_PROPOSAL_CHOSEN"); NULL when unknown.
 * Defined in names.c.
 */
const char *ike_exchange_name(unsigned int v);
const char *ike_payload_name(unsigned int v);
const char *ike_notify_name(unsigned int v);
/* Its name, or "notify N" for a type without one. */
const char *ike_notify_format(uint16_t type, char *buf, size_t size);
const char *ike_transform_type_name(unsigned int v);
const char *ike_transform_name(unsigned int type, unsigned int id);

#endif /* KIPSEC_IKE_H */
