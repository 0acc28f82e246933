// SPDX-License-Identifier: GPL-2.0
/*
 * Names of IKEv1 numbers for logs and diagnostics, spelled as the RFCs
 * and IANA's "Internet Key Exchange (IKE) Attributes" and "ISAKMP"
 * registries do. As on the IKEv2 side, the tables also list values we do
 * not implement: "Blowfish-CBC" explains a NO-PROPOSAL-CHOSEN better than
 * "3". Each table ends with a NULL name.
 */
#include "msg.h"

struct name {
	unsigned int v;
	const char *s;
};

static const char *find(const struct name *t, unsigned int v)
{
	for (; t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

/* Operators know 2 as Main Mode: RFC 2409's word for RFC 2408's. */
static const struct name exchanges[] = {
	{ IKE1_EXCH_BASE,	"Base" },
	{ IKE1_EXCH_MAIN,	"Main Mode" },
	{ IKE1_EXCH_AUTH_ONLY,	"Authentication Only" },
	{ IKE1_EXCH_AGGRESSIVE,	"Aggressive Mode" },
	{ IKE1_EXCH_INFO,	"Informational" },
	{ 6,			"Transaction" },	/* Mode Config draft */
	{ IKE1_EXCH_QUICK,	"Quick Mode" },
	{ IKE1_EXCH_NEW_GROUP,	"New Group Mode" },
	{ 0, NULL },
};

static const struct name payloads[] = {
	{ IKE1_PL_NONE,		"None" },
	{ IKE1_PL_SA,		"Security Association" },
	{ IKE1_PL_PROPOSAL,	"Proposal" },
	{ IKE1_PL_TRANSFORM,	"Transform" },
	{ IKE1_PL_KE,		"Key Exchange" },
	{ IKE1_PL_ID,		"Identification" },
	{ IKE1_PL_CERT,		"Certificate" },
	{ IKE1_PL_CERTREQ,	"Certificate Request" },
	{ IKE1_PL_HASH,		"Hash" },
	{ IKE1_PL_SIG,		"Signature" },
	{ IKE1_PL_NONCE,	"Nonce" },
	{ IKE1_PL_NOTIFY,	"Notification" },
	{ IKE1_PL_DELETE,	"Delete" },
	{ IKE1_PL_VENDOR,	"Vendor ID" },
	{ 14,			"Attribute" },		/* Mode Config draft */
	{ IKE1_PL_NAT_D,	"NAT-D" },
	{ IKE1_PL_NAT_OA,	"NAT-OA" },
	{ 130,			"NAT-D (draft)" },	/* pre-RFC 3947 */
	{ 131,			"NAT-OA (draft)" },
	{ 0, NULL },
};

static const struct name notifies[] = {
	{ IKE1_N_INVALID_PAYLOAD_TYPE,	"INVALID-PAYLOAD-TYPE" },
	{ IKE1_N_DOI_NOT_SUPPORTED,	"DOI-NOT-SUPPORTED" },
	{ IKE1_N_SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED" },
	{ IKE1_N_INVALID_COOKIE,	"INVALID-COOKIE" },
	{ IKE1_N_INVALID_MAJOR_VERSION,	"INVALID-MAJOR-VERSION" },
	{ IKE1_N_INVALID_MINOR_VERSION,	"INVALID-MINOR-VERSION" },
	{ IKE1_N_INVALID_EXCHANGE_TYPE,	"INVALID-EXCHANGE-TYPE" },
	{ IKE1_N_INVALID_FLAGS,		"INVALID-FLAGS" },
	{ IKE1_N_INVALID_MESSAGE_ID,	"INVALID-MESSAGE-ID" },
	{ IKE1_N_INVALID_PROTOCOL_ID,	"INVALID-PROTOCOL-ID" },
	{ IKE1_N_INVALID_SPI,		"INVALID-SPI" },
	{ IKE1_N_INVALID_TRANSFORM_ID,	"INVALID-TRANSFORM-ID" },
	{ IKE1_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED" },
	{ IKE1_N_NO_PROPOSAL_CHOSEN,	"NO-PROPOSAL-CHOSEN" },
	{ IKE1_N_BAD_PROPOSAL_SYNTAX,	"BAD-PROPOSAL-SYNTAX" },
	{ IKE1_N_PAYLOAD_MALFORMED,	"PAYLOAD-MALFORMED" },
	{ IKE1_N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION" },
	{ IKE1_N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION" },
	{ IKE1_N_INVALID_CERT_ENCODING,	"INVALID-CERT-ENCODING" },
	{ IKE1_N_INVALID_CERTIFICATE,	"INVALID-CERTIFICATE" },
	{ IKE1_N_CERT_TYPE_UNSUPPORTED,	"CERT-TYPE-UNSUPPORTED" },
	{ IKE1_N_INVALID_CERT_AUTHORITY, "INVALID-CERT-AUTHORITY" },
	{ IKE1_N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION" },
	{ IKE1_N_AUTHENTICATION_FAILED,	"AUTHENTICATION-FAILED" },
	{ IKE1_N_INVALID_SIGNATURE,	"INVALID-SIGNATURE" },
	{ IKE1_N_ADDRESS_NOTIFICATION,	"ADDRESS-NOTIFICATION" },
	{ IKE1_N_NOTIFY_SA_LIFETIME,	"NOTIFY-SA-LIFETIME" },
	{ IKE1_N_CERTIFICATE_UNAVAILABLE, "CERTIFICATE-UNAVAILABLE" },
	{ IKE1_N_UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED-EXCHANGE-TYPE" },
	{ IKE1_N_UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL-PAYLOAD-LENGTHS" },
	{ IKE1_N_CONNECTED,		"CONNECTED" },
	{ IKE1_N_RESPONDER_LIFETIME,	"RESPONDER-LIFETIME" },
	{ IKE1_N_REPLAY_STATUS,		"REPLAY-STATUS" },
	{ IKE1_N_INITIAL_CONTACT,	"INITIAL-CONTACT" },
	{ IKE1_N_R_U_THERE,		"R-U-THERE" },
	{ IKE1_N_R_U_THERE_ACK,		"R-U-THERE-ACK" },
	{ 0, NULL },
};

static const struct name protos[] = {
	{ IKE1_PROTO_ISAKMP,	"PROTO_ISAKMP" },
	{ IKE1_PROTO_AH,	"PROTO_IPSEC_AH" },
	{ IKE1_PROTO_ESP,	"PROTO_IPSEC_ESP" },
	{ IKE1_PROTO_IPCOMP,	"PROTO_IPCOMP" },
	{ 0, NULL },
};

static const struct name id_types[] = {
	{ IKE1_ID_IPV4_ADDR,		"ID_IPV4_ADDR" },
	{ IKE1_ID_FQDN,			"ID_FQDN" },
	{ IKE1_ID_USER_FQDN,		"ID_USER_FQDN" },
	{ IKE1_ID_IPV4_ADDR_SUBNET,	"ID_IPV4_ADDR_SUBNET" },
	{ IKE1_ID_IPV6_ADDR,		"ID_IPV6_ADDR" },
	{ IKE1_ID_IPV6_ADDR_SUBNET,	"ID_IPV6_ADDR_SUBNET" },
	{ IKE1_ID_IPV4_ADDR_RANGE,	"ID_IPV4_ADDR_RANGE" },
	{ IKE1_ID_IPV6_ADDR_RANGE,	"ID_IPV6_ADDR_RANGE" },
	{ IKE1_ID_DER_ASN1_DN,		"ID_DER_ASN1_DN" },
	{ IKE1_ID_DER_ASN1_GN,		"ID_DER_ASN1_GN" },
	{ IKE1_ID_KEY_ID,		"ID_KEY_ID" },
	{ 0, NULL },
};

static const struct name isakmp_transforms[] = {
	{ IKE1_KEY_IKE,		"KEY_IKE" },
	{ 0, NULL },
};

static const struct name ah_transforms[] = {
	{ IKE1_AH_MD5,		"AH_MD5" },
	{ IKE1_AH_SHA,		"AH_SHA" },
	{ 4,			"AH_DES" },
	{ IKE1_AH_SHA2_256,	"AH_SHA2-256" },
	{ IKE1_AH_SHA2_384,	"AH_SHA2-384" },
	{ IKE1_AH_SHA2_512,	"AH_SHA2-512" },
	{ 0, NULL },
};

static const struct name esp_transforms[] = {
	{ 1,				"ESP_DES_IV64" },
	{ IKE1_ESP_DES,			"ESP_DES" },
	{ IKE1_ESP_3DES,		"ESP_3DES" },
	{ 4,				"ESP_RC5" },
	{ 5,				"ESP_IDEA" },
	{ 6,				"ESP_CAST" },
	{ 7,				"ESP_BLOWFISH" },
	{ 9,				"ESP_DES_IV32" },
	{ IKE1_ESP_NULL,		"ESP_NULL" },
	{ IKE1_ESP_AES_CBC,		"ESP_AES-CBC" },
	{ IKE1_ESP_AES_CTR,		"ESP_AES-CTR" },
	{ IKE1_ESP_AES_CCM_8,		"ESP_AES-CCM_8" },
	{ IKE1_ESP_AES_CCM_12,		"ESP_AES-CCM_12" },
	{ IKE1_ESP_AES_CCM_16,		"ESP_AES-CCM_16" },
	{ IKE1_ESP_AES_GCM_8,		"ESP_AES-GCM_8" },
	{ IKE1_ESP_AES_GCM_12,		"ESP_AES-GCM_12" },
	{ IKE1_ESP_AES_GCM_16,		"ESP_AES-GCM_16" },
	{ 22,				"ESP_CAMELLIA" },
	{ IKE1_ESP_NULL_AUTH_AES_GMAC,	"ESP_NULL_AUTH_AES-GMAC" },
	{ 0, NULL },
};

static const struct name ipcomp_transforms[] = {
	{ 1,	"IPCOMP_OUI" },
	{ 2,	"IPCOMP_DEFLATE" },
	{ 3,	"IPCOMP_LZS" },
	{ 4,	"IPCOMP_LZJH" },
	{ 0, NULL },
};

/* RFC 2409 appendix A. */
static const struct name p1_attrs[] = {
	{ IKE1_P1_ENCR,			"Encryption Algorithm" },
	{ IKE1_P1_HASH,			"Hash Algorithm" },
	{ IKE1_P1_AUTH_METHOD,		"Authentication Method" },
	{ IKE1_P1_GROUP_DESC,		"Group Description" },
	{ IKE1_P1_GROUP_TYPE,		"Group Type" },
	{ IKE1_P1_GROUP_PRIME,		"Group Prime/Irreducible Polynomial" },
	{ IKE1_P1_GROUP_GEN_ONE,	"Group Generator One" },
	{ IKE1_P1_GROUP_GEN_TWO,	"Group Generator Two" },
	{ IKE1_P1_GROUP_CURVE_A,	"Group Curve A" },
	{ IKE1_P1_GROUP_CURVE_B,	"Group Curve B" },
	{ IKE1_P1_LIFE_TYPE,		"Life Type" },
	{ IKE1_P1_LIFE_DURATION,	"Life Duration" },
	{ IKE1_P1_PRF,			"PRF" },
	{ IKE1_P1_KEY_LENGTH,		"Key Length" },
	{ IKE1_P1_FIELD_SIZE,		"Field Size" },
	{ IKE1_P1_GROUP_ORDER,		"Group Order" },
	{ 0, NULL },
};

/* RFC 2407 section 4.5, RFC 3168, RFC 4304. */
static const struct name p2_attrs[] = {
	{ IKE1_P2_LIFE_TYPE,		"SA Life Type" },
	{ IKE1_P2_LIFE_DURATION,	"SA Life Duration" },
	{ IKE1_P2_GROUP_DESC,		"Group Description" },
	{ IKE1_P2_ENCAP_MODE,		"Encapsulation Mode" },
	{ IKE1_P2_AUTH_ALG,		"Authentication Algorithm" },
	{ IKE1_P2_KEY_LENGTH,		"Key Length" },
	{ IKE1_P2_KEY_ROUNDS,		"Key Rounds" },
	{ IKE1_P2_COMP_DICT_SIZE,	"Compress Dictionary Size" },
	{ IKE1_P2_COMP_PRIV_ALG,	"Compress Private Algorithm" },
	{ IKE1_P2_ECN_TUNNEL,		"ECN Tunnel" },
	{ IKE1_P2_ESN,			"Extended (64-bit) Sequence Number" },
	{ 0, NULL },
};

static const struct name encrs[] = {
	{ IKE1_ENCR_DES_CBC,	"DES-CBC" },
	{ 2,			"IDEA-CBC" },
	{ 3,			"Blowfish-CBC" },
	{ 4,			"RC5-R16-B64-CBC" },
	{ IKE1_ENCR_3DES_CBC,	"3DES-CBC" },
	{ 6,			"CAST-CBC" },
	{ IKE1_ENCR_AES_CBC,	"AES-CBC" },
	{ 8,			"CAMELLIA-CBC" },
	{ 0, NULL },
};

static const struct name hashes[] = {
	{ IKE1_HASH_MD5,	"MD5" },
	{ IKE1_HASH_SHA1,	"SHA" },
	{ 3,			"Tiger" },
	{ IKE1_HASH_SHA2_256,	"SHA2-256" },
	{ IKE1_HASH_SHA2_384,	"SHA2-384" },
	{ IKE1_HASH_SHA2_512,	"SHA2-512" },
	{ 0, NULL },
};

static const struct name auth_methods[] = {
	{ IKE1_AUTH_PSK,		"pre-shared key" },
	{ IKE1_AUTH_DSS_SIG,		"DSS signatures" },
	{ IKE1_AUTH_RSA_SIG,		"RSA signatures" },
	{ IKE1_AUTH_RSA_ENC,		"Encryption with RSA" },
	{ IKE1_AUTH_RSA_REV_ENC,	"Revised encryption with RSA" },
	{ IKE1_AUTH_ECDSA_SHA256,	"ECDSA with SHA-256 on the P-256 curve" },
	{ IKE1_AUTH_ECDSA_SHA384,	"ECDSA with SHA-384 on the P-384 curve" },
	{ IKE1_AUTH_ECDSA_SHA512,	"ECDSA with SHA-512 on the P-521 curve" },
	{ 0, NULL },
};

/* Both phases' Group Description; the numbers are IKEv2's too. */
static const struct name groups[] = {
	{ 1,	"MODP_768" },
	{ 2,	"MODP_1024" },
	{ 3,	"EC2N_155" },
	{ 4,	"EC2N_185" },
	{ 5,	"MODP_1536" },
	{ 14,	"MODP_2048" },
	{ 15,	"MODP_3072" },
	{ 16,	"MODP_4096" },
	{ 17,	"MODP_6144" },
	{ 18,	"MODP_8192" },
	{ 19,	"ECP_256" },
	{ 20,	"ECP_384" },
	{ 21,	"ECP_521" },
	{ 22,	"MODP_1024_160" },
	{ 23,	"MODP_2048_224" },
	{ 24,	"MODP_2048_256" },
	{ 25,	"ECP_192" },
	{ 26,	"ECP_224" },
	{ 27,	"ECP_224_BP" },
	{ 28,	"ECP_256_BP" },
	{ 29,	"ECP_384_BP" },
	{ 30,	"ECP_512_BP" },
	{ 31,	"CURVE25519" },
	{ 32,	"CURVE448" },
	{ 0, NULL },
};

static const struct name life_types[] = {
	{ IKE1_LIFE_SECONDS,	"seconds" },
	{ IKE1_LIFE_KILOBYTES,	"kilobytes" },
	{ 0, NULL },
};

/* RFC 3947 section 5.1; the drafts' 61443/61444 still show up. */
static const struct name encap_modes[] = {
	{ IKE1_ENCAP_TUNNEL,		"Tunnel" },
	{ IKE1_ENCAP_TRANSPORT,		"Transport" },
	{ IKE1_ENCAP_UDP_TUNNEL,	"UDP-Encapsulated-Tunnel" },
	{ IKE1_ENCAP_UDP_TRANSPORT,	"UDP-Encapsulated-Transport" },
	{ 61443,			"UDP-Encapsulated-Tunnel (draft)" },
	{ 61444,			"UDP-Encapsulated-Transport (draft)" },
	{ 0, NULL },
};

static const struct name auth_algs[] = {
	{ IKE1_AUTH_HMAC_MD5,		"HMAC-MD5" },
	{ IKE1_AUTH_HMAC_SHA1,		"HMAC-SHA" },
	{ 3,				"DES-MAC" },
	{ 4,				"KPDK" },
	{ IKE1_AUTH_HMAC_SHA2_256,	"HMAC-SHA2-256" },
	{ IKE1_AUTH_HMAC_SHA2_384,	"HMAC-SHA2-384" },
	{ IKE1_AUTH_HMAC_SHA2_512,	"HMAC-SHA2-512" },
	{ 8,				"HMAC-RIPEMD" },
	{ IKE1_AUTH_AES_XCBC_MAC,	"AES-XCBC-MAC" },
	{ 10,				"SIG-RSA" },
	{ 11,				"AES-128-GMAC" },
	{ 12,				"AES-192-GMAC" },
	{ 13,				"AES-256-GMAC" },
	{ 0, NULL },
};

const char *ike1_exchange_name(unsigned int v)
{
	return find(exchanges, v);
}

const char *ike1_payload_name(unsigned int v)
{
	return find(payloads, v);
}

const char *ike1_notify_name(unsigned int v)
{
	return find(notifies, v);
}

const char *ike1_proto_name(unsigned int v)
{
	return find(protos, v);
}

const char *ike1_id_type_name(unsigned int v)
{
	return find(id_types, v);
}

const char *ike1_transform_name(unsigned int proto, unsigned int id)
{
	switch (proto) {
	case IKE1_PROTO_ISAKMP:
		return find(isakmp_transforms, id);
	case IKE1_PROTO_AH:
		return find(ah_transforms, id);
	case IKE1_PROTO_ESP:
		return find(esp_transforms, id);
	case IKE1_PROTO_IPCOMP:
		return find(ipcomp_transforms, id);
	}
	return NULL;
}

const char *ike1_attr_name(unsigned int proto, unsigned int type)
{
	return find(proto == IKE1_PROTO_ISAKMP ? p1_attrs : p2_attrs, type);
}

static const struct name *p1_values(unsigned int type)
{
	switch (type) {
	case IKE1_P1_ENCR:
		return encrs;
	case IKE1_P1_HASH:
		return hashes;
	case IKE1_P1_AUTH_METHOD:
		return auth_methods;
	case IKE1_P1_GROUP_DESC:
		return groups;
	case IKE1_P1_LIFE_TYPE:
		return life_types;
	}
	return NULL;
}

static const struct name *p2_values(unsigned int type)
{
	switch (type) {
	case IKE1_P2_LIFE_TYPE:
		return life_types;
	case IKE1_P2_GROUP_DESC:
		return groups;
	case IKE1_P2_ENCAP_MODE:
		return encap_modes;
	case IKE1_P2_AUTH_ALG:
		return auth_algs;
	}
	return NULL;
}

const char *ike1_attr_value_name(unsigned int proto, unsigned int type,
				 unsigned int v)
{
	const struct name *t = proto == IKE1_PROTO_ISAKMP ? p1_values(type) :
							    p2_values(type);

	return t ? find(t, v) : NULL;
}
