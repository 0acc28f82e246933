// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 as responder (ike/v1/): the daemon runs on "sun", and the test
 * plays the initiator "moon" itself, building each message with
 * ike/v1/msg.h and keying it with ike/v1/keys.h (both checked against
 * external bytes and NIST vectors in their own tests), so that the
 * daemon's answers are checked against a derivation that is not the
 * daemon's own run. The clock, log and network are ike_fakes.h's; the
 * kernel is faked here and records the SAs and policies it is given.
 *
 * RFC 2409 section 5.4 (Main Mode with pre-shared keys), 5.5 (Quick
 * Mode) and appendix B (IVs); RFC 2408 section 3.14.1 (notifies before
 * an SA exists).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_fakes.h"
#include "ike/v1/keys.h"
#include "ike/v1/msg.h"
#include <linux/kipsec.h>

/* ---- the fake kernel ---- */

#define KSA_MAX		8
#define KPOL_MAX	16

static struct sa ksa[KSA_MAX];
static size_t n_ksa;
static struct policy kpol[KPOL_MAX];
static uint32_t kpol_id[KPOL_MAX];
static size_t n_kpol;
static uint32_t next_spi, next_policy_id;

int ike_kernel_alloc_spi(struct ike_kernel *k, const struct addr *src,
			 const struct addr *dst, uint32_t *spi)
{
	(void)k;
	(void)src;
	(void)dst;
	*spi = next_spi++;
	return 0;
}

int ike_kernel_sa_add(struct ike_kernel *k, const struct sa *sa)
{
	(void)k;
	assert_true(n_ksa < KSA_MAX);
	ksa[n_ksa++] = *sa;
	return 0;
}

int ike_kernel_sa_del(struct ike_kernel *k, const struct addr *dst,
		      uint32_t spi)
{
	size_t i;

	(void)k;
	(void)dst;
	for (i = 0; i < n_ksa; i++) {
		if (ksa[i].spi == spi) {
			ksa[i] = ksa[--n_ksa];
			return 0;
		}
	}
	return 0;	/* an SPI reserved, never added */
}

int ike_kernel_sa_stats(struct ike_kernel *k, const struct addr *dst,
			uint32_t spi, struct counters *stats)
{
	(void)k;
	(void)dst;
	(void)spi;
	memset(stats, 0, sizeof(*stats));
	return 0;
}

int ike_kernel_policy_add(struct ike_kernel *k, const struct policy *p,
			  uint32_t *id)
{
	(void)k;
	assert_true(n_kpol < KPOL_MAX);
	kpol[n_kpol] = *p;
	kpol_id[n_kpol++] = *id = ++next_policy_id;
	return 0;
}

int ike_kernel_policy_del(struct ike_kernel *k, uint32_t id)
{
	size_t i;

	(void)k;
	for (i = 0; i < n_kpol; i++) {
		if (kpol_id[i] == id) {
			kpol[i] = kpol[--n_kpol];
			kpol_id[i] = kpol_id[n_kpol];
			return 0;
		}
	}
	fail_msg("policy %u deleted twice or never added", id);
	return -1;
}

int ike_kernel_link_if_id(struct ike_kernel *k, const char *name,
			  uint32_t *if_id)
{
	(void)k;
	(void)name;
	*if_id = 0;
	return 0;
}

/* ---- sun's configuration ---- */

/* "kipsec-unit-test", as the secret below says it in hex */
static const char psk_hex[] = "0x6b69707365632d756e69742d74657374";
static const uint8_t psk[] = "kipsec-unit-test";
#define PSK_LEN		(sizeof(psk) - 1)

static void write_conf(struct host *h, const struct host *peer)
{
	FILE *f = fopen(h->conf, "w");

	assert_non_null(f);
	fprintf(f,
		"connections {\n"
		"  gw {\n"
		"    version = 1\n"
		"    local_addrs = %s\n"
		"    remote_addrs = %s\n"
		"    proposals = aes256-sha256-modp2048\n"
		"    local {\n      auth = psk\n      id = %s.test\n    }\n"
		"    remote {\n      auth = psk\n      id = %s.test\n    }\n"
		"    children {\n"
		"      net {\n"
		"        local_ts = 10.2.0.0/16\n"
		"        remote_ts = 10.1.0.0/16\n"
		"        esp_proposals = aes128-sha256, aes128-sha256-modp2048\n"
		"      }\n"
		"      lan {\n"
		"        local_ts = 10.4.0.0/16\n"
		"        remote_ts = 10.3.0.0/16\n"
		"        esp_proposals = aes128-sha256-modp2048\n"
		"      }\n"
		"      web {\n"
		"        local_ts = 10.6.0.0/16\n"
		"        remote_ts = 10.5.0.0/16\n"
		"        esp_proposals = aes128-sha256\n"
		"      }\n"
		"    }\n"
		"  }\n"
		"}\n"
		"secrets {\n"
		"  ike-gw {\n    id = %s.test\n    secret = %s\n  }\n"
		"}\n",
		h->addr, peer->addr, h->name, peer->name, peer->name, psk_hex);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	n_ksa = n_kpol = 0;
	next_spi = 0xc0000001;
	next_policy_id = 0;
	host_start(&sun, &moon, write_conf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_stop(&sun);
	assert_int_equal(n_ksa, 0);	/* nothing left behind in the kernel */
	assert_int_equal(n_kpol, 0);
	return 0;
}

/* ---- moon: the initiator the test plays ---- */

struct moon1 {
	uint8_t ci[IKE1_COOKIE_LEN], cr[IKE1_COOKIE_LEN];
	struct ike_kex *kex;
	uint8_t gxi[256], gxr[256];
	size_t gxi_len, gxr_len;
	uint8_t ni[32], nr[IKE1_NONCE_MAX];
	size_t nr_len;
	uint8_t sai_b[512];
	size_t sai_len;
	const struct ike_prf_alg *prf;
	const struct ike_encr_alg *encr;
	struct ike1_sa_keys keys;
	struct ike1_ivs ivs;
	struct datagram last;		/* the last message moon sent */
};

static void moon_send(struct moon1 *mo, const uint8_t *p, size_t len)
{
	struct datagram *q = &mo->last;

	memset(q, 0, sizeof(*q));
	q->from = &moon;
	q->to = &sun;
	ss_from_addr(&(struct addr){ .family = AF_INET,
				     .bytes = { 192, 0, 2, 1 } }, 500, &q->src);
	ss_from_addr(&(struct addr){ .family = AF_INET,
				     .bytes = { 192, 0, 2, 2 } }, 500, &q->dst);
	assert_true(len <= sizeof(q->p));
	memcpy(q->p, p, len);
	q->len = len;
	deliver(q);
}

/* A plain message of moon's: header, then chain (freed). */
static void moon_send_plain(struct moon1 *mo, uint8_t ex, uint32_t mid,
			    struct ike1_buf *chain)
{
	struct ike1_hdr h = { .exchange = ex, .msg_id = mid };
	struct ike1_buf b = { 0 };

	memcpy(h.icookie, mo->ci, IKE1_COOKIE_LEN);
	memcpy(h.rcookie, mo->cr, IKE1_COOKIE_LEN);
	ike1_msg_start(&b, &h);
	ike1_put_chain(&b, chain);
	assert_int_equal(ike1_msg_finish(&b), 0);
	moon_send(mo, b.p, b.len);
	ike1_buf_free(&b);
	ike1_buf_free(chain);
}

/* chain (freed) encrypted under moon's keys for exchange ex, mid. */
static void moon_send_encrypted(struct moon1 *mo, uint8_t ex, uint32_t mid,
				struct ike1_buf *chain)
{
	struct ike1_hdr h = { .exchange = ex, .msg_id = mid,
			      .flags = IKE1_FLAG_ENCRYPTION };
	uint8_t out[4096];
	ssize_t n;

	assert_false(chain->failed);
	memcpy(h.icookie, mo->ci, IKE1_COOKIE_LEN);
	memcpy(h.rcookie, mo->cr, IKE1_COOKIE_LEN);
	h.next = chain->first;
	n = ike1_encrypt(&mo->ivs, mo->keys.enc_key, mid, chain->p, chain->len,
			 out + IKE1_HDR_LEN, sizeof(out) - IKE1_HDR_LEN);
	assert_true(n > 0);
	h.len = IKE1_HDR_LEN + n;
	ike1_hdr_encode(&h, out);
	moon_send(mo, out, h.len);
	ike1_buf_free(chain);
}

/* sun's answer: the one datagram in flight, to moon, decoded into m. */
static struct datagram sun_answer(struct ike1_msg *m)
{
	struct ike1_err err = { 0 };
	struct datagram q;

	assert_int_equal(queued, 1);
	q = take();
	assert_ptr_equal(q.to, &moon);
	memset(m, 0, sizeof(*m));
	if (ike1_msg_decode(q.p, q.len, m, &err))
		fail_msg("sun's answer does not decode: %s", err.msg);
	return q;
}

/* Decrypt an answer of sun's, decoded by sun_answer(), into plain. */
static void moon_decrypt(struct moon1 *mo, struct ike1_msg *m,
			 uint8_t *plain, size_t size)
{
	struct ike1_err err = { 0 };
	ssize_t n;

	assert_true(m->hdr.flags & IKE1_FLAG_ENCRYPTION);
	n = ike1_decrypt(&mo->ivs, mo->keys.enc_key, m->hdr.msg_id,
			 m->body.p, m->body.len, plain, size);
	assert_true(n > 0);
	if (ike1_payloads_decode(m->hdr.next, plain, n, m, &err))
		fail_msg("sun's answer does not decrypt: %s", err.msg);
	ike1_iv_confirm(&mo->ivs, m->hdr.msg_id);
}

/* The one notify of an unprotected Informational of sun's. */
static uint16_t sun_notify(void)
{
	struct ike1_msg m;

	sun_answer(&m);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_INFO);
	assert_false(m.hdr.flags & IKE1_FLAG_ENCRYPTION);
	assert_int_equal(m.n_notify, 1);
	return m.notify[0].type;
}

/* One Phase 1 transform: AES-CBC keybits, hash, PSK, group, 8 hours. */
static void phase1_offer(struct ike1_pl_sa *sa, uint16_t encr,
			 uint16_t keybits, uint16_t hash, uint16_t group)
{
	struct ike1_transform *t = &sa->tr[0];
	uint16_t v[][2] = {
		{ IKE1_P1_ENCR, encr }, { IKE1_P1_KEY_LENGTH, keybits },
		{ IKE1_P1_HASH, hash }, { IKE1_P1_AUTH_METHOD, IKE1_AUTH_PSK },
		{ IKE1_P1_GROUP_DESC, group },
		{ IKE1_P1_LIFE_TYPE, IKE1_LIFE_SECONDS },
		{ IKE1_P1_LIFE_DURATION, 28800 },
	};
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->doi = IKE1_DOI_IPSEC;
	sa->situation = IKE1_SIT_IDENTITY_ONLY;
	sa->n_prop = 1;
	sa->prop[0] = (struct ike1_proposal){ .num = 1,
		.proto = IKE1_PROTO_ISAKMP, .n_tr = 1 };
	sa->n_tr = 1;
	t->num = 1;
	t->id = IKE1_KEY_IKE;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (!keybits && v[i][0] == IKE1_P1_KEY_LENGTH)
			continue;
		t->attr[t->n_attr++] = (struct ike1_attr){
			.type = v[i][0], .tv = true, .val = v[i][1] };
	}
}

/* Message 1 with sa; sun's answer decoded into m. */
static void moon_mm1(struct moon1 *mo, const struct ike1_pl_sa *sa,
		     struct ike1_msg *m)
{
	struct ike1_buf chain = { 0 };
	struct ike1_bytes body;

	memset(mo, 0, sizeof(*mo));
	memcpy(mo->ci, "\x11\x22\x33\x44\x55\x66\x77\x88", IKE1_COOKIE_LEN);
	ike1_put_sa(&chain, sa);
	body = ike1_last_body(&chain);
	assert_true(body.len <= sizeof(mo->sai_b));
	memcpy(mo->sai_b, body.p, body.len);
	mo->sai_len = body.len;
	moon_send_plain(mo, IKE1_EXCH_MAIN, 0, &chain);
	sun_answer(m);
}

/* Messages 1 to 4 with AES-256, SHA2-256, MODP-2048; keys from key. */
static void moon_mm1_to_4(struct moon1 *mo, const uint8_t *key,
			  size_t key_len)
{
	struct ike1_pl_sa sa;
	struct ike1_msg m;
	struct ike1_buf chain = { 0 };
	uint8_t gxy[256];
	ssize_t n;

	phase1_offer(&sa, IKE1_ENCR_AES_CBC, 256, IKE1_HASH_SHA2_256, 14);
	moon_mm1(mo, &sa, &m);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_MAIN);
	assert_memory_equal(m.hdr.icookie, mo->ci, IKE1_COOKIE_LEN);
	memcpy(mo->cr, m.hdr.rcookie, IKE1_COOKIE_LEN);
	assert_int_equal(m.sa.n_tr, 1);

	mo->kex = ike_kex_new(14);
	assert_non_null(mo->kex);
	n = ike_kex_public(mo->kex, mo->gxi, sizeof(mo->gxi));
	assert_int_equal(n, 256);
	mo->gxi_len = n;
	memset(mo->ni, 0x4e, sizeof(mo->ni));
	ike1_put_bytes(&chain, IKE1_PL_KE,
		       &(struct ike1_bytes){ mo->gxi, mo->gxi_len });
	ike1_put_bytes(&chain, IKE1_PL_NONCE,
		       &(struct ike1_bytes){ mo->ni, sizeof(mo->ni) });
	moon_send_plain(mo, IKE1_EXCH_MAIN, 0, &chain);
	sun_answer(&m);
	assert_true(ike1_msg_has(&m, IKE1_PL_KE));
	assert_true(ike1_msg_has(&m, IKE1_PL_NONCE));
	assert_int_equal(m.ke.len, 256);
	memcpy(mo->gxr, m.ke.p, m.ke.len);
	mo->gxr_len = m.ke.len;
	memcpy(mo->nr, m.nonce.p, m.nonce.len);
	mo->nr_len = m.nonce.len;

	n = ike_kex_shared(mo->kex, mo->gxr, mo->gxr_len, gxy, sizeof(gxy));
	assert_int_equal(n, 256);
	ike_kex_free(mo->kex);
	mo->prf = ike1_hash_find(IKE1_HASH_SHA2_256);
	mo->encr = ike1_encr_find(IKE1_ENCR_AES_CBC, 256);
	assert_int_equal(ike1_sa_keys_derive(&mo->keys, mo->prf, mo->encr,
					     IKE1_SKEYID_PSK,
					     &(struct ike1_kdf_in){
		.ni = mo->ni, .ni_len = sizeof(mo->ni),
		.nr = mo->nr, .nr_len = mo->nr_len,
		.gxy = gxy, .gxy_len = n, .cky_i = mo->ci, .cky_r = mo->cr,
		.psk = key, .psk_len = key_len }), 0);
	assert_int_equal(ike1_ivs_init(&mo->ivs, mo->prf, mo->encr, mo->gxi,
				       mo->gxi_len, mo->gxr, mo->gxr_len), 0);
}

static struct ike1_auth_in moon_auth_in(const struct moon1 *mo,
					const struct ike1_bytes *id_b)
{
	return (struct ike1_auth_in){
		.gxi = mo->gxi, .gxi_len = mo->gxi_len,
		.gxr = mo->gxr, .gxr_len = mo->gxr_len,
		.cky_i = mo->ci, .cky_r = mo->cr,
		.sai_b = mo->sai_b, .sai_len = mo->sai_len,
		.id_b = id_b->p, .id_len = id_b->len,
	};
}

/* Message 5: IDii moon.test, HASH_I (flipped in its last bit if bad). */
static void moon_mm5(struct moon1 *mo, bool bad_hash)
{
	static const char id[] = "moon.test";
	struct ike1_buf chain = { 0 };
	uint8_t idb[64], hash[IKE_PRF_OUT_MAX];
	struct ike1_bytes body;
	struct ike1_auth_in in;

	ike1_put_id(&chain, &(struct ike1_pl_id){ .type = IKE1_ID_FQDN,
		.data = { (const uint8_t *)id, sizeof(id) - 1 } });
	body = ike1_last_body(&chain);
	memcpy(idb, body.p, body.len);
	in = moon_auth_in(mo, &(struct ike1_bytes){ idb, body.len });
	assert_true(ike1_hash_i(&mo->keys, &in, hash) >= 0);
	if (bad_hash)
		hash[mo->prf->out_len - 1] ^= 1;
	ike1_put_bytes(&chain, IKE1_PL_HASH,
		       &(struct ike1_bytes){ hash, mo->prf->out_len });
	moon_send_encrypted(mo, IKE1_EXCH_MAIN, 0, &chain);
}

/* Message 6: IDir sun.test and a HASH_R that verifies. */
static void moon_check_mm6(struct moon1 *mo)
{
	uint8_t plain[2048], hash[IKE_PRF_OUT_MAX];
	struct ike1_auth_in in;
	struct ike1_msg m;

	sun_answer(&m);
	moon_decrypt(mo, &m, plain, sizeof(plain));
	assert_int_equal(m.n_id, 1);
	assert_int_equal(m.id[0].type, IKE1_ID_FQDN);
	assert_int_equal(m.id[0].data.len, 8);
	assert_memory_equal(m.id[0].data.p, "sun.test", 8);
	in = moon_auth_in(mo, &m.id[0].body);
	assert_true(ike1_hash_r(&mo->keys, &in, hash) >= 0);
	assert_int_equal(m.hash.len, mo->prf->out_len);
	assert_memory_equal(m.hash.p, hash, m.hash.len);
}

static void moon_main_mode(struct moon1 *mo)
{
	moon_mm1_to_4(mo, psk, PSK_LEN);
	assert_sa(&sun, IKESA_HALF_OPEN);
	moon_mm5(mo, false);
	moon_check_mm6(mo);
	assert_sa(&sun, IKESA_ESTABLISHED);
}

static void moon_free(struct moon1 *mo)
{
	ike1_sa_keys_clear(&mo->keys);
	ike1_ivs_clear(&mo->ivs);
}

/* ---- the tests: Main Mode ---- */

/* Six messages; sun's answers check out with moon's own derivation. */
static void test_main_mode(void **state)
{
	struct moon1 mo;
	char status[2048];
	FILE *f;

	(void)state;
	moon_main_mode(&mo);
	assert_logged("gw: IKE SA NEW -> HALF_OPEN");
	assert_logged("gw: IKE SA HALF_OPEN -> ESTABLISHED");
	assert_logged("gw: ISAKMP SA established with moon.test (responder, IKEv1 Main Mode, ENCR_AES_CBC_256/PRF_HMAC_SHA2_256/MODP_2048)");
	assert_int_equal(queued, 0);	/* the responder waits */
	clock_to(clock_ms + 60000);
	assert_int_equal(queued, 0);	/* ... and never repeats message 6 */
	assert_sa(&sun, IKESA_ESTABLISHED);
	f = fmemopen(status, sizeof(status), "w");
	assert_non_null(f);
	ikesa_status(&sun.d, f, false);
	fclose(f);
	if (!strstr(status, "gw: ESTABLISHED, IKEv1 Main Mode, responder 192.0.2.2[500] <-> 192.0.2.1[500] moon.test, SPIs 1122334455667788_i "))
		fail_msg("status: %s", status);
	moon_free(&mo);
}

/* Message 5 again (6 was lost): the same message 6, byte for byte. */
static void test_mm5_repeated(void **state)
{
	struct datagram mm6, again;
	struct ike1_msg m;
	struct moon1 mo;

	(void)state;
	moon_mm1_to_4(&mo, psk, PSK_LEN);
	moon_mm5(&mo, false);
	mm6 = sun_answer(&m);
	deliver(&mo.last);
	again = sun_answer(&m);
	assert_int_equal(again.len, mm6.len);
	assert_memory_equal(again.p, mm6.p, mm6.len);
	assert_sa(&sun, IKESA_ESTABLISHED);
	moon_free(&mo);
}

/*
 * Another PSK on moon's side: sun's key decrypts message 5 to noise,
 * which does not parse: PAYLOAD-MALFORMED, as charon answers, and the
 * sentence that names the likely cause.
 */
static void test_wrong_psk(void **state)
{
	static const uint8_t other[] = "not-the-same-key";
	struct moon1 mo;

	(void)state;
	moon_mm1_to_4(&mo, other, sizeof(other) - 1);
	moon_mm5(&mo, false);
	assert_int_equal(sun_notify(), IKE1_N_PAYLOAD_MALFORMED);
	/* what the noise looks like varies with the DH values: not checked */
	assert_logged("gw: IKEv1 Main Mode: message 5 does not decrypt to IDii and HASH_I (");
	assert_logged("): the pre-shared keys most likely differ: refused with PAYLOAD-MALFORMED");
	clock_to(clock_ms);
	assert_no_sa(&sun);
	moon_free(&mo);
}

/* Message 5 decrypts, but HASH_I is not the one the PSK makes. */
static void test_hash_i_mismatch(void **state)
{
	struct moon1 mo;

	(void)state;
	moon_mm1_to_4(&mo, psk, PSK_LEN);
	moon_mm5(&mo, true);
	assert_int_equal(sun_notify(), IKE1_N_AUTHENTICATION_FAILED);
	assert_logged("gw: IKEv1 Main Mode: HASH_I of message 5 does not verify: the pre-shared keys most likely differ: refused with AUTHENTICATION-FAILED");
	clock_to(clock_ms);
	assert_no_sa(&sun);
	moon_free(&mo);
}

/* Message 1 offers 3DES, SHA-1, MODP-1024: nothing sun takes. */
static void test_mm1_no_proposal(void **state)
{
	struct ike1_pl_sa sa;
	struct ike1_msg m;
	struct moon1 mo;

	(void)state;
	phase1_offer(&sa, IKE1_ENCR_3DES_CBC, 0, IKE1_HASH_SHA1, 2);
	moon_mm1(&mo, &sa, &m);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_INFO);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKE1_N_NO_PROPOSAL_CHOSEN);
	assert_logged("gw: IKEv1 Main Mode from 192.0.2.1[500]: no proposal chosen: encryption algorithm differs (we accept AES_CBC_256; peer offered 3DES); hash algorithm differs (we accept HMAC_SHA2_256; peer offered HMAC_SHA1); DH group differs (we accept MODP_2048; peer offered MODP_1024); the peer's 3DES, MODP_1024 are legacy (RFC 9395), refused unless the connection sets weak_algorithms = yes: refused with NO-PROPOSAL-CHOSEN");
	assert_no_sa(&sun);
}

/* ---- the tests: Informational (RFC 2409 section 5.7, RFC 3706) ---- */

/* An Informational of moon's: HDR*, HASH(1), then chain (freed). */
static void moon_send_info(struct moon1 *mo, uint32_t mid,
			   struct ike1_buf *chain)
{
	uint8_t hash[IKE_PRF_OUT_MAX];
	struct ike1_buf b = { 0 };

	assert_true(ike1_hash_msg(&mo->keys, mid, chain->p, chain->len,
				  hash) >= 0);
	ike1_put_bytes(&b, IKE1_PL_HASH,
		       &(struct ike1_bytes){ hash, mo->prf->out_len });
	ike1_put_chain(&b, chain);
	ike1_buf_free(chain);
	moon_send_encrypted(mo, IKE1_EXCH_INFO, mid, &b);
}

static void moon_cookies(const struct moon1 *mo, uint8_t *spi)
{
	memcpy(spi, mo->ci, IKE1_COOKIE_LEN);
	memcpy(spi + IKE1_COOKIE_LEN, mo->cr, IKE1_COOKIE_LEN);
}

/* R-U-THERE 0x1234abcd: R-U-THERE-ACK with the same number, HASH(1) good. */
static void test_dpd(void **state)
{
	static const uint8_t seq[4] = { 0x12, 0x34, 0xab, 0xcd };
	uint8_t spi[16], plain[1024], hash[IKE_PRF_OUT_MAX];
	struct ike1_buf chain = { 0 };
	struct ike1_msg m;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_cookies(&mo, spi);
	ike1_put_notify(&chain, &(struct ike1_pl_notify){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.type = IKE1_N_R_U_THERE, .spi = { spi, 16 },
		.data = { seq, 4 } });
	moon_send_info(&mo, 0x01020304, &chain);
	sun_answer(&m);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_INFO);
	assert_true(m.hdr.msg_id != 0 && m.hdr.msg_id != 0x01020304);
	moon_decrypt(&mo, &m, plain, sizeof(plain));
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKE1_N_R_U_THERE_ACK);
	assert_int_equal(m.notify[0].spi.len, 16);
	assert_memory_equal(m.notify[0].spi.p, spi, 16);
	assert_int_equal(m.notify[0].data.len, 4);
	assert_memory_equal(m.notify[0].data.p, seq, 4);
	assert_true(ike1_hash_msg(&mo.keys, m.hdr.msg_id, m.after_hash.p,
				  m.after_hash.len, hash) >= 0);
	assert_memory_equal(m.hash.p, hash, m.hash.len);
	assert_sa(&sun, IKESA_ESTABLISHED);
	moon_free(&mo);
}

/* The same R-U-THERE with HASH(1) wrong: dropped, no answer. */
static void test_dpd_bad_hash(void **state)
{
	uint8_t spi[16], hash[IKE_PRF_OUT_MAX] = { 0 };
	struct ike1_buf chain = { 0 }, b = { 0 };
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_cookies(&mo, spi);
	ike1_put_bytes(&b, IKE1_PL_HASH,
		       &(struct ike1_bytes){ hash, mo.prf->out_len });
	ike1_put_notify(&chain, &(struct ike1_pl_notify){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.type = IKE1_N_R_U_THERE, .spi = { spi, 16 },
		.data = { (const uint8_t *)"\0\0\0\1", 4 } });
	ike1_put_chain(&b, &chain);
	ike1_buf_free(&chain);
	moon_send_encrypted(&mo, IKE1_EXCH_INFO, 7, &b);
	assert_int_equal(queued, 0);
	assert_logged("gw: an Informational dropped: HASH(1) does not verify");
	assert_sa(&sun, IKESA_ESTABLISHED);
	moon_free(&mo);
}

/* moon deletes the ISAKMP SA: sun forgets it, without an answer. */
static void test_peer_deletes_isakmp_sa(void **state)
{
	struct ike1_buf chain = { 0 };
	uint8_t spi[16];
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_cookies(&mo, spi);
	ike1_put_delete(&chain, &(struct ike1_pl_delete){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ISAKMP,
		.spi_size = 16, .n_spi = 1, .spis = spi });
	moon_send_info(&mo, 0x0badcafe, &chain);
	assert_int_equal(queued, 0);
	assert_logged("gw: the peer deleted the ISAKMP SA");
	assert_no_sa(&sun);
	moon_free(&mo);
}

/* ---- Quick Mode (RFC 2409 section 5.5) ---- */

/* One Quick Mode of moon's: what it sent and what it keeps. */
struct moon_qm {
	uint32_t mid;
	uint8_t spi_i[4], spi_r[4];	/* moon's SPI, sun's */
	uint8_t ni[32], nr[IKE1_NONCE_MAX];
	size_t nr_len;
	uint16_t group;			/* PFS, 0 for none */
	struct ike_kex *kex;
	uint8_t gqm[256];
	size_t gqm_len;
	struct datagram qm1;
};

/* A Quick Mode ID: an IPv4 subnet a.b.0.0/16. */
static void put_subnet(struct ike1_buf *b, uint8_t a, uint8_t bb,
		       uint8_t *store)
{
	const uint8_t v[8] = { a, bb, 0, 0, 255, 255, 0, 0 };

	memcpy(store, v, 8);
	ike1_put_id(b, &(struct ike1_pl_id){ .type = IKE1_ID_IPV4_ADDR_SUBNET,
		.data = { store, 8 } });
}

/* One ESP proposal: AES-128-CBC, HMAC-SHA2-256, tunnel, 1 h, [group]. */
static void esp_offer(struct ike1_pl_sa *sa, const uint8_t *spi,
		      uint16_t group)
{
	struct ike1_transform *t = &sa->tr[0];
	uint16_t v[][2] = {
		{ IKE1_P2_KEY_LENGTH, 128 },
		{ IKE1_P2_AUTH_ALG, IKE1_AUTH_HMAC_SHA2_256 },
		{ IKE1_P2_ENCAP_MODE, IKE1_ENCAP_TUNNEL },
		{ IKE1_P2_LIFE_TYPE, IKE1_LIFE_SECONDS },
		{ IKE1_P2_LIFE_DURATION, 3600 },
		{ IKE1_P2_GROUP_DESC, group },
	};
	size_t i;

	memset(sa, 0, sizeof(*sa));
	sa->doi = IKE1_DOI_IPSEC;
	sa->situation = IKE1_SIT_IDENTITY_ONLY;
	sa->n_prop = 1;
	sa->prop[0] = (struct ike1_proposal){ .num = 1,
		.proto = IKE1_PROTO_ESP, .spi_len = 4, .n_tr = 1 };
	memcpy(sa->prop[0].spi, spi, 4);
	sa->n_tr = 1;
	t->num = 1;
	t->id = IKE1_ESP_AES_CBC;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i][0] != IKE1_P2_GROUP_DESC || group)
			t->attr[t->n_attr++] = (struct ike1_attr){
				.type = v[i][0], .tv = true, .val = v[i][1] };
}

/*
 * QM1 for the subnets 10.ci.0.0/16 (moon's side) and 10.cr.0.0/16
 * (sun's); ci 0: no IDs. Sent, not answered yet.
 */
static void moon_qm1(struct moon1 *mo, struct moon_qm *q, uint32_t mid,
		     uint16_t group, uint8_t ci, uint8_t cr)
{
	struct ike1_buf chain = { 0 }, b = { 0 };
	uint8_t hash[IKE_PRF_OUT_MAX], gx[256], idi[8], idr[8];
	struct ike1_pl_sa sa;
	ssize_t n;

	memset(q, 0, sizeof(*q));
	q->mid = mid;
	q->group = group;
	memcpy(q->spi_i, &(uint32_t){ htonl(0xa0000000 | mid) }, 4);
	memset(q->ni, (int)(mid & 0xff), sizeof(q->ni));
	esp_offer(&sa, q->spi_i, group);
	ike1_put_sa(&chain, &sa);
	ike1_put_bytes(&chain, IKE1_PL_NONCE,
		       &(struct ike1_bytes){ q->ni, sizeof(q->ni) });
	if (group) {
		q->kex = ike_kex_new(group);
		n = ike_kex_public(q->kex, gx, sizeof(gx));
		assert_int_equal(n, 256);
		ike1_put_bytes(&chain, IKE1_PL_KE,
			       &(struct ike1_bytes){ gx, n });
	}
	if (ci) {
		put_subnet(&chain, 10, ci, idi);
		put_subnet(&chain, 10, cr, idr);
	}
	assert_true(ike1_hash_msg(&mo->keys, mid, chain.p, chain.len,
				  hash) >= 0);
	ike1_put_bytes(&b, IKE1_PL_HASH,
		       &(struct ike1_bytes){ hash, mo->prf->out_len });
	ike1_put_chain(&b, &chain);
	ike1_buf_free(&chain);
	moon_send_encrypted(mo, IKE1_EXCH_QUICK, mid, &b);
	q->qm1 = mo->last;
}

/* QM2: HASH(2) checked, sun's SPI, Nr and (PFS) g(qm)^xy kept. */
static void moon_check_qm2(struct moon1 *mo, struct moon_qm *q,
			   const struct datagram *d)
{
	uint8_t plain[4096], hash[IKE_PRF_OUT_MAX];
	struct ike1_err err = { 0 };
	struct ike1_msg m;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	assert_int_equal(ike1_msg_decode(d->p, d->len, &m, &err), 0);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_QUICK);
	assert_int_equal(m.hdr.msg_id, q->mid);
	moon_decrypt(mo, &m, plain, sizeof(plain));
	assert_true(ike1_qm_hash2(&mo->keys, q->mid, q->ni, sizeof(q->ni),
				  m.after_hash.p, m.after_hash.len, hash) >= 0);
	assert_int_equal(m.hash.len, mo->prf->out_len);
	assert_memory_equal(m.hash.p, hash, m.hash.len);
	assert_int_equal(m.sa.n_prop, 1);
	assert_int_equal(m.sa.prop[0].spi_len, 4);
	memcpy(q->spi_r, m.sa.prop[0].spi, 4);
	memcpy(q->nr, m.nonce.p, m.nonce.len);
	q->nr_len = m.nonce.len;
	assert_int_equal(ike1_msg_has(&m, IKE1_PL_KE), q->group != 0);
	if (q->group) {
		n = ike_kex_shared(q->kex, m.ke.p, m.ke.len, q->gqm,
				   sizeof(q->gqm));
		assert_int_equal(n, 256);
		q->gqm_len = n;
	}
	ike_kex_free(q->kex);
	q->kex = NULL;
}

static void moon_qm3(struct moon1 *mo, const struct moon_qm *q, bool bad)
{
	uint8_t hash[IKE_PRF_OUT_MAX];
	struct ike1_buf b = { 0 };

	assert_true(ike1_qm_hash3(&mo->keys, q->mid, q->ni, sizeof(q->ni),
				  q->nr, q->nr_len, hash) >= 0);
	if (bad)
		hash[0] ^= 1;
	ike1_put_bytes(&b, IKE1_PL_HASH,
		       &(struct ike1_bytes){ hash, mo->prf->out_len });
	moon_send_encrypted(mo, IKE1_EXCH_QUICK, q->mid, &b);
}

/* A whole Quick Mode: QM1, QM2 checked, QM3. */
static void moon_quick_mode(struct moon1 *mo, struct moon_qm *q,
			    uint32_t mid, uint16_t group, uint8_t ci,
			    uint8_t cr)
{
	struct datagram d;
	struct ike1_msg m;

	moon_qm1(mo, q, mid, group, ci, cr);
	d = sun_answer(&m);
	moon_check_qm2(mo, q, &d);
	moon_qm3(mo, q, false);
	assert_int_equal(queued, 0);
}

static const struct sa *ksa_by_spi(const uint8_t *spi)
{
	uint32_t v;
	size_t i;

	memcpy(&v, spi, 4);
	for (i = 0; i < n_ksa; i++)
		if (ksa[i].spi == ntohl(v))
			return &ksa[i];
	fail_msg("no kernel SA with SPI 0x%08x", ntohl(v));
	return NULL;
}

/*
 * The kernel's two SAs carry the KEYMAT moon derives itself: the one to
 * sun (sun's SPI) moon's initiator keys, the one to moon the others.
 */
static void check_kernel_sas(const struct moon1 *mo, const struct moon_qm *q)
{
	const struct ike_encr_alg *encr = ike_encr_find(IKE_ENCR_AES_CBC, 128);
	const struct ike_integ_alg *integ =
		ike_integ_find(IKE_INTEG_HMAC_SHA2_256_128);
	const struct sa *in = ksa_by_spi(q->spi_r), *out = ksa_by_spi(q->spi_i);
	struct ike_child_keys k;

	assert_int_equal(ike1_child_keys_derive(&k, &mo->keys, encr, integ,
		&(struct ike1_qm_in){ .protocol = IKE1_PROTO_ESP,
			.gqm = q->gqm_len ? q->gqm : NULL,
			.gqm_len = q->gqm_len,
			.ni = q->ni, .ni_len = sizeof(q->ni),
			.nr = q->nr, .nr_len = q->nr_len },
		q->spi_i, q->spi_r), 0);
	assert_int_equal(in->crypt.key_len, 16);
	assert_memory_equal(in->crypt.key, k.encr_i, 16);
	assert_memory_equal(in->auth.key, k.integ_i, 32);
	assert_memory_equal(out->crypt.key, k.encr_r, 16);
	assert_memory_equal(out->auth.key, k.integ_r, 32);
	assert_int_equal(in->mode, KIPSEC_MODE_TUNNEL);
	assert_int_equal(out->mode, KIPSEC_MODE_TUNNEL);
	assert_int_equal(in->dst.bytes[3], 2);		/* to sun */
	assert_int_equal(out->dst.bytes[3], 1);		/* to moon */
	ike_child_keys_clear(&k);
}

/* The out policy 10.2.0.0/16 -> 10.1.0.0/16, tunnel to moon. */
static void check_net_policies(void)
{
	size_t i, n_out = 0;

	assert_int_equal(n_kpol, 3);		/* out, in, fwd */
	for (i = 0; i < n_kpol; i++) {
		if (kpol[i].dir != KIPSEC_DIR_OUT)
			continue;
		n_out++;
		assert_int_equal(kpol[i].sel.src.bytes[1], 2);
		assert_int_equal(kpol[i].sel.src.plen, 16);
		assert_int_equal(kpol[i].sel.dst.bytes[1], 1);
		assert_int_equal(kpol[i].sel.dst.plen, 16);
		assert_int_equal(kpol[i].tmpl.mode, KIPSEC_MODE_TUNNEL);
		assert_int_equal(kpol[i].tmpl.dst.bytes[3], 1);
	}
	assert_int_equal(n_out, 1);
}

static void status_of(char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	assert_non_null(f);
	ikesa_status(&sun.d, f, false);
	fclose(f);
}

/*
 * Main Mode, then Quick Mode for net: the inbound SA at QM2, the
 * outbound one and the policies at QM3, keys as moon derives them.
 */
static void test_quick_mode(void **state)
{
	struct moon_qm q;
	struct datagram d;
	struct ike1_msg m;
	struct moon1 mo;
	char status[2048];

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &q, 0x11111111, 0, 1, 2);
	d = sun_answer(&m);
	moon_check_qm2(&mo, &q, &d);
	/* before QM3: the inbound SA and its policies (in, fwd) only */
	assert_int_equal(n_ksa, 1);
	assert_int_equal(n_kpol, 2);
	moon_qm3(&mo, &q, false);
	assert_int_equal(queued, 0);
	assert_int_equal(n_ksa, 2);
	check_kernel_sas(&mo, &q);
	check_net_policies();
	assert_logged("gw: CHILD_SA net established (responder, IKEv1 Quick Mode, ENCR_AES_CBC_128/AUTH_HMAC_SHA2_256_128/NO_ESN), SPIs 0xc0000001 in, 0xb1111111 out");
	status_of(status, sizeof(status));
	if (!strstr(status, "  net: INSTALLED, TUNNEL, SPIs 0xc0000001_i 0xb1111111_o, ENCR_AES_CBC_128/AUTH_HMAC_SHA2_256_128/NO_ESN\n    10.2.0.0/16 === 10.1.0.0/16\n"))
		fail_msg("status: %s", status);
	moon_free(&mo);
}

/* With PFS: KE both ways, KEYMAT with g(qm)^xy. */
static void test_quick_mode_pfs(void **state)
{
	struct moon_qm q;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_quick_mode(&mo, &q, 0x22222222, 14, 1, 2);
	assert_true(q.gqm_len > 0);
	check_kernel_sas(&mo, &q);
	assert_logged("gw: CHILD_SA net established (responder, IKEv1 Quick Mode with PFS, ENCR_AES_CBC_128/AUTH_HMAC_SHA2_256_128/MODP_2048/NO_ESN)");
	moon_free(&mo);
}

/* No IDs: the ISAKMP SA's addresses, which no child has here. */
static void test_quick_mode_no_ids(void **state)
{
	struct moon_qm q;
	struct moon1 mo;
	uint8_t plain[1024];
	struct ike1_msg m;

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &q, 0x33333333, 0, 0, 0);
	sun_answer(&m);
	moon_decrypt(&mo, &m, plain, sizeof(plain));
	assert_int_equal(m.notify[0].type, IKE1_N_INVALID_ID_INFORMATION);
	assert_logged("gw: IKEv1 Quick Mode: the traffic selectors differ: the peer proposed 192.0.2.1/32 for its side (IDci) and 192.0.2.2/32 for ours (IDcr); ");
	moon_free(&mo);
}

/* QM2 lost: QM1 again gets the same QM2, byte for byte. */
static void test_qm1_repeated(void **state)
{
	struct datagram first, again;
	struct moon_qm q;
	struct ike1_msg m;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &q, 0x44444444, 0, 1, 2);
	first = sun_answer(&m);
	deliver(&q.qm1);
	again = sun_answer(&m);
	assert_int_equal(again.len, first.len);
	assert_memory_equal(again.p, first.p, first.len);
	assert_int_equal(n_ksa, 1);		/* one inbound SA, not two */
	moon_check_qm2(&mo, &q, &again);
	moon_qm3(&mo, &q, false);
	assert_int_equal(n_ksa, 2);
	moon_free(&mo);
}

/* A refusal: a protected Informational, HASH(1) good, one notify. */
static void expect_refusal(struct moon1 *mo, uint16_t notify)
{
	uint8_t plain[1024], hash[IKE_PRF_OUT_MAX];
	struct ike1_msg m;

	sun_answer(&m);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_INFO);
	moon_decrypt(mo, &m, plain, sizeof(plain));
	assert_true(ike1_hash_msg(&mo->keys, m.hdr.msg_id, m.after_hash.p,
				  m.after_hash.len, hash) >= 0);
	assert_memory_equal(m.hash.p, hash, m.hash.len);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, notify);
	assert_int_equal(n_ksa, 0);
	assert_int_equal(n_kpol, 0);
	assert_sa(&sun, IKESA_ESTABLISHED);
}

/* moon asks for 10.1/16 === 10.9/16: no child has that. */
static void test_qm_id_mismatch(void **state)
{
	struct moon_qm q;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &q, 0x55555555, 0, 1, 9);
	expect_refusal(&mo, IKE1_N_INVALID_ID_INFORMATION);
	assert_logged("gw: IKEv1 Quick Mode: the traffic selectors differ: the peer proposed 10.1.0.0/16 for its side (IDci) and 10.9.0.0/16 for ours (IDcr); we accept exactly: child net has 10.1.0.0/16 for the peer's side and 10.2.0.0/16 for ours; child lan has 10.3.0.0/16 for the peer's side and 10.4.0.0/16 for ours; child web has 10.5.0.0/16 for the peer's side and 10.6.0.0/16 for ours: refused with INVALID-ID-INFORMATION");
	moon_free(&mo);
}

/* lan wants PFS, moon offers none; web wants none, moon offers PFS. */
static void test_qm_pfs_one_side(void **state)
{
	struct moon_qm q;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &q, 0x66666666, 0, 3, 4);
	expect_refusal(&mo, IKE1_N_NO_PROPOSAL_CHOSEN);
	assert_logged("gw: IKEv1 Quick Mode: PFS on one side only: we want PFS with MODP_2048, the peer offered none: refused with NO-PROPOSAL-CHOSEN");
	moon_qm1(&mo, &q, 0x66666667, 14, 5, 6);
	expect_refusal(&mo, IKE1_N_NO_PROPOSAL_CHOSEN);
	assert_logged("gw: IKEv1 Quick Mode: PFS on one side only: the peer wants PFS with MODP_2048, we want none (esp_proposals names no DH group): refused with NO-PROPOSAL-CHOSEN");
	ike_kex_free(q.kex);
	moon_free(&mo);
}

/* A QM3 whose HASH(3) is wrong is dropped; the genuine one completes. */
static void test_qm3_bad_hash(void **state)
{
	struct moon_qm q;
	struct datagram d;
	struct ike1_msg m;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &q, 0x77777777, 0, 1, 2);
	d = sun_answer(&m);
	moon_check_qm2(&mo, &q, &d);
	moon_qm3(&mo, &q, true);
	assert_logged("gw: IKEv1 Quick Mode: QM3 dropped: HASH(3) does not verify");
	assert_int_equal(n_ksa, 1);
	assert_int_equal(n_kpol, 2);	/* in, fwd: no out policy */
	moon_free(&mo);
}

/* moon deletes its inbound ESP SA: sun's CHILD_SA goes, policies too. */
static void test_peer_deletes_ipsec_sa(void **state)
{
	struct ike1_buf chain = { 0 };
	struct moon_qm q;
	struct moon1 mo;
	char status[2048];

	(void)state;
	moon_main_mode(&mo);
	moon_quick_mode(&mo, &q, 0x88888888, 0, 1, 2);
	assert_int_equal(n_ksa, 2);
	ike1_put_delete(&chain, &(struct ike1_pl_delete){
		.doi = IKE1_DOI_IPSEC, .proto = IKE1_PROTO_ESP,
		.spi_size = 4, .n_spi = 1, .spis = q.spi_i });
	moon_send_info(&mo, 0x0d0d0d0d, &chain);
	assert_int_equal(queued, 0);
	assert_logged("gw: the peer deleted CHILD_SA net (SPIs 0xc0000001 in, 0xa8888888 out)");
	assert_int_equal(n_ksa, 0);
	assert_int_equal(n_kpol, 0);
	assert_sa(&sun, IKESA_ESTABLISHED);
	status_of(status, sizeof(status));
	assert_null(strstr(status, "net: INSTALLED"));
	moon_free(&mo);
}

/* Two Quick Modes at once, each with its IV: QM1 a, QM1 b, QM3 b, QM3 a. */
static void test_two_quick_modes(void **state)
{
	struct moon_qm a, b;
	struct datagram da, db;
	struct ike1_msg m;
	struct moon1 mo;

	(void)state;
	moon_main_mode(&mo);
	moon_qm1(&mo, &a, 0x0aaaaaaa, 0, 1, 2);
	da = sun_answer(&m);
	moon_qm1(&mo, &b, 0x0bbbbbbb, 14, 3, 4);
	db = sun_answer(&m);
	moon_check_qm2(&mo, &b, &db);
	moon_check_qm2(&mo, &a, &da);
	moon_qm3(&mo, &b, false);
	moon_qm3(&mo, &a, false);
	assert_int_equal(queued, 0);
	assert_int_equal(n_ksa, 4);
	check_kernel_sas(&mo, &a);
	check_kernel_sas(&mo, &b);
	assert_int_equal(n_kpol, 6);
	assert_logged("gw: CHILD_SA lan established (responder, IKEv1 Quick Mode with PFS");
	assert_logged("gw: CHILD_SA net established (responder, IKEv1 Quick Mode,");
	moon_free(&mo);
}

/* Every test starts sun afresh and checks the kernel is empty after. */
#define SUN_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SUN_TEST(test_main_mode),
		SUN_TEST(test_mm5_repeated),
		SUN_TEST(test_wrong_psk),
		SUN_TEST(test_hash_i_mismatch),
		SUN_TEST(test_mm1_no_proposal),
		SUN_TEST(test_dpd),
		SUN_TEST(test_dpd_bad_hash),
		SUN_TEST(test_peer_deletes_isakmp_sa),
		SUN_TEST(test_quick_mode),
		SUN_TEST(test_quick_mode_pfs),
		SUN_TEST(test_quick_mode_no_ids),
		SUN_TEST(test_qm1_repeated),
		SUN_TEST(test_qm_id_mismatch),
		SUN_TEST(test_qm_pfs_one_side),
		SUN_TEST(test_qm3_bad_hash),
		SUN_TEST(test_peer_deletes_ipsec_sa),
		SUN_TEST(test_two_quick_modes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
