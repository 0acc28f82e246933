// SPDX-License-Identifier: GPL-2.0
/*
 * Names of IKEv2 numbers for logs and diagnostics, one table per IANA
 * registry, spelled as the registry does. The tables also list values the
 * key manager does not implement: a log that says "ENCR_CAMELLIA_CBC"
 * explains a NO_PROPOSAL_CHOSEN better than "23".
 */
#include "../kipsec.h"
#include "ike.h"

struct ike_name {
	unsigned int v;
	const char *s;
};

static const char *lookup(const struct ike_name *t, size_t n, unsigned int v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	return NULL;
}

static const struct ike_name exchange_names[] = {
	{ IKE_SA_INIT,		"IKE_SA_INIT" },
	{ IKE_AUTH,		"IKE_AUTH" },
	{ IKE_CREATE_CHILD_SA,	"CREATE_CHILD_SA" },
	{ IKE_INFORMATIONAL,	"INFORMATIONAL" },
	{ 38,			"IKE_SESSION_RESUME" },	/* RFC 5723 */
	{ 43,			"IKE_INTERMEDIATE" },	/* RFC 9242 */
	{ 44,			"IKE_FOLLOWUP_KE" },	/* RFC 9370 */
};

/* The registry's "Next Payload Type" column, not its short notation. */
static const struct ike_name payload_names[] = {
	{ IKE_PL_NONE,		"No Next Payload" },
	{ IKE_PL_SA,		"Security Association" },
	{ IKE_PL_KE,		"Key Exchange" },
	{ IKE_PL_IDI,		"Identification - Initiator" },
	{ IKE_PL_IDR,		"Identification - Responder" },
	{ IKE_PL_CERT,		"Certificate" },
	{ IKE_PL_CERTREQ,	"Certificate Request" },
	{ IKE_PL_AUTH,		"Authentication" },
	{ IKE_PL_NONCE,		"Nonce" },
	{ IKE_PL_NOTIFY,	"Notify" },
	{ IKE_PL_DELETE,	"Delete" },
	{ IKE_PL_VENDOR,	"Vendor ID" },
	{ IKE_PL_TSI,		"Traffic Selector - Initiator" },
	{ IKE_PL_TSR,		"Traffic Selector - Responder" },
	{ IKE_PL_SK,		"Encrypted and Authenticated" },
	{ IKE_PL_CP,		"Configuration" },
	{ IKE_PL_EAP,		"Extensible Authentication" },
	{ IKE_PL_SKF,		"Encrypted and Authenticated Fragment" },
};

static const struct ike_name notify_names[] = {
	{ IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD" },
	{ IKE_N_INVALID_IKE_SPI,	"INVALID_IKE_SPI" },
	{ IKE_N_INVALID_MAJOR_VERSION,	"INVALID_MAJOR_VERSION" },
	{ IKE_N_INVALID_SYNTAX,		"INVALID_SYNTAX" },
	{ IKE_N_INVALID_MESSAGE_ID,	"INVALID_MESSAGE_ID" },
	{ IKE_N_INVALID_SPI,		"INVALID_SPI" },
	{ IKE_N_NO_PROPOSAL_CHOSEN,	"NO_PROPOSAL_CHOSEN" },
	{ IKE_N_INVALID_KE_PAYLOAD,	"INVALID_KE_PAYLOAD" },
	{ IKE_N_AUTHENTICATION_FAILED,	"AUTHENTICATION_FAILED" },
	{ IKE_N_SINGLE_PAIR_REQUIRED,	"SINGLE_PAIR_REQUIRED" },
	{ IKE_N_NO_ADDITIONAL_SAS,	"NO_ADDITIONAL_SAS" },
	{ IKE_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE" },
	{ IKE_N_FAILED_CP_REQUIRED,	"FAILED_CP_REQUIRED" },
	{ IKE_N_TS_UNACCEPTABLE,	"TS_UNACCEPTABLE" },
	{ IKE_N_INVALID_SELECTORS,	"INVALID_SELECTORS" },
	/* RFC 4555 */
	{ 40,				"UNACCEPTABLE_ADDRESSES" },
	{ 41,				"UNEXPECTED_NAT_DETECTED" },
	{ IKE_N_TEMPORARY_FAILURE,	"TEMPORARY_FAILURE" },
	{ IKE_N_CHILD_SA_NOT_FOUND,	"CHILD_SA_NOT_FOUND" },
	{ IKE_N_INITIAL_CONTACT,	"INITIAL_CONTACT" },
	{ IKE_N_SET_WINDOW_SIZE,	"SET_WINDOW_SIZE" },
	{ IKE_N_ADDITIONAL_TS_POSSIBLE,	"ADDITIONAL_TS_POSSIBLE" },
	{ IKE_N_IPCOMP_SUPPORTED,	"IPCOMP_SUPPORTED" },
	{ IKE_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP" },
	{ IKE_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP" },
	{ IKE_N_COOKIE,			"COOKIE" },
	{ IKE_N_USE_TRANSPORT_MODE,	"USE_TRANSPORT_MODE" },
	{ IKE_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED" },
	{ IKE_N_REKEY_SA,		"REKEY_SA" },
	{ IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED,
	  "ESP_TFC_PADDING_NOT_SUPPORTED" },
	{ IKE_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO" },
	{ IKE_N_MOBIKE_SUPPORTED,	"MOBIKE_SUPPORTED" },
	/* RFC 4555 */
	{ 16397,			"ADDITIONAL_IP4_ADDRESS" },
	{ 16398,			"ADDITIONAL_IP6_ADDRESS" },
	{ 16399,			"NO_ADDITIONAL_ADDRESSES" },
	{ 16400,			"UPDATE_SA_ADDRESSES" },
	{ 16401,			"COOKIE2" },
	{ 16402,			"NO_NATS_ALLOWED" },
	{ 16403,			"AUTH_LIFETIME" },	/* RFC 4478 */
	{ IKE_N_MULTIPLE_AUTH_SUPPORTED, "MULTIPLE_AUTH_SUPPORTED" },
	{ 16405,			"ANOTHER_AUTH_FOLLOWS" }, /* RFC 4739 */
	{ IKE_N_REDIRECT_SUPPORTED,	"REDIRECT_SUPPORTED" },
	{ 16407,			"REDIRECT" },		/* RFC 5685 */
	{ 16408,			"REDIRECTED_FROM" },
	{ IKE_N_IKEV2_FRAGMENTATION_SUPPORTED,
	  "IKEV2_FRAGMENTATION_SUPPORTED" },
	{ IKE_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS" },
};

/*
 * Types 6 to 12 are RFC 9370's additional key exchanges: they draw their
 * IDs from the same registry as type 4.
 */
#define IKE_TR_ADDKE1	6
#define IKE_TR_ADDKE7	12

static const struct ike_name transform_type_names[] = {
	{ IKE_TR_ENCR,	"ENCR" },
	{ IKE_TR_PRF,	"PRF" },
	{ IKE_TR_INTEG,	"INTEG" },
	{ IKE_TR_KE,	"KE" },
	{ IKE_TR_ESN,	"ESN" },
	{ IKE_TR_ADDKE1, "ADDKE1" },
	{ 7,		"ADDKE2" },
	{ 8,		"ADDKE3" },
	{ 9,		"ADDKE4" },
	{ 10,		"ADDKE5" },
	{ 11,		"ADDKE6" },
	{ IKE_TR_ADDKE7, "ADDKE7" },
};

static const struct ike_name encr_names[] = {
	{ 1,				"ENCR_DES_IV64" },
	{ IKE_ENCR_DES,			"ENCR_DES" },
	{ IKE_ENCR_3DES,		"ENCR_3DES" },
	{ 4,				"ENCR_RC5" },
	{ 5,				"ENCR_IDEA" },
	{ 6,				"ENCR_CAST" },
	{ 7,				"ENCR_BLOWFISH" },
	{ 8,				"ENCR_3IDEA" },
	{ 9,				"ENCR_DES_IV32" },
	{ IKE_ENCR_NULL,		"ENCR_NULL" },
	{ IKE_ENCR_AES_CBC,		"ENCR_AES_CBC" },
	{ IKE_ENCR_AES_CTR,		"ENCR_AES_CTR" },
	{ IKE_ENCR_AES_CCM_8,		"ENCR_AES_CCM_8" },
	{ IKE_ENCR_AES_CCM_12,		"ENCR_AES_CCM_12" },
	{ IKE_ENCR_AES_CCM_16,		"ENCR_AES_CCM_16" },
	{ IKE_ENCR_AES_GCM_8,		"ENCR_AES_GCM_8" },
	{ IKE_ENCR_AES_GCM_12,		"ENCR_AES_GCM_12" },
	{ IKE_ENCR_AES_GCM_16,		"ENCR_AES_GCM_16" },
	{ IKE_ENCR_NULL_AES_GMAC,	"ENCR_NULL_AUTH_AES_GMAC" },
	{ 23,				"ENCR_CAMELLIA_CBC" },
	{ 24,				"ENCR_CAMELLIA_CTR" },
	{ 25,				"ENCR_CAMELLIA_CCM_8" },
	{ 26,				"ENCR_CAMELLIA_CCM_12" },
	{ 27,				"ENCR_CAMELLIA_CCM_16" },
	{ IKE_ENCR_CHACHA20_POLY1305,	"ENCR_CHACHA20_POLY1305" },
};

static const struct ike_name prf_names[] = {
	{ IKE_PRF_HMAC_MD5,		"PRF_HMAC_MD5" },
	{ IKE_PRF_HMAC_SHA1,		"PRF_HMAC_SHA1" },
	{ 3,				"PRF_HMAC_TIGER" },
	{ IKE_PRF_AES128_XCBC,		"PRF_AES128_XCBC" },
	{ IKE_PRF_HMAC_SHA2_256,	"PRF_HMAC_SHA2_256" },
	{ IKE_PRF_HMAC_SHA2_384,	"PRF_HMAC_SHA2_384" },
	{ IKE_PRF_HMAC_SHA2_512,	"PRF_HMAC_SHA2_512" },
	{ IKE_PRF_AES128_CMAC,		"PRF_AES128_CMAC" },
};

static const struct ike_name integ_names[] = {
	{ IKE_INTEG_NONE,		"NONE" },
	{ IKE_INTEG_HMAC_MD5_96,	"AUTH_HMAC_MD5_96" },
	{ IKE_INTEG_HMAC_SHA1_96,	"AUTH_HMAC_SHA1_96" },
	{ 3,				"AUTH_DES_MAC" },
	{ 4,				"AUTH_KPDK_MD5" },
	{ IKE_INTEG_AES_XCBC_96,	"AUTH_AES_XCBC_96" },
	{ 6,				"AUTH_HMAC_MD5_128" },
	{ 7,				"AUTH_HMAC_SHA1_160" },
	{ IKE_INTEG_AES_CMAC_96,	"AUTH_AES_CMAC_96" },
	{ IKE_INTEG_AES_128_GMAC,	"AUTH_AES_128_GMAC" },
	{ IKE_INTEG_AES_192_GMAC,	"AUTH_AES_192_GMAC" },
	{ IKE_INTEG_AES_256_GMAC,	"AUTH_AES_256_GMAC" },
	{ IKE_INTEG_HMAC_SHA2_256_128,	"AUTH_HMAC_SHA2_256_128" },
	{ IKE_INTEG_HMAC_SHA2_384_192,	"AUTH_HMAC_SHA2_384_192" },
	{ IKE_INTEG_HMAC_SHA2_512_256,	"AUTH_HMAC_SHA2_512_256" },
};

/*
 * The registry describes these in prose ("2048-bit MODP Group"); these
 * are the short forms implementations log.
 */
static const struct ike_name ke_names[] = {
	{ IKE_KE_NONE,		"NONE" },
	{ IKE_KE_MODP768,	"MODP_768" },
	{ IKE_KE_MODP1024,	"MODP_1024" },
	{ IKE_KE_MODP1536,	"MODP_1536" },
	{ IKE_KE_MODP2048,	"MODP_2048" },
	{ IKE_KE_MODP3072,	"MODP_3072" },
	{ IKE_KE_MODP4096,	"MODP_4096" },
	{ IKE_KE_MODP6144,	"MODP_6144" },
	{ IKE_KE_MODP8192,	"MODP_8192" },
	{ IKE_KE_ECP256,	"ECP_256" },
	{ IKE_KE_ECP384,	"ECP_384" },
	{ IKE_KE_ECP521,	"ECP_521" },
	{ 22,			"MODP_1024_160" },
	{ 23,			"MODP_2048_224" },
	{ 24,			"MODP_2048_256" },
	{ 25,			"ECP_192" },
	{ 26,			"ECP_224" },
	{ 27,			"ECP_224_BP" },
	{ 28,			"ECP_256_BP" },
	{ 29,			"ECP_384_BP" },
	{ 30,			"ECP_512_BP" },
	{ IKE_KE_CURVE25519,	"CURVE25519" },
	{ IKE_KE_CURVE448,	"CURVE448" },
};

static const struct ike_name esn_names[] = {
	{ IKE_ESN_NO,	"NO_ESN" },
	{ IKE_ESN_YES,	"ESN" },
};

const char *ike_exchange_name(unsigned int v)
{
	return lookup(exchange_names, ARRAY_SIZE(exchange_names), v);
}

const char *ike_payload_name(unsigned int v)
{
	return lookup(payload_names, ARRAY_SIZE(payload_names), v);
}

const char *ike_notify_name(unsigned int v)
{
	return lookup(notify_names, ARRAY_SIZE(notify_names), v);
}

const char *ike_transform_type_name(unsigned int v)
{
	return lookup(transform_type_names, ARRAY_SIZE(transform_type_names),
		      v);
}

const char *ike_transform_name(unsigned int type, unsigned int id)
{
	switch (type) {
	case IKE_TR_ENCR:
		return lookup(encr_names, ARRAY_SIZE(encr_names), id);
	case IKE_TR_PRF:
		return lookup(prf_names, ARRAY_SIZE(prf_names), id);
	case IKE_TR_INTEG:
		return lookup(integ_names, ARRAY_SIZE(integ_names), id);
	case IKE_TR_ESN:
		return lookup(esn_names, ARRAY_SIZE(esn_names), id);
	}
	if (type == IKE_TR_KE ||
	    (type >= IKE_TR_ADDKE1 && type <= IKE_TR_ADDKE7))
		return lookup(ke_names, ARRAY_SIZE(ke_names), id);
	return NULL;
}

const char *ike_notify_format(uint16_t type, char *buf, size_t size)
{
	const char *name = ike_notify_name(type);

	if (name)
		return name;
	snprintf(buf, size, "notify %u", type);
	return buf;
}
