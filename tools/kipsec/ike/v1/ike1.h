/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 numbers that both the codec (msg.h) and the key derivation
 * (keys.h) speak: cookie length, protocol IDs, and the Phase 1
 * encryption and hash attribute values.
 */
#ifndef KIPSEC_IKE_V1_IKE1_H
#define KIPSEC_IKE_V1_IKE1_H

#define IKE1_COOKIE_LEN		8	/* CKY-I, CKY-R */

/* Protocol IDs (RFC 2407 section 4.4.1). */
enum ike1_proto {
	IKE1_PROTO_NONE		= 0,	/* a Notify about no SA */
	IKE1_PROTO_ISAKMP	= 1,
	IKE1_PROTO_AH		= 2,
	IKE1_PROTO_ESP		= 3,
	IKE1_PROTO_IPCOMP	= 4,
};

/* The Encryption Algorithm attribute (RFC 2409 appendix A). */
enum ike1_encr {
	IKE1_ENCR_DES_CBC	= 1,
	IKE1_ENCR_3DES_CBC	= 5,
	IKE1_ENCR_AES_CBC	= 7,	/* RFC 3602 */
};

/* The Hash Algorithm attribute (RFC 2409 appendix A, RFC 4868). */
enum ike1_hash {
	IKE1_HASH_MD5		= 1,
	IKE1_HASH_SHA1		= 2,
	IKE1_HASH_SHA2_256	= 4,
	IKE1_HASH_SHA2_384	= 5,
	IKE1_HASH_SHA2_512	= 6,
};

#endif
