/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE and ESP proposals: strongSwan's proposal strings
 * ("aes128gcm16-prfsha256-ecp256, default") to struct ike_proposal, back
 * to text for logs, and the choice among the peer's offers (RFC 7296
 * sections 2.7 and 3.3.6) with the reason when there is none.
 */
#ifndef KIPSEC_IKE_PROPOSAL_H
#define KIPSEC_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike.h"

/*
 * What "default" stands for, as strongSwan 5.9's swanctl expands it
 * (proposal_create_default, then proposal_create_default_aead): a
 * classic proposal first, an AEAD one second. See Documentation/
 * ike.conf.rst for what we leave out of strongSwan's and why.
 */
#define IKE_DEFAULT_KE "ecp256-ecp384-ecp521-curve25519-curve448-" \
	"modp3072-modp4096-modp6144-modp8192-modp2048"
#define IKE_DEFAULT_IKE "aes128-aes192-aes256-sha256-sha384-sha512-" \
	IKE_DEFAULT_KE
#define IKE_DEFAULT_IKE_AEAD "aes128gcm16-aes192gcm16-aes256gcm16-" \
	"chacha20poly1305-prfsha256-prfsha384-prfsha512-" IKE_DEFAULT_KE
#define IKE_DEFAULT_ESP "aes128-aes192-aes256-sha256-sha384-sha512-" \
	"sha1-aesxcbc-noesn"
#define IKE_DEFAULT_ESP_AEAD "aes128gcm16-aes192gcm16-aes256gcm16-noesn"

/* Allow DES, 3DES, MD5 and MODP groups 1, 2 and 5 (weak_algorithms). */
#define IKE_PROPOSAL_WEAK	0x1

struct ike_proposal_list {
	struct ike_proposal *v;
	size_t n;
};

/*
 * Append the proposals of s, a comma-separated list, to list; numbers
 * follow on from those already there. proto is IKE_PROTO_IKE or
 * IKE_PROTO_ESP. Transforms come out grouped by type in wire order
 * (ENCR, PRF, INTEG, KE, ESN), each type in the order written. For IKE
 * a missing PRF is derived from the integrity algorithms as strongSwan
 * does (sha256 gives prfsha256); an AEAD IKE proposal needs a PRF or an
 * integrity keyword naming one, and drops its integrity algorithms. An
 * ESP proposal without esn/noesn gets noesn; a key exchange method in it
 * asks for PFS, and "none" makes PFS optional.
 *
 * On error returns -1, leaves list as it was, and gives a message naming
 * the proposal and the offset in s of the token at fault.
 */
int ike_proposals_parse(struct ike_proposal_list *list, const char *s,
			uint8_t proto, unsigned int flags,
			char *err, size_t errlen, size_t *err_off);
void ike_proposal_list_free(struct ike_proposal_list *list);

/* Combined-mode ciphers: no integrity transform goes with them. */
bool ike_encr_is_aead(uint16_t id);

/* Every proposal of a list in one line, for diagnostics. */
const char *ike_proposals_format(const struct ike_proposal *v, size_t n,
				 char *buf, size_t size);

/*
 * The ID of p's first transform of type (0 without one), and its key
 * length in bits into *keylen unless keylen is NULL.
 */
uint16_t ike_proposal_id(const struct ike_proposal *p, uint8_t type,
			 uint16_t *keylen);

/* "ENCR_AES_GCM_16_256" style: ike_transform_name(), then _KEYLEN. */
const char *ike_transform_format(const struct ike_transform *tr,
				 char *buf, size_t size);
/* The transforms separated by '/', as strongSwan logs proposals. */
const char *ike_proposal_format(const struct ike_proposal *p,
				char *buf, size_t size);

/*
 * Why nothing was chosen. types has bit (1 << type) set for each
 * transform type that failed in every pair of an our proposal and a peer
 * proposal of the same protocol; when no type failed everywhere yet no
 * pair matched, combination is set: each type has a value in common, but
 * never within one pair of proposals.
 */
struct ike_mismatch {
	uint32_t types;
	bool combination;
	bool no_proto;		/* the peer offered nothing for our protocol */
	uint8_t n_unknown;	/* peer proposals with a transform type we
				 * do not know, which RFC 7296 3.3.6 says to
				 * skip */
};

/* Leave key exchange methods out (ESP proposals within IKE_AUTH). */
#define IKE_SELECT_SKIP_KE	0x1

/*
 * As responder: our first proposal that matches one of the peer's, and
 * within it our first transform of each type the peer also offered (we
 * prefer our own order, as strongSwan does by default). chosen carries
 * the peer's proposal number and SPI and one transform of each type the
 * peer's proposal had, as the reply needs them: an absent ESN means no
 * ESN, an absent KE in ESP means no PFS, an AEAD gets no INTEG (INTEG
 * NONE if the peer listed it). Transform IDs we do not know never match.
 * As initiator, check the responder's reply by passing it as the only
 * peer proposal. Returns 0, or -1 with *why filled in.
 */
int ike_proposal_select(const struct ike_proposal *ours, size_t n_ours,
			const struct ike_proposal *theirs, size_t n_theirs,
			unsigned int flags, struct ike_proposal *chosen,
			struct ike_mismatch *why);

/*
 * why in words, for the log and the user: "key exchange method differs
 * (we accept ECP_256, MODP_2048; peer offered MODP_1024)".
 */
const char *ike_mismatch_format(const struct ike_mismatch *why,
				const struct ike_proposal *ours, size_t n_ours,
				const struct ike_proposal *theirs,
				size_t n_theirs, char *buf, size_t size);

#endif /* KIPSEC_IKE_PROPOSAL_H */
