// SPDX-License-Identifier: GPL-2.0
/*
 * ike_load: an IKEv2 initiator that loads a responder, for `make bench`
 * (selftests/vm/guest-bench-ike.sh). One process, one UDP socket: it
 * establishes N IKE SAs with one CHILD_SA each, C negotiations in flight,
 * and prints the time from the first IKE_SA_INIT request to the last
 * IKE_AUTH response:
 *
 *	established N in T s: R/s
 *	failed F, retransmissions X, cookies Y, restarts Z, ignored I,
 *	initiator CPU U s
 *
 * Every IKE SA (RFC 7296): PSK; IKE ENCR_AES_CBC 128, PRF_HMAC_SHA2_256,
 * AUTH_HMAC_SHA2_256_128, ECP_256 (aes128-sha256-ecp256); ESP
 * ENCR_AES_GCM_16 128 without ESN (aes128gcm16); IDi FQDN "load-J.test";
 * TSi 10.128.J/32 and TSr 10.129.J/32, J = BASE + index + 1 in the last
 * two octets, so that no two CHILD_SAs have the same policies at the
 * responder. No INITIAL_CONTACT: it asks a responder to drop the other
 * SAs of the same identity.
 *
 * The responder is checked, not trusted, so that a broken one cannot look
 * fast: its AUTH must verify with the PSK, what it chose must be what we
 * offered, and its traffic selectors must be our /32s. A response that
 * fails this, an error notify, or silence after the retransmissions (a
 * fixed interval) is a failure. Nothing goes into the kernel and nothing
 * is deleted: the responder keeps every SA, for its memory to be measured.
 *
 * The private keys and the IKE_SA_INIT requests are made before the clock
 * starts, so that in the timed loop this end only does what no initiator
 * can avoid (ECDH, key derivation, SK payloads) and stays ahead of the
 * responder: the two share the VM's CPUs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "../ike/crypto.h"
#include "../ike/msg.h"

#define MAX_SAS		65534	/* J fits the last two octets, never 0 */
#define SHOW_FAILURES	10	/* reasons printed; the rest are counted */
#define NO_SA		UINT32_MAX
#define OCTETS_MAX	(IKE_MSG_MAX + IKE_NONCE_MAX + IKE_PRF_OUT_MAX)
#define COOKIE_MAX	64
#define ID_MAX		256	/* the responder's IDr we accept */
#define ECP256_LEN	64	/* KE data: x | y (RFC 5903) */
#define ECP256_SECRET	32	/* g^ir: x */

enum lsa_state { LSA_IDLE, LSA_INIT_SENT, LSA_AUTH_SENT, LSA_DONE, LSA_FAILED };

/* One IKE SA we initiate. */
struct lsa {
	enum lsa_state state;
	uint32_t j;			/* names its ID and selectors */
	uint32_t slot;			/* in struct load's slots while in flight */
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	struct ike_kex *key;		/* our ECP_256 key pair */
	uint8_t pub[ECP256_LEN];
	uint8_t ni[IKE_NONCE_LEN];
	uint8_t nr[IKE_NONCE_MAX];
	size_t nr_len;
	struct ike_buf init;		/* IKE_SA_INIT request, as last sent */
	struct ike_buf resp;		/* IKE_SA_INIT response */
	struct ike_buf auth;		/* IKE_AUTH request */
	const struct ike_buf *req;	/* what a retransmission sends */
	struct ike_sa_keys keys;
	struct ike_sk_ctx sk_out, sk_in;
	unsigned int tries;		/* retransmissions of req */
	unsigned int restarts;		/* see retry_with_cookie() */
	uint64_t next_at;		/* retransmission, ms */
	bool cookie;			/* the responder asked for one */
};

struct load {
	int fd;
	struct sockaddr_in local, remote;
	const char *psk;
	unsigned int n, conc, base, tries, timeout_ms;
	struct lsa *sa;
	uint32_t *slots;		/* conc of them: an SA index or NO_SA */
	uint32_t next;			/* the next SA to start */
	uint32_t spi_key;		/* hides the index in SPIi's low half */
	unsigned int active, done, failed;
	unsigned long retransmits, cookies, restarts, ignored;
	uint64_t t0, t_last;		/* ns */
	const struct ike_prf_alg *prf;
	const struct ike_encr_alg *encr;
	const struct ike_integ_alg *integ;
};

static const struct ike_proposal ike_offer = {
	.num = 1, .proto = IKE_PROTO_IKE, .n_tr = 4,
	.tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_CBC, 128 },
		{ IKE_TR_PRF, IKE_PRF_HMAC_SHA2_256, 0 },
		{ IKE_TR_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0 },
		{ IKE_TR_KE, IKE_KE_ECP256, 0 },
	},
};

static const struct ike_proposal esp_offer = {
	.num = 1, .proto = IKE_PROTO_ESP, .spi_len = 4, .n_tr = 2,
	.tr = {
		{ IKE_TR_ENCR, IKE_ENCR_AES_GCM_16, 128 },
		{ IKE_TR_ESN, IKE_ESN_NO, 0 },
	},
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static uint64_t now_ms(void)
{
	return now_ns() / 1000000u;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ---- bookkeeping ---- */

static struct lsa *sa_of(struct load *ld, const uint8_t *spi_i)
{
	uint32_t idx;

	memcpy(&idx, spi_i + 4, 4);
	idx = ntohl(idx) ^ ld->spi_key;
	if (idx >= ld->n || memcmp(ld->sa[idx].spi_i, spi_i, IKE_SPI_LEN))
		return NULL;
	return &ld->sa[idx];
}

static void transmit(struct load *ld, struct lsa *sa, const struct ike_buf *b)
{
	sa->req = b;
	sa->tries = 0;
	sa->next_at = now_ms() + ld->timeout_ms;
	/* a lost datagram is what retransmissions are for */
	if (send(ld->fd, b->p, b->len, 0) < 0 && errno != EAGAIN &&
	    errno != ECONNREFUSED)
		perror("ike_load: send");
}

static void start(struct load *ld, struct lsa *sa, uint32_t slot)
{
	ld->slots[slot] = sa - ld->sa;
	sa->slot = slot;
	sa->state = LSA_INIT_SENT;
	ld->active++;
	if (!ld->t0)
		ld->t0 = now_ns();
	transmit(ld, sa, &sa->init);
}

/* An SA is finished either way: free what it held, start the next. */
static void release(struct load *ld, struct lsa *sa)
{
	uint32_t slot = sa->slot;

	ike_kex_free(sa->key);
	sa->key = NULL;
	ike_buf_free(&sa->init);
	ike_buf_free(&sa->resp);
	ike_buf_free(&sa->auth);
	sa->req = NULL;
	ike_sa_keys_clear(&sa->keys);
	ike_sk_clear(&sa->sk_out);
	ike_sk_clear(&sa->sk_in);
	ld->slots[slot] = NO_SA;
	ld->active--;
	if (ld->next < ld->n)
		start(ld, &ld->sa[ld->next++], slot);
}

__attribute__((format(printf, 3, 4)))
static void fail(struct load *ld, struct lsa *sa, const char *fmt, ...)
{
	va_list ap;

	if (ld->failed++ < SHOW_FAILURES) {
		fprintf(stderr, "ike_load: SA %u (load-%u.test): ",
			(unsigned int)(sa - ld->sa), sa->j);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	sa->state = LSA_FAILED;
	release(ld, sa);
}

static void succeed(struct load *ld, struct lsa *sa)
{
	ld->done++;
	ld->t_last = now_ns();
	sa->state = LSA_DONE;
	release(ld, sa);
}

static const char *notify_text(uint16_t type)
{
	static char buf[32];
	const char *name = ike_notify_name(type);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "notify %u", type);
	return buf;
}

/* The first notify of type, or the first error notify for type 0. */
static const struct ike_pl_notify *notify_of(const struct ike_msg *m,
					     uint16_t type)
{
	size_t i;

	for (i = 0; i < m->n_notify; i++)
		if (type ? m->notify[i].type == type :
			   m->notify[i].type < IKE_N_INITIAL_CONTACT)
			return &m->notify[i];
	return NULL;
}

/* ---- what we send ---- */

/* The selector of one address, 10.NET.J/32, all protocols and ports. */
static void ts_of(uint8_t net, uint32_t j, struct ike_ts *ts)
{
	uint8_t a[4] = { 10, net, j >> 8, j & 0xff };

	memset(ts, 0, sizeof(*ts));
	ts->type = IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 65535;
	memcpy(ts->start, a, 4);
	memcpy(ts->end, a, 4);
}

static void put_natd(struct ike_buf *b, const struct lsa *sa, uint16_t type,
		     const struct sockaddr_in *sin)
{
	static const uint8_t zero[IKE_SPI_LEN];
	uint8_t hash[IKE_NATD_LEN];

	if (ike_natd_hash(sa->spi_i, zero, AF_INET,
			  (const uint8_t *)&sin->sin_addr,
			  ntohs(sin->sin_port), hash)) {
		b->oom = true;
		return;
	}
	ike_put_notify(b, &(struct ike_pl_notify){
		.type = type, .data = { hash, IKE_NATD_LEN } });
}

/*
 * HDR, [N(COOKIE),] SA, KE, Ni, N(NAT_DETECTION_SOURCE_IP),
 * N(NAT_DETECTION_DESTINATION_IP). The retry with a cookie changes
 * nothing else (section 2.6).
 */
static int build_init(struct load *ld, struct lsa *sa, const uint8_t *cookie,
		      size_t cookie_len)
{
	struct ike_hdr h = { .exchange = IKE_SA_INIT,
			     .flags = IKE_FLAG_INITIATOR };

	memcpy(h.ispi, sa->spi_i, IKE_SPI_LEN);
	ike_buf_free(&sa->init);
	ike_msg_start(&sa->init, &h);
	if (cookie_len)
		ike_put_notify(&sa->init, &(struct ike_pl_notify){
			.type = IKE_N_COOKIE, .data = { cookie, cookie_len } });
	ike_put_sa(&sa->init, &ike_offer, 1);
	ike_put_ke(&sa->init, &(struct ike_pl_ke){
		IKE_KE_ECP256, { sa->pub, ECP256_LEN } });
	ike_put_nonce(&sa->init, &(struct ike_bytes){ sa->ni, IKE_NONCE_LEN });
	put_natd(&sa->init, sa, IKE_N_NAT_DETECTION_SOURCE_IP, &ld->local);
	put_natd(&sa->init, sa, IKE_N_NAT_DETECTION_DESTINATION_IP,
		 &ld->remote);
	return ike_msg_finish(&sa->init);
}

/* ID' of section 2.15: the ID payload's body from the ID Type on. */
static size_t id_body(const struct ike_pl_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data.p, id->data.len);
	return 4 + id->data.len;
}

/*
 * AUTH of one end (section 2.15): prf(prf(PSK, "Key Pad for IKEv2"),
 * its IKE_SA_INIT message | the other's nonce | prf(SK_p, ID')), into
 * auth; or, with auth NULL, whether expect is that value (0 if it is).
 */
static int psk_auth(struct load *ld, const uint8_t *sk_p,
		    const struct ike_buf *msg, const uint8_t *nonce,
		    size_t nonce_len, const struct ike_pl_id *id,
		    uint8_t *auth, const struct ike_bytes *expect)
{
	static uint8_t octets[OCTETS_MAX];
	uint8_t body[4 + ID_MAX];
	size_t blen = id_body(id, body);
	ssize_t n;

	n = ike_auth_octets(ld->prf, sk_p, msg->p, msg->len, nonce, nonce_len,
			    body, blen, octets, sizeof(octets));
	if (n < 0)
		return -1;
	if (auth)
		return ike_psk_auth(ld->prf, (const uint8_t *)ld->psk,
				    strlen(ld->psk), octets, n, auth);
	return ike_psk_verify(ld->prf, (const uint8_t *)ld->psk,
			      strlen(ld->psk), octets, n, expect->p,
			      expect->len);
}

/* HDR, SK {IDi, AUTH, SA, TSi, TSr} */
static int build_auth(struct load *ld, struct lsa *sa)
{
	char name[32];
	int len = snprintf(name, sizeof(name), "load-%u.test", sa->j);
	struct ike_pl_id id = { IKE_ID_FQDN, { (uint8_t *)name, len } };
	struct ike_hdr h = { .exchange = IKE_AUTH, .flags = IKE_FLAG_INITIATOR,
			     .msg_id = 1 };
	struct ike_proposal esp = esp_offer;
	uint32_t spi = htonl(0x10000000u + sa->j);
	uint8_t authv[IKE_PRF_OUT_MAX];
	struct ike_buf inner = { 0 };
	struct ike_ts tsi, tsr;
	size_t off, body;
	int ret = -1;

	if (psk_auth(ld, sa->keys.sk_pi, &sa->init, sa->nr, sa->nr_len, &id,
		     authv, NULL))
		return -1;
	memcpy(esp.spi, &spi, 4);
	ts_of(128, sa->j, &tsi);
	ts_of(129, sa->j, &tsr);
	ike_put_id(&inner, IKE_PL_IDI, &id);
	ike_put_auth(&inner, &(struct ike_pl_auth){
		IKE_AUTH_PSK, { authv, ld->prf->out_len } });
	ike_put_sa(&inner, &esp, 1);
	ike_put_ts(&inner, IKE_PL_TSI, &tsi, 1);
	ike_put_ts(&inner, IKE_PL_TSR, &tsr, 1);
	if (inner.oom)
		goto out;
	memcpy(h.ispi, sa->spi_i, IKE_SPI_LEN);
	memcpy(h.rspi, sa->spi_r, IKE_SPI_LEN);
	ike_msg_start(&sa->auth, &h);
	body = ike_sk_len(&sa->sk_out, inner.len);
	off = ike_put_sk(&sa->auth, inner.first, body);
	if (ike_msg_finish(&sa->auth))
		goto out;
	if (ike_sk_encrypt(&sa->sk_out, sa->auth.p, off + IKE_PL_HDR_LEN,
			   inner.p, inner.len,
			   sa->auth.p + off + IKE_PL_HDR_LEN, body) ==
	    (ssize_t)body)
		ret = 0;
out:
	ike_buf_free(&inner);
	return ret;
}

/* ---- what we receive ---- */

static bool has_transform(const struct ike_proposal *p,
			  const struct ike_transform *t)
{
	size_t i;

	for (i = 0; i < p->n_tr; i++)
		if (p->tr[i].type == t->type && p->tr[i].id == t->id &&
		    p->tr[i].keylen == t->keylen)
			return true;
	return false;
}

/* The responder's choice: exactly our one proposal (its SPI aside). */
static bool chose_ours(const struct ike_msg *m, const struct ike_proposal *ours)
{
	const struct ike_proposal *p = &m->sa.prop[0];
	size_t i;

	if (m->sa.n_prop != 1 || m->sa.unknown_attr[0] ||
	    p->proto != ours->proto || p->spi_len != ours->spi_len ||
	    p->n_tr != ours->n_tr)
		return false;
	for (i = 0; i < ours->n_tr; i++)
		if (!has_transform(p, &ours->tr[i]))
			return false;
	return true;
}

static bool is_our_ts(const struct ike_pl_ts *pl, uint8_t net, uint32_t j)
{
	const struct ike_ts *ts = &pl->ts[0];
	struct ike_ts want;

	ts_of(net, j, &want);
	return pl->n_ts == 1 && ts->type == want.type &&
	       ts->ip_proto == want.ip_proto &&
	       ts->start_port == want.start_port &&
	       ts->end_port == want.end_port &&
	       !memcmp(ts->start, want.start, 4) &&
	       !memcmp(ts->end, want.end, 4);
}

/*
 * ECP_256 (RFC 5903) with crypto.c's ike_kex, the daemon's own: the
 * cheapest there is here (a curve made once per thread, the peer's point
 * checked to be on the curve and nothing more), which the load generator
 * needs, on the same CPUs as the responder. A responder that sends a bad
 * point fails here; one that derives wrong keys fails at AUTH.
 */
static int ecp_new(struct lsa *sa)
{
	sa->key = ike_kex_new(IKE_KE_ECP256);
	if (!sa->key ||
	    ike_kex_public(sa->key, sa->pub, sizeof(sa->pub)) != ECP256_LEN)
		return -1;
	return 0;
}

static int ecp_shared(const struct ike_kex *key, const struct ike_bytes *peer,
		      uint8_t *secret)
{
	ssize_t n;

	if (peer->len != ECP256_LEN)
		return IKE_CRYPTO_EKEVAL;
	n = ike_kex_shared(key, peer->p, peer->len, secret, ECP256_SECRET);
	if (n < 0)
		return n;
	return n == ECP256_SECRET ? 0 : IKE_CRYPTO_EFAIL;
}

static int derive(struct load *ld, struct lsa *sa, const struct ike_msg *m)
{
	uint8_t gir[ECP256_SECRET], skeyseed[IKE_PRF_OUT_MAX];
	struct ike_kdf_in in = {
		.ni = sa->ni, .ni_len = IKE_NONCE_LEN,
		.nr = sa->nr, .nr_len = sa->nr_len,
		.gir = gir, .gir_len = sizeof(gir),
		.spi_i = sa->spi_i, .spi_r = sa->spi_r,
	};
	int ret;

	ret = ecp_shared(sa->key, &m->ke.data, gir);
	if (!ret)
		ret = ike_skeyseed(ld->prf, &in, skeyseed);
	if (!ret)
		ret = ike_sa_keys_derive(&sa->keys, ld->prf, ld->encr,
					 ld->integ, skeyseed, &in);
	if (!ret)
		ret = ike_sk_init(&sa->sk_out, ld->encr, ld->integ,
				  sa->keys.sk_ei, sa->keys.sk_ai);
	if (!ret)
		ret = ike_sk_init(&sa->sk_in, ld->encr, ld->integ,
				  sa->keys.sk_er, sa->keys.sk_ar);
	OPENSSL_cleanse(gir, sizeof(gir));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return ret;
}

/*
 * A fresh SPIi (the index stays in its low half) and nonce: the
 * responder's answers to the old SPIi will not match any more.
 */
static void restart(struct load *ld, struct lsa *sa)
{
	uint8_t spi[IKE_SPI_LEN];

	ld->restarts++;
	if (sa->restarts++ >= ld->tries) {
		fail(ld, sa, "IKE_SA_INIT: a cookie after a retransmission, %u times",
		     sa->restarts);
		return;
	}
	if (ike_spi_new(spi) || ike_nonce_new(sa->ni)) {
		fail(ld, sa, "IKE_SA_INIT: no randomness to start again");
		return;
	}
	memcpy(sa->spi_i, spi, 4);
	if (build_init(ld, sa, NULL, 0)) {
		fail(ld, sa, "IKE_SA_INIT: out of memory");
		return;
	}
	transmit(ld, sa, &sa->init);
}

static void retry_with_cookie(struct load *ld, struct lsa *sa,
			      const struct ike_pl_notify *cookie)
{
	/* a second one answers a retransmission of the first request */
	if (sa->cookie) {
		ld->ignored++;
		return;
	}
	/*
	 * The first request went out more than once: one copy brought the
	 * cookie, another may have found the responder below its cookie
	 * threshold and made an IKE SA whose answer is still on its way.
	 * That answer would look like the answer to the retry, but the AUTH
	 * payloads would have to cover the request without the cookie
	 * (section 2.15), and nothing tells the two apart. Start over.
	 */
	if (sa->tries) {
		restart(ld, sa);
		return;
	}
	if (!cookie->data.len || cookie->data.len > COOKIE_MAX) {
		fail(ld, sa, "IKE_SA_INIT: a cookie of %zu bytes",
		     cookie->data.len);
		return;
	}
	sa->cookie = true;
	ld->cookies++;
	if (build_init(ld, sa, cookie->data.p, cookie->data.len)) {
		fail(ld, sa, "IKE_SA_INIT: out of memory");
		return;
	}
	transmit(ld, sa, &sa->init);
}

static void init_response(struct load *ld, struct lsa *sa,
			  const struct ike_msg *m, const uint8_t *p, size_t len)
{
	static const uint8_t zero[IKE_SPI_LEN];
	const struct ike_pl_notify *cookie = notify_of(m, IKE_N_COOKIE);
	const struct ike_pl_notify *err = notify_of(m, 0);
	int ret;

	if (cookie) {
		retry_with_cookie(ld, sa, cookie);
		return;
	}
	if (err) {
		fail(ld, sa, "IKE_SA_INIT: refused with %s",
		     notify_text(err->type));
		return;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || !ike_msg_has(m, IKE_PL_KE) ||
	    !ike_msg_has(m, IKE_PL_NONCE) || !memcmp(m->hdr.rspi, zero, 8)) {
		fail(ld, sa, "IKE_SA_INIT: the response lacks SA, KE, Nr or SPIr");
		return;
	}
	if (!chose_ours(m, &ike_offer) || m->ke.group != IKE_KE_ECP256) {
		fail(ld, sa, "IKE_SA_INIT: the responder chose what we did not offer");
		return;
	}
	memcpy(sa->spi_r, m->hdr.rspi, IKE_SPI_LEN);
	memcpy(sa->nr, m->nonce.p, m->nonce.len);
	sa->nr_len = m->nonce.len;
	ike_buf_free(&sa->resp);
	sa->resp.p = malloc(len);
	if (!sa->resp.p) {
		fail(ld, sa, "out of memory");
		return;
	}
	memcpy(sa->resp.p, p, len);
	sa->resp.len = len;
	ret = derive(ld, sa, m);
	if (ret) {
		fail(ld, sa, "IKE_SA_INIT: %s", ret == IKE_CRYPTO_EKEVAL ?
		     "the responder's KE is not a point of the curve" :
		     "key derivation failed");
		return;
	}
	if (build_auth(ld, sa)) {
		fail(ld, sa, "IKE_AUTH: cannot build the request");
		return;
	}
	sa->state = LSA_AUTH_SENT;
	transmit(ld, sa, &sa->auth);
}

/* The responder's IKE_AUTH answer, its SK payload already decrypted. */
static void auth_answer(struct load *ld, struct lsa *sa,
			const struct ike_msg *m)
{
	const struct ike_pl_notify *err = notify_of(m, 0);

	if (err) {
		fail(ld, sa, "IKE_AUTH: refused with %s",
		     notify_text(err->type));
		return;
	}
	if (!ike_msg_has(m, IKE_PL_IDR) || !ike_msg_has(m, IKE_PL_AUTH) ||
	    m->auth.method != IKE_AUTH_PSK ||
	    m->idr.data.len > ID_MAX ||
	    psk_auth(ld, sa->keys.sk_pr, &sa->resp, sa->ni, IKE_NONCE_LEN,
		     &m->idr, NULL, &m->auth.data)) {
		fail(ld, sa, "IKE_AUTH: the responder's AUTH does not verify with the PSK");
		return;
	}
	if (!ike_msg_has(m, IKE_PL_SA) || !chose_ours(m, &esp_offer)) {
		fail(ld, sa, "IKE_AUTH: the CHILD_SA is not the ESP proposal we offered");
		return;
	}
	if (!ike_msg_has(m, IKE_PL_TSI) || !ike_msg_has(m, IKE_PL_TSR) ||
	    !is_our_ts(&m->tsi, 128, sa->j) || !is_our_ts(&m->tsr, 129, sa->j)) {
		fail(ld, sa, "IKE_AUTH: the traffic selectors are not our /32s");
		return;
	}
	succeed(ld, sa);
}

static void auth_response(struct load *ld, struct lsa *sa, struct ike_msg *m,
			  const uint8_t *p)
{
	static uint8_t plain[IKE_MSG_MAX];
	struct ike_err err;
	ssize_t n;

	if (!ike_msg_has(m, IKE_PL_SK)) {
		fail(ld, sa, "IKE_AUTH: a response without an SK payload");
		return;
	}
	n = ike_sk_decrypt(&sa->sk_in, p, m->sk.off + IKE_PL_HDR_LEN,
			   m->sk.body.p, m->sk.body.len, plain, sizeof(plain));
	if (n < 0) {
		fail(ld, sa, "IKE_AUTH: SK payload: %s", ike_crypto_strerror(n));
		return;
	}
	if (ike_payloads_decode(m->sk.first, plain, n, m, &err)) {
		fail(ld, sa, "IKE_AUTH: %s", err.msg);
		return;
	}
	auth_answer(ld, sa, m);
}

static void input(struct load *ld, const uint8_t *p, size_t len)
{
	static struct ike_msg m;
	struct ike_err err;
	struct lsa *sa;
	int bad;

	memset(&m, 0, sizeof(m));
	bad = ike_msg_decode(p, len, &m, &err);
	sa = len >= IKE_HDR_LEN ? sa_of(ld, m.hdr.ispi) : NULL;
	/* requests (a responder's DPD) and late duplicates are not ours */
	if (!sa || !(m.hdr.flags & IKE_FLAG_RESPONSE) ||
	    (sa->state != LSA_INIT_SENT && sa->state != LSA_AUTH_SENT)) {
		ld->ignored++;
		return;
	}
	if (bad) {
		fail(ld, sa, "a response we cannot decode: %s", err.msg);
		return;
	}
	if (sa->state == LSA_INIT_SENT && m.hdr.exchange == IKE_SA_INIT &&
	    m.hdr.msg_id == 0)
		init_response(ld, sa, &m, p, len);
	else if (sa->state == LSA_AUTH_SENT && m.hdr.exchange == IKE_AUTH &&
		 m.hdr.msg_id == 1 &&
		 !memcmp(m.hdr.rspi, sa->spi_r, IKE_SPI_LEN))
		auth_response(ld, sa, &m, p);
	else
		ld->ignored++;
}

/* ---- the loop ---- */

static void receive_all(struct load *ld)
{
	static uint8_t buf[IKE_MSG_MAX];
	ssize_t n;

	for (;;) {
		n = recv(ld->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n >= 0)
			input(ld, buf, n);
		else if (errno != ECONNREFUSED && errno != EINTR)
			return;		/* EAGAIN, or retransmissions will tell */
	}
}

static void run_timers(struct load *ld)
{
	uint64_t now = now_ms();
	struct lsa *sa;
	uint32_t i;

	for (i = 0; i < ld->conc; i++) {
		if (ld->slots[i] == NO_SA)
			continue;
		sa = &ld->sa[ld->slots[i]];
		if (now < sa->next_at)
			continue;
		if (sa->tries >= ld->tries) {
			fail(ld, sa, "%s: no response after %u retransmissions",
			     sa->state == LSA_INIT_SENT ? "IKE_SA_INIT" :
			     "IKE_AUTH", sa->tries);
			continue;
		}
		sa->tries++;
		ld->retransmits++;
		sa->next_at = now + ld->timeout_ms;
		if (send(ld->fd, sa->req->p, sa->req->len, 0) < 0 &&
		    errno != EAGAIN && errno != ECONNREFUSED)
			perror("ike_load: send");
	}
}

/* Milliseconds until the next retransmission is due. */
static int next_timeout(const struct load *ld)
{
	uint64_t now = now_ms(), first = UINT64_MAX;
	uint32_t i;

	for (i = 0; i < ld->conc; i++)
		if (ld->slots[i] != NO_SA &&
		    ld->sa[ld->slots[i]].next_at < first)
			first = ld->sa[ld->slots[i]].next_at;
	if (first == UINT64_MAX)
		return -1;
	return first > now ? (int)(first - now) : 0;
}

static int run(struct load *ld)
{
	struct pollfd pfd = { .fd = ld->fd, .events = POLLIN };
	uint32_t i;

	for (i = 0; i < ld->conc && ld->next < ld->n; i++)
		start(ld, &ld->sa[ld->next++], i);
	while (ld->active) {
		if (poll(&pfd, 1, next_timeout(ld)) < 0 && errno != EINTR) {
			perror("ike_load: poll");
			return -1;
		}
		receive_all(ld);
		run_timers(ld);
	}
	return 0;
}

/* ---- setup ---- */

/* Keys, nonces, SPIs and the first request of every SA: before the clock. */
static int prepare(struct load *ld)
{
	uint8_t key[IKE_SPI_LEN];
	uint32_t i, be;

	ld->sa = calloc(ld->n, sizeof(*ld->sa));
	ld->slots = malloc(ld->conc * sizeof(*ld->slots));
	if (!ld->sa || !ld->slots || ike_spi_new(key))
		return -1;
	memcpy(&ld->spi_key, key, sizeof(ld->spi_key));
	for (i = 0; i < ld->conc; i++)
		ld->slots[i] = NO_SA;
	for (i = 0; i < ld->n; i++) {
		struct lsa *sa = &ld->sa[i];

		sa->j = ld->base + i + 1;
		if (ecp_new(sa) || ike_spi_new(sa->spi_i) ||
		    ike_nonce_new(sa->ni))
			return -1;
		be = htonl(i ^ ld->spi_key);
		memcpy(sa->spi_i + 4, &be, 4);
		if (build_init(ld, sa, NULL, 0))
			return -1;
	}
	return 0;
}

/*
 * One socket connected to the responder: it hears only from there, and
 * getsockname() tells the local address the NAT detection hashes need.
 */
static int open_socket(struct load *ld, uint16_t port)
{
	socklen_t len = sizeof(ld->local);
	int rcvbuf = 4 << 20;

	ld->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ld->fd < 0)
		return -1;
	/* a burst of C responses must not overflow it */
	setsockopt(ld->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	ld->local.sin_family = AF_INET;
	ld->local.sin_port = htons(port);
	if (bind(ld->fd, (struct sockaddr *)&ld->local, sizeof(ld->local)) ||
	    connect(ld->fd, (struct sockaddr *)&ld->remote,
		    sizeof(ld->remote)) ||
	    getsockname(ld->fd, (struct sockaddr *)&ld->local, &len))
		return -1;
	return 0;
}

static void report(const struct load *ld, double cpu)
{
	double secs = ld->done ? (ld->t_last - ld->t0) / 1e9 : 0;

	printf("established %u in %.3f s: %.1f/s\n", ld->done, secs,
	       secs > 0 ? ld->done / secs : 0);
	printf("failed %u, retransmissions %lu, cookies %lu, restarts %lu, ignored %lu, initiator CPU %.2f s\n",
	       ld->failed, ld->retransmits, ld->cookies, ld->restarts,
	       ld->ignored, cpu);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ike_load [-n N] [-c C] [-b BASE] [-s PSK] [-p PORT] [-t MS] [-r TRIES] RESPONDER\n"
		"  -n  IKE SAs to establish (default 1000)\n"
		"  -c  negotiations in flight (default 32)\n"
		"  -b  first index: SA i is load-(BASE+i+1).test, 10.128/10.129.(BASE+i+1)/32\n"
		"  -s  the pre-shared key (default bench-psk-0123456789)\n"
		"  -p  our UDP port (default 500)\n"
		"  -t  retransmission interval in ms (default 2000)\n"
		"  -r  retransmissions before a negotiation fails (default 3)\n");
	exit(2);
}

static unsigned int number(const char *s, unsigned int max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	struct load ld = {
		.psk = "bench-psk-0123456789",
		.n = 1000, .conc = 32, .tries = 3, .timeout_ms = 2000,
	};
	unsigned int port = IKE_PORT;
	double cpu;
	int c;

	while ((c = getopt(argc, argv, "n:c:b:s:p:t:r:")) != -1) {
		switch (c) {
		case 'n': ld.n = number(optarg, MAX_SAS); break;
		case 'c': ld.conc = number(optarg, MAX_SAS); break;
		case 'b': ld.base = number(optarg, MAX_SAS); break;
		case 's': ld.psk = optarg; break;
		case 'p': port = number(optarg, 65535); break;
		case 't': ld.timeout_ms = number(optarg, 600000); break;
		case 'r': ld.tries = number(optarg, 100); break;
		default: usage();
		}
	}
	if (optind + 1 != argc || !ld.n || !ld.conc || !ld.timeout_ms ||
	    ld.base + ld.n > MAX_SAS || !*ld.psk ||
	    inet_pton(AF_INET, argv[optind], &ld.remote.sin_addr) != 1)
		usage();
	ld.remote.sin_family = AF_INET;
	ld.remote.sin_port = htons(IKE_PORT);
	ld.prf = ike_prf_find(IKE_PRF_HMAC_SHA2_256);
	ld.encr = ike_encr_find(IKE_ENCR_AES_CBC, 128);
	ld.integ = ike_integ_find(IKE_INTEG_HMAC_SHA2_256_128);
	if (!ld.prf || !ld.encr || !ld.integ || open_socket(&ld, port)) {
		perror("ike_load: socket");
		return 2;
	}
	if (prepare(&ld)) {
		fprintf(stderr, "ike_load: cannot prepare %u SAs\n", ld.n);
		return 2;
	}
	cpu = cpu_seconds();
	if (run(&ld))
		return 2;
	report(&ld, cpu_seconds() - cpu);
	/* each SA freed what it held when it finished */
	free(ld.sa);
	free(ld.slots);
	close(ld.fd);
	return ld.done == ld.n ? 0 : 1;
}
