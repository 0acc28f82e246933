/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ISAKMP SA's own state (RFC 2409): what a struct ikesa of version 1
 * holds beside what it shares with IKEv2 (cookies as SPIs, addresses,
 * state, CHILD_SAs). sa.c makes, finds and frees it and sends and
 * decrypts its messages; main_mode.c, quick_mode.c and info.c are the
 * exchanges that fill it.
 */
#ifndef KIPSEC_IKE_V1_SA_H
#define KIPSEC_IKE_V1_SA_H

#include "../ikesa_int.h"
#include "keys.h"
#include "msg.h"
#include "proposal.h"

/* Quick Modes one ISAKMP SA answers at once (one per child, RFC 2409 5.5). */
#define IKE1_QM_MAX		4
#define IKE1_KE_MAX		1024	/* MODP_8192's 1024 bytes */
#define IKE1_OUR_NONCE_LEN	IKE_NONCE_LEN

/*
 * One Quick Mode as responder (quick_mode.c), from QM1 to QM3: its slot
 * is in use while mid is not 0. The CHILD_SA it makes is ch, a slot of
 * the ISAKMP SA's children from QM1 on, so that whatever ends the
 * ISAKMP SA also removes the inbound SA QM2 installed.
 */
struct ike1_qm {
	uint32_t mid;
	uint8_t ni[IKE1_NONCE_MAX], nr[IKE1_OUR_NONCE_LEN];
	size_t ni_len;
	bool pfs;
	struct ikesa_child *ch;
	uint8_t *qm1, *qm2;		/* a repeated QM1 gets QM2 again */
	size_t qm1_len, qm2_len;
};

/* The Main Mode message we wait for next (responder). */
enum ike1_mm_step {
	IKE1_MM_WAIT3,
	IKE1_MM_WAIT5,
	IKE1_MM_DONE,
};

struct ike1_state {
	enum ike1_mm_step mm;
	struct ike1_choice choice;	/* Phase 1's transform */
	const struct ike_prf_alg *prf;	/* the hash, as its HMAC */
	const struct ike_encr_alg *encr;
	uint8_t *sai_b;			/* the initiator's SA payload body */
	size_t sai_len;
	uint8_t gxi[IKE1_KE_MAX], gxr[IKE1_KE_MAX];
	size_t gxi_len, gxr_len;
	uint8_t ni[IKE1_NONCE_MAX], nr[IKE1_OUR_NONCE_LEN];
	size_t ni_len;
	struct ike1_sa_keys keys;
	struct ike1_ivs ivs;
	/* the last message of the peer and our answer: a repeat gets it */
	uint8_t *last_in, *last_out;
	size_t last_in_len, last_out_len;
	struct ike1_qm qm[IKE1_QM_MAX];
};

/*
 * A new responder ISAKMP SA for conn: version 1, our cookie chosen,
 * state NEW. NULL when out of memory.
 */
struct ikesa *ike1_sa_new(struct ike_daemon *d, const struct ike_conn *conn,
			  const struct ike_dgram *dg, const uint8_t *cky_i);
/* Whether dg repeats the peer's last message: then our answer went again. */
bool ike1_answer_repeat(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_dgram *dg);
/* Remember dg as the peer's last message (before answering it). */
void ike1_remember_in(struct ikesa *sa, const struct ike_dgram *dg);
/* A header of sa's for exchange ex, message ID mid. */
struct ike1_hdr ike1_sa_hdr(const struct ikesa *sa, uint8_t ex, uint32_t mid);
/*
 * Send a message built with ike1_msg_start() (b is freed); as the answer
 * to the last message in when answer, so that a repeat gets it again.
 * 0, or -1 if it could not be built.
 */
int ike1_send_plain(struct ike_daemon *d, struct ikesa *sa,
		    struct ike1_buf *b, bool answer);
/*
 * Encrypt chain (payloads, freed) under h (its exchange and message ID)
 * and send it; as the answer to the last message in when answer.
 */
int ike1_send_encrypted(struct ike_daemon *d, struct ikesa *sa,
			const struct ike1_hdr *h, struct ike1_buf *chain,
			bool answer);
/*
 * What ike1_send_encrypted() sends, into out instead: its length, or -1.
 * For an answer that an exchange of its own repeats (Quick Mode).
 */
ssize_t ike1_seal(struct ikesa *sa, const struct ike1_hdr *h,
		  struct ike1_buf *chain, uint8_t *out, size_t size);
/*
 * A protected Informational of ours (RFC 2409 section 5.7) in an
 * exchange of its own: HASH(1), then chain (freed).
 */
void ike1_send_info(struct ike_daemon *d, struct ikesa *sa,
		    struct ike1_buf *chain);
/*
 * An error notify after Phase 1, protected: what RFC 2409 section 5.7
 * wants once the keys are shared.
 */
void ike1_notify_protected(struct ike_daemon *d, struct ikesa *sa,
			   uint16_t type);
/*
 * HASH(1) of a Quick Mode or Informational message: 0, or -1 when it is
 * missing or does not verify.
 */
int ike1_check_hash1(const struct ikesa *sa, const struct ike1_msg *m);
/*
 * An unprotected Informational with one Notify, ISAKMP protocol, no SPI:
 * what a peer gets before the keys are known to be shared (RFC 2408
 * section 3.14.1 lets it be sent without an SA).
 */
void ike1_notify_plain(struct ike_daemon *d, const struct ike_dgram *dg,
		       const uint8_t *cky_i, const uint8_t *cky_r,
		       uint16_t type);
/*
 * Decrypt m's body (the datagram's, m decoded by ike1_msg_decode()) into
 * plain and decode its payloads into m. 0, or -1 with err filled: notify
 * 0 if it did not decrypt at all (not a whole number of blocks).
 */
int ike1_decrypt_msg(struct ikesa *sa, struct ike1_msg *m, uint8_t *plain,
		     size_t size, struct ike1_err *err);

#endif /* KIPSEC_IKE_V1_SA_H */
