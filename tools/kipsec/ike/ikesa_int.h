/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the IKE SAs: the IKE SA, its CHILD_SAs and our request under
 * way, and the functions of the files that work on them (one section a
 * file: ikesa.c the table, exchange.c the messages, init.c, auth.c,
 * childneg.c, kex.c, rekey.c, create.c and info.c the exchanges, child.c
 * the kernel, control.c up, down and status).
 */
#ifndef KIPSEC_IKE_IKESA_INT_H
#define KIPSEC_IKE_IKESA_INT_H

#include "crypto.h"
#include "ikesa.h"
#include "msg.h"
#include "sockaddr.h"
#include "state.h"

struct ike_ts_cfgs;
struct ike_child;
struct ike_conn;

#define CHILD_MAX_POLICIES	48

/* What our outstanding CREATE_CHILD_SA or INFORMATIONAL request does. */
enum ikesa_request_kind {
	IKESA_RQ_NONE,
	IKESA_RQ_NEW_CHILD,	/* creating an additional CHILD_SA */
	IKESA_RQ_CHILD,		/* rekeying a CHILD_SA */
	IKESA_RQ_IKE,		/* rekeying the IKE SA */
	IKESA_RQ_DELETE,	/* deleting a CHILD_SA (del_spi) */
};

/*
 * Our outstanding CREATE_CHILD_SA or INFORMATIONAL request (rekey.c,
 * create.c): what it is about, from ikesa_request_begin() until its
 * answer calls ikesa_request_end(), and what the answer needs. The key
 * exchange method stays for the next request: the one the peer asked for
 * with INVALID_KE_PAYLOAD is offered first from then on.
 */
struct ikesa_request {
	enum ikesa_request_kind kind;
	struct ikesa_child *child;	/* which CHILD_SA it is about */
	uint32_t del_spi;		/* our inbound SPI, being deleted */
	struct ike_kex *kex;
	uint16_t group;
	uint8_t ni[IKE_NONCE_MAX];
	size_t ni_len;
	uint8_t spi[IKE_SPI_LEN];	/* the new IKE SA's, rekeying it */
};

struct sa;

/* A CHILD_SA: a pair of ESP SAs in the kernel and their policies. */
struct child_sa {
	bool installed;			/* both SAs are in the kernel */
	bool in_installed;		/* the inbound one is */
	bool keys_of_initiator;		/* outbound uses KEYMAT's first half */
	struct sa *out_pending;		/* a rekey responder's outbound SA */
	uint32_t if_id;
	char name[64];
	uint32_t spi_in, spi_out;	/* host order */
	uint32_t reqid;
	struct ike_proposal prop;	/* the one chosen */
	uint8_t mode;			/* KIPSEC_MODE_* */
	uint8_t n_l, n_r;
	struct ike_ts ts_l[IKE_MAX_TS], ts_r[IKE_MAX_TS];
	uint32_t n_pol;
	uint32_t policy_ids[CHILD_MAX_POLICIES];
};

/*
 * One CHILD_SA of an IKE SA with its rekeying: the pair in use, the
 * successor we asked for, the one the peer asked for at the same time (a
 * collision, RFC 7296 section 2.8.1) and the predecessor until it is
 * deleted. A slot that is not up yet waits for its CREATE_CHILD_SA.
 */
struct ikesa_child {
	struct ikesa_child *next;
	const struct ike_child *cfg;	/* in the current configuration */
	struct child_sa cur;
	struct child_sa *rekey;		/* ours, being negotiated */
	struct child_sa *theirs;	/* the peer's, while ours is */
	struct child_sa *old;		/* until its Delete is answered */
	uint8_t their_nonce[IKE_NONCE_MAX];	/* the lower of theirs */
	size_t their_nonce_len;
	bool failed;			/* creating it failed: not again */
	uint64_t rekey_retry_at;	/* a rekey that must wait */
	uint64_t old_out_deadline;	/* responder: install out anyway */
};

/* Our outstanding request (window size 1). */
struct ikesa_pending {
	uint8_t *buf;
	size_t len;
	uint32_t id;
	uint8_t exchange;
	int tries;
	uint64_t next_at;
};

struct ike1_state;

struct ikesa {
	struct ikesa *next;
	char *conn_name;
	/*
	 * 2, or 1 for an ISAKMP SA: then v1 is its IKEv1 state (v1/sa.h),
	 * freed by v1_free, which v1/sa.c sets: ikesa.c is below v1/ and
	 * does not know what the state holds.
	 */
	uint8_t version;
	struct ike1_state *v1;
	void (*v1_free)(struct ike1_state *st);
	const struct ike_conn *conn;	/* in the current configuration */
	const struct ike_child *child_cfg;	/* what IKE_AUTH creates */
	struct ikesa_child *children;	/* the first one IKE_AUTH's */
	enum ikesa_state state;
	bool initiator;			/* of this IKE SA */
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	struct sockaddr_storage local, remote;
	bool nat_here, nat_there;	/* a NAT in front of us / the peer */
	uint64_t created_at, established_at, last_heard;
	uint64_t timer_at;		/* the next DPD or keepalive */
	uint64_t keepalive_at, dpd_at;

	/* IKE_SA_INIT */
	unsigned int probe;		/* probes after a refusal (probe.c) */
	struct ike_proposal *offer;	/* what a probe offers instead */
	size_t n_offer;
	uint16_t group;
	struct ike_kex *kex;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	uint8_t cookie[64];
	size_t cookie_len;
	uint8_t *msg_i, *msg_r;		/* the IKE_SA_INIT request, response */
	size_t msg_i_len, msg_r_len;

	/* the IKE SA's algorithms and keys */
	struct ike_proposal prop;
	const struct ike_prf_alg *prf;
	struct ike_sa_keys keys;
	struct ike_sk_ctx sk_out, sk_in;

	/* message IDs */
	uint32_t next_id;		/* of our next request */
	uint32_t peer_id_next;		/* of the peer's next request */
	struct ikesa_pending req;
	uint8_t *last_resp;
	size_t last_resp_len;

	char peer_id[1024];		/* the peer's authenticated identity */
	uint8_t peer_hashes[32];	/* its SIGNATURE_HASH_ALGORITHMS */
	size_t peer_hashes_len;
	bool peer_hashes_seen;
	struct ike_waiter *waiter;	/* `kipsec up`, until done */
	bool waiter_failed;		/* a child it waits for failed */

	/* a CREATE_CHILD_SA or Delete we initiated */
	struct ikesa_request request;
	bool pfs_probe;			/* the first rekey checks PFS */
	uint64_t rekey_ike_at;		/* when to rekey the IKE SA */
	/* the peer's IKE SA rekey that collided with ours (section 2.8.2) */
	struct ikesa *rk_theirs;
	uint8_t rk_their_nonce[IKE_NONCE_MAX];
	size_t rk_their_nonce_len;
};

/* What `kipsec status` says about a connection that failed last. */
struct ikesa_note {
	struct ikesa_note *next;
	char last_error[768];
	char conn[];
};

/* A trap: the policies that make the kernel ask for a connection. */
struct ikesa_trap {
	struct ikesa_trap *next;
	char conn[128];
	char child[64];
	uint32_t reqid;
	uint32_t n_pol;
	uint32_t policy_ids[CHILD_MAX_POLICIES];
};

struct ikesa_creds;

struct ikesa_table {
	struct ikesa *head;
	struct ikesa_creds *creds;	/* certificates, per connection */
	struct ikesa_note *notes;
	struct ikesa_trap *traps;
	uint32_t next_reqid;
	/* cookies (cookie.c) */
	uint8_t cookie_secret[IKE_NONCE_LEN], cookie_old[IKE_NONCE_LEN];
	uint32_t cookie_version;
	uint64_t cookie_rotated_at;
};

/* ikesa.c */
struct ikesa *ikesa_new(struct ike_daemon *d, const struct ike_conn *conn,
			bool initiator);
/*
 * A failure of the IKE SA's: logged, the connection's last failure in
 * `kipsec status`, told to `kipsec up` if it waits. ikesa_fail() then
 * kills the IKE SA; ikesa_report() leaves it as it is, for a failure it
 * survives.
 */
__attribute__((format(printf, 3, 4)))
void ikesa_fail(struct ike_daemon *d, struct ikesa *sa, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void ikesa_report(struct ike_daemon *d, struct ikesa *sa, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void ikesa_note(struct ike_daemon *d, const char *conn, const char *fmt, ...);
void ikesa_note_ok(struct ike_daemon *d, const char *conn);
/* The SA a message is for (its SPIs, its initiator flag), or NULL. */
struct ikesa *ikesa_lookup(struct ike_daemon *d, const struct ike_hdr *h);
/* Our responder SA for the initiator's SPI in h. */
struct ikesa *ikesa_by_spi_i(struct ike_daemon *d, const struct ike_hdr *h);
/*
 * Our responder ISAKMP SA (version 1) for the initiator's and our cookie;
 * cky_r NULL: the one for cky_i whatever ours is (Main Mode message 1
 * again).
 */
struct ikesa *ikesa_lookup_v1(struct ike_daemon *d, const uint8_t *cky_i,
			      const uint8_t *cky_r);
/* Free what is dead, once the event that killed it is handled: all SAs. */
void ikesa_reap_all(struct ike_daemon *d);
/*
 * After a datagram: free sa and the SAs made meanwhile if they died,
 * without walking all the SAs for every datagram. Another SA that died
 * (none does today) goes at the next ikesa_run_timers(), before the loop
 * waits again.
 */
void ikesa_reap_event(struct ike_daemon *d, struct ikesa *sa);
void ikesa_free(struct ike_daemon *d, struct ikesa *sa);
/* Our request no longer awaits its answer: its bytes go. */
void ikesa_pending_clear(struct ikesa_pending *p);
/*
 * Whether the timers of the SAs are to be walked at now; if not, *next
 * is when. After a walk, ikesa_timers_walked() with the nearest deadline
 * it found (0: none).
 */
bool ikesa_timers_due(struct ike_daemon *d, uint64_t now, uint64_t *next);
void ikesa_timers_walked(struct ike_daemon *d, uint64_t now, uint64_t next);
/* Every SA, note, trap and credential gone (no Delete: see shutdown). */
void ikesa_table_free(struct ike_daemon *d);
void ikesa_established(struct ike_daemon *d, struct ikesa *sa);
/* Our request about ch (NULL: the IKE SA) is out; its answer came. */
void ikesa_request_begin(struct ikesa *sa, enum ikesa_request_kind kind,
			 struct ikesa_child *ch);
void ikesa_request_end(struct ikesa *sa);
/* ch goes away: the request, if it is about ch, no longer names it. */
void ikesa_request_child_gone(struct ikesa *sa, const struct ikesa_child *ch);
void ikesa_keylog(struct ike_daemon *d, const struct ikesa *sa);
uint64_t ikesa_earliest(uint64_t a, uint64_t b);

/* exchange.c */
void ikesa_transmit(struct ike_daemon *d, struct ikesa *sa,
		    const uint8_t *p, size_t len);
/* Takes buf: sends it now and again until the response comes. */
void ikesa_send_request(struct ike_daemon *d, struct ikesa *sa,
			struct ike_buf *buf, uint8_t exchange);
/* Takes buf: the response to the peer's current request. */
void ikesa_send_response(struct ike_daemon *d, struct ikesa *sa,
			 struct ike_buf *buf);
/*
 * An encrypted request or response of the IKE SA; inner is consumed.
 * For a request the message ID is the next of ours, for a response the
 * peer's request's.
 */
void ikesa_send_encrypted(struct ike_daemon *d, struct ikesa *sa,
			  uint8_t exchange, bool response,
			  struct ike_buf *inner);
/*
 * Decrypt m's SK payload (raw is the datagram) and decode what it holds
 * into m; plain receives the inner chain, which m then points into.
 * 0, or -1: the message cannot be trusted, drop it without an answer.
 */
int ikesa_decrypt(struct ikesa *sa, const uint8_t *raw, struct ike_msg *m,
		  uint8_t *plain, size_t size, struct ike_err *err);

/* info.c */
void ikesa_informational_request(struct ike_daemon *d, struct ikesa *sa,
				 struct ike_msg *m);
/* Tell the peer (INFORMATIONAL with a Delete of the IKE SA), then go. */
void ikesa_delete(struct ike_daemon *d, struct ikesa *sa);
void ikesa_put_esp_delete(struct ike_buf *b, uint32_t spi);
void ikesa_child_peer_delete(struct ike_daemon *d, struct ikesa *sa,
			     const struct ike_pl_delete *del,
			     struct ike_buf *reply);

/* exchange.c, before any IKE SA */
/* An unprotected IKE_SA_INIT response with one error notify (section 2.21.1). */
void ikesa_init_refuse(struct ike_daemon *d, const struct ike_dgram *dg,
		       const struct ike_hdr *h, uint16_t notify,
		       const uint8_t *data, size_t data_len);

/* init.c */
void ikesa_send_init(struct ike_daemon *d, struct ikesa *sa);
void ikesa_initiate(struct ike_daemon *d, const struct ike_conn *conn,
		    const struct ike_child *child, struct ike_waiter *w);
void ikesa_init_request(struct ike_daemon *d, const struct ike_dgram *dg,
			const struct ike_msg *m);
void ikesa_init_response(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_dgram *dg, const struct ike_msg *m);

/* auth.c */
void ikesa_send_auth(struct ike_daemon *d, struct ikesa *sa);
void ikesa_auth_request(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_dgram *dg, const struct ike_msg *m);
void ikesa_auth_response(struct ike_daemon *d, struct ikesa *sa,
			 const struct ike_dgram *dg, const struct ike_msg *m);

/* child.c */
void ikesa_child_promote(struct ikesa_child *ch, struct child_sa **next);
int ikesa_child_alloc_spi(struct ike_daemon *d, struct ikesa *sa,
			  struct child_sa *c);
int ikesa_child_algs(const struct child_sa *c,
		     const struct ike_encr_alg **encr,
		     const struct ike_integ_alg **integ, char *why, size_t size);
int ikesa_child_add_sas(struct ike_daemon *d, struct ikesa *sa,
			const struct ike_child *cfg, struct child_sa *c,
			const struct ike_child_keys *keys, bool outbound_now,
			char *why, size_t size);
int ikesa_child_add_out(struct ike_daemon *d, struct child_sa *c);
void ikesa_child_del_sas(struct ike_daemon *d, struct ikesa *sa,
			 struct child_sa *c);
int ikesa_child_begin(struct ike_daemon *d, struct ikesa *sa,
		      struct ikesa_child *ch, const struct ike_child_keys *keys,
		      bool outbound_now, char *why, size_t size);
/* outbound: out; else in and (tunnel mode) fwd. */
int ikesa_child_policies(struct ike_daemon *d, struct ikesa *sa,
			 struct ikesa_child *ch, bool outbound, char *why,
			 size_t size);
int ikesa_child_install(struct ike_daemon *d, struct ikesa *sa,
			struct ikesa_child *ch, const struct ike_child_keys *keys,
			char *why, size_t size);
struct ikesa_child *ikesa_child_add(struct ikesa *sa,
				    const struct ike_child *cfg);
struct ikesa_child *ikesa_child_find(const struct ikesa *sa,
				     const char *name);
struct child_sa *ikesa_child_successor(const struct child_sa *c);
void ikesa_child_sa_free(struct ike_daemon *d, struct ikesa *sa,
			 struct child_sa **c);
void ikesa_child_close(struct ike_daemon *d, struct ikesa *sa,
		       struct ikesa_child *ch);
void ikesa_child_remove(struct ike_daemon *d, struct ikesa *sa);
struct child_sa *ikesa_child_by_spi_in(struct ikesa *sa, uint32_t spi,
				       struct ikesa_child **slot);
int ikesa_trap_install(struct ike_daemon *d, const struct ike_conn *conn,
		       const struct ike_child *child);
void ikesa_trap_remove_all(struct ike_daemon *d);
void ikesa_trap_remove_stale(struct ike_daemon *d);
struct ikesa_trap *ikesa_trap_find(struct ike_daemon *d, const char *conn,
				   const char *child);

/* childneg.c */
int ikesa_child_keys(const struct ikesa *sa, const struct child_sa *c,
		     const struct ike_kdf_in *in, struct ike_child_keys *keys,
		     char *why, size_t size);
uint16_t ikesa_child_choose(struct ike_daemon *d, struct ikesa *sa,
			    const struct ike_msg *m, bool ke,
			    const struct ike_child **cfg, struct child_sa *c,
			    char *why, size_t size);
void ikesa_put_child_offer(struct ike_buf *b, const struct ikesa *sa,
			   const struct ike_child *c, uint32_t spi, bool ke);
void ikesa_put_child_answer(struct ike_buf *b, const struct child_sa *c);
int ikesa_child_accept(struct ikesa *sa, struct ikesa_child *ch,
		       const struct ike_msg *m, bool ke, char *why,
		       size_t size);
size_t ikesa_child_offer(const struct ike_child *c, uint32_t spi, bool ke,
			 struct ike_proposal *out, size_t max);
size_t ikesa_resolve_ts(const struct ike_ts_cfgs *cfg,
			const struct sockaddr_storage *host,
			struct ike_ts *out);

/* kex.c */
uint16_t ikesa_first_ke(const struct ike_proposal *v, size_t n);
bool ikesa_offers_ke(const struct ike_proposal *v, size_t n, uint16_t g);
uint16_t ikesa_ke_of(const struct ike_proposal *p);
const char *ikesa_ke_name(uint16_t g);
int ikesa_put_ke(struct ike_buf *b, struct ike_kex **kex, uint16_t g);
ssize_t ikesa_respond_ke(uint16_t g, const struct ike_msg *m, uint8_t *pub,
			 ssize_t *publen, uint8_t *gir);
ssize_t ikesa_shared_secret(struct ike_kex *kex, uint16_t group,
			    const struct ike_msg *m, uint8_t *gir);
void ikesa_answer_notify(struct ike_daemon *d, struct ikesa *sa,
			 uint16_t type, const uint8_t *data, size_t len);
void ikesa_refuse_ke(struct ike_daemon *d, struct ikesa *sa, uint16_t g);

/* rekey.c */
void ikesa_create_child_request(struct ike_daemon *d, struct ikesa *sa,
				const struct ike_msg *m);
void ikesa_create_child_response(struct ike_daemon *d, struct ikesa *sa,
				 const struct ike_msg *m);
void ikesa_rekey_child(struct ike_daemon *d, struct ikesa *sa,
		       struct ikesa_child *ch);
void ikesa_rekey_ike(struct ike_daemon *d, struct ikesa *sa);
void ikesa_informational_response(struct ike_daemon *d, struct ikesa *sa);
uint64_t ikesa_rekey_timers(struct ike_daemon *d, struct ikesa *sa,
			    uint64_t now);
void ikesa_child_send_delete(struct ike_daemon *d, struct ikesa *sa,
			     struct ikesa_child *ch, uint32_t spi);

/* create.c */
void ikesa_children_pump(struct ike_daemon *d, struct ikesa *sa);
void ikesa_new_child_request(struct ike_daemon *d, struct ikesa *sa,
			     const struct ike_msg *m);
void ikesa_new_child_response(struct ike_daemon *d, struct ikesa *sa,
			      const struct ike_msg *m);

/* peerauth.c */
int ikesa_id_from_conf(const char *s, const struct sockaddr_storage *addr,
		       struct ike_pl_id *id, uint8_t *data);
const char *ikesa_id_text(const struct ike_pl_id *id, char *buf,
			  size_t size);
const char *ikesa_local_id_text(const struct ikesa *sa, char *buf,
				size_t size);
void ikesa_put_certreq(struct ike_daemon *d, const struct ikesa *sa,
		       struct ike_buf *b);
int ikesa_put_auth(struct ike_daemon *d, struct ikesa *sa, const char *peer,
		   struct ike_buf *b, char *why, size_t size);
int ikesa_check_auth(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_msg *m, char *peer, size_t psize,
		     char *why, size_t size);

/* probe.c */
bool ikesa_probe_next(struct ike_daemon *d, struct ikesa *sa);
int ikesa_probe_answer(struct ike_daemon *d, struct ikesa *sa,
		       const struct ike_msg *m,
		       const struct ike_pl_notify *err);

/* cookie.c */
bool ikesa_cookie_check(struct ike_daemon *d, const struct ike_dgram *dg,
			const struct ike_msg *m);

/* control.c */
void ikesa_established_timers(struct ike_daemon *d, struct ikesa *sa,
			      uint64_t now);
void ikesa_debug_msg(const struct ike_daemon *d, const char *what,
		     const struct ike_dgram *dg, const struct ike_msg *m);

#endif /* KIPSEC_IKE_IKESA_INT_H */
