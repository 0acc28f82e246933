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
 * RFC 2409 section 5.4 (Main Mode with pre-shared keys) and appendix B
 * (IVs); RFC 2408 section 3.14.1 (notifies before an SA exists).
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_main_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mm5_repeated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrong_psk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_i_mismatch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mm1_no_proposal, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dpd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpd_bad_hash, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_peer_deletes_isakmp_sa,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
