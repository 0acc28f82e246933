/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 proposals, Phase 1 (RFC 2409 appendix A) and Quick Mode's ESP
 * (RFC 2407 section 4.5, RFC 3947 section 5.1): the configuration's
 * proposals (struct ike_proposal, IKEv2 transform IDs) turned into an SA
 * payload with one transform per algorithm combination, as strongSwan
 * sends them; the responder's choice among the peer's transforms; the
 * initiator's check of the answer; lifetimes with RESPONDER-LIFETIME
 * (RFC 2407 section 4.6.3.1); and, when nothing matches, which parameter
 * differs with both sides' values in words.
 *
 * Both phases share one set of functions: a struct ike1_cfg says which
 * phase and what the configuration offers.
 */
#ifndef KIPSEC_IKE_V1_PROPOSAL_H
#define KIPSEC_IKE_V1_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../conf.h"
#include "msg.h"

/* A Quick Mode transform without SA Life Duration lasts 8 hours (4.5). */
#define IKE1_P2_DEFAULT_SECS	28800

/* Lifetimes of one SA, each 0 for none (no limit of that kind). */
struct ike1_life {
	uint64_t secs, kbytes;
};

/* What the configuration offers and accepts in one negotiation. */
struct ike1_cfg {
	uint8_t phase;			/* 1: ISAKMP SA, 2: Quick Mode ESP */
	const struct ike_conn *conn;	/* proposals, weak_algorithms */
	const struct ike_child *child;	/* Phase 2: esp_proposals, mode */
	uint16_t auth;			/* Phase 1: enum ike1_auth_method */
	bool udp;			/* Phase 2: NAT-T in use (RFC 3947) */
	struct ike1_life life;		/* what we offer, at most what we take */
};

/*
 * Phase 1 for conn, authenticating with auth (IKE1_AUTH_PSK,
 * IKE1_AUTH_RSA_SIG or IKE1_AUTH_ECDSA_SHA256/384/512 for a P-256/384/521
 * key: the method both ends then use). The lifetime is strongSwan's:
 * reauth_time, else rekey_time, plus over_time, so that the ISAKMP SA
 * outlives our own re-authentication.
 */
struct ike1_cfg ike1_p1_cfg(const struct ike_conn *conn, uint16_t auth);
/*
 * Quick Mode for child of conn, in the UDP-encapsulated modes when udp.
 * Lifetimes are the child's hard limits (life_time, life_bytes in
 * kilobytes of 1000 bytes as strongSwan counts them).
 */
struct ike1_cfg ike1_p2_cfg(const struct ike_conn *conn,
			    const struct ike_child *child, bool udp);

/*
 * A transform in our words. Algorithms are IKEv2 IDs (ike.h), so that
 * the crypto tables, the kernel and the names are the IKEv2 ones.
 */
struct ike1_alg {
	uint16_t encr, keylen;	/* IKE_ENCR_*, bits (0: fixed-size key) */
	uint16_t integ;		/* Phase 1: IKE_PRF_* (the hash, used as its
				 * HMAC); Phase 2: IKE_INTEG_*, NONE with an
				 * AEAD */
	uint16_t group;		/* IKE_KE_*; Phase 2: NONE without PFS */
	uint16_t auth;		/* Phase 1: enum ike1_auth_method */
	uint16_t encap;		/* Phase 2: enum ike1_encap_mode */
	bool esn;		/* Phase 2 */
	uint16_t v1_encr;	/* the wire's: P1 Encryption Algorithm or
				 * ESP transform ID */
	uint16_t v1_integ;	/* P1 Hash Algorithm or P2 Authentication
				 * Algorithm (0: none) */
};

/*
 * An SA payload we built. Life Durations that do not fit 16 bits are
 * 4-byte TLVs pointing into store: use it where it was built, do not copy.
 * left_out counts the combinations beyond IKE1_MAX_TRANSFORMS (the
 * codec's cap) or IKE1_MAX_PROPOSALS that were not offered.
 */
struct ike1_sa_out {
	struct ike1_pl_sa sa;
	uint8_t store[2][4];
	unsigned int left_out;
};

/*
 * Our offer. Phase 1: one ISAKMP proposal, one transform per combination
 * of encryption, hash and DH group of each configured proposal, in the
 * configuration's order, each with auth and the lifetime. Phase 2: one
 * ESP proposal per configured proposal, SPI spi (4 bytes, network order),
 * one transform per cipher, integrity, PFS group and ESN, each with the
 * encapsulation mode and the lifetimes. Algorithms IKEv1 cannot carry
 * (AEADs in Phase 1, ChaCha20-Poly1305, XCBC/CMAC PRFs, Curve25519...)
 * are skipped; legacy ones unless conn->weak_algorithms. Returns 0, or
 * -1 when nothing at all could be offered.
 */
int ike1_prop_offer(const struct ike1_cfg *cfg, const uint8_t *spi,
		    struct ike1_sa_out *out);

/* Which parameters differ, for struct ike1_mismatch's bits. */
enum ike1_param {
	IKE1_PARAM_ENCR,	/* with its key length */
	IKE1_PARAM_INTEG,	/* Phase 1 hash, Phase 2 integrity */
	IKE1_PARAM_GROUP,	/* Phase 1 DH group, Phase 2 PFS group */
	IKE1_PARAM_AUTH,	/* Phase 1 */
	IKE1_PARAM_MODE,	/* Phase 2 encapsulation mode */
	IKE1_PARAM_ESN,		/* Phase 2 */
	IKE1_PARAM_LIFE,	/* the initiator's check of the reply */
	IKE1_PARAM_COUNT,
};

/*
 * Why nothing was chosen. params has bit (1 << enum ike1_param) for each
 * parameter that differed with every pair of a peer transform and a
 * combination of ours; combination when none did everywhere, yet no
 * pair matched as a whole. no_proposal: the peer offered nothing of the
 * phase's protocol we can take (only AH, IPComp or bundles in Phase 2).
 * n_transforms: a reply that did not choose exactly one transform.
 * For IKE1_PARAM_LIFE, life is what the reply said.
 */
struct ike1_mismatch {
	uint32_t params;
	bool combination;
	bool no_proposal;
	unsigned int n_transforms;
	struct ike1_life life;
};

/*
 * The peer's transform chosen, or the responder's answer checked. prop
 * and tr index theirs->prop and theirs->tr. life is what both ends use:
 * per kind the shorter of ours and the peer's. responder_lifetime: ours
 * was shorter, so the responder sends RESPONDER-LIFETIME with life
 * (ike1_life_notify_build()); the transform itself goes back unchanged.
 */
struct ike1_choice {
	uint8_t prop, tr;
	struct ike1_alg alg;
	struct ike1_life life;
	bool responder_lifetime;
};

/*
 * As responder: the first of the peer's transforms, in its order, that
 * one of our combinations matches; its lifetime is always taken, made
 * shorter with RESPONDER-LIFETIME when ours is. Phase 2 takes ESP
 * proposals that stand alone (no AH or IPComp under the same number).
 * Returns 0, or -1 with *why filled in.
 */
int ike1_prop_choose(const struct ike1_cfg *cfg,
		     const struct ike1_pl_sa *theirs,
		     struct ike1_choice *out, struct ike1_mismatch *why);

/*
 * As initiator: the responder's SA payload must hold one proposal with
 * one transform, one of our combinations, with lifetimes no longer than
 * we offered (shorter ones are taken). Returns 0, or -1 with *why.
 */
int ike1_prop_check_reply(const struct ike1_cfg *cfg,
			  const struct ike1_pl_sa *reply,
			  struct ike1_choice *out, struct ike1_mismatch *why);

/*
 * The responder's SA payload: theirs with only the chosen proposal and
 * transform, attributes as the peer sent them (RFC 2409 section 5); for
 * Phase 2 with our SPI (4 bytes), NULL keeps theirs. out points into
 * theirs' buffer, as theirs does.
 */
void ike1_prop_reply(const struct ike1_pl_sa *theirs,
		     const struct ike1_choice *c, const uint8_t *spi,
		     struct ike1_pl_sa *out);

/*
 * why in one sentence, both sides' values named ("AES_CBC_256",
 * "HMAC_SHA2_256", "MODP_2048", "pre-shared key"): "encryption algorithm
 * differs (we accept AES_CBC_256; peer offered 3DES_CBC); 3DES_CBC is
 * legacy, refused unless the connection sets weak_algorithms = yes
 * (RFC 9395)". theirs is what was compared: the peer's offer, or the
 * reply.
 */
const char *ike1_mismatch_format(const struct ike1_cfg *cfg,
				 const struct ike1_pl_sa *theirs,
				 const struct ike1_mismatch *why,
				 char *buf, size_t size);

/*
 * RESPONDER-LIFETIME's data (RFC 2407 section 4.6.3.1): Life Type and
 * Life Duration attributes of the phase, for each kind life has.
 * Returns the length, 0 if size is too small.
 */
size_t ike1_life_notify_build(uint8_t phase, const struct ike1_life *life,
			      uint8_t *buf, size_t size);
/*
 * The initiator's side: lower *life to what the data says, never raise
 * it. 0, or -1 for data that is not attributes of that phase.
 */
int ike1_life_notify_apply(uint8_t phase, const uint8_t *data, size_t len,
			   struct ike1_life *life);

#endif /* KIPSEC_IKE_V1_PROPOSAL_H */
