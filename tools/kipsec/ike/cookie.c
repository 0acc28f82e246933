// SPDX-License-Identifier: GPL-2.0
/*
 * Responder protection (RFC 7296 section 2.6): above a number of
 * half-open IKE SAs, an IKE_SA_INIT request must bring back a cookie we
 * gave it, proving the sender receives at its address; above a hard
 * limit, requests are dropped. The cookie is
 *	<secret version> | HMAC-SHA-256(secret, Ni | IPi | SPIi)
 * and the secret changes every few minutes (the previous one still
 * counts), so we keep no state per request.
 */
#include <arpa/inet.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ikesa_int.h"

#define COOKIE_THRESHOLD	10	/* half-open SAs before cookies */
#define HALF_OPEN_LIMIT		1000	/* and before dropping */
#define SECRET_LIFETIME_MS	(5 * 60 * 1000)
#define COOKIE_LEN		(4 + 32)

static int rotate(struct ikesa_table *t)
{
	uint64_t now = ike_now_ms();

	if (t->cookie_version && now < t->cookie_rotated_at + SECRET_LIFETIME_MS)
		return 0;
	memcpy(t->cookie_old, t->cookie_secret, sizeof(t->cookie_old));
	t->cookie_version++;
	t->cookie_rotated_at = now;
	/* IKE_NONCE_LEN random bytes: the secret's size */
	return ike_nonce_new(t->cookie_secret);
}

static int cookie_of(const uint8_t *secret, uint32_t version,
		     const struct ike_dgram *dg, const struct ike_msg *m,
		     uint8_t *out)
{
	const struct ike_prf_alg *prf = ike_prf_find(IKE_PRF_HMAC_SHA2_256);
	uint8_t data[IKE_NONCE_MAX + 16 + IKE_SPI_LEN];
	uint32_t be = htonl(version);
	struct addr a;
	size_t len = 0, alen;

	ss_to_addr(&dg->remote, &a);
	alen = a.family == AF_INET ? 4 : 16;
	memcpy(data, m->nonce.p, m->nonce.len);
	len += m->nonce.len;
	memcpy(data + len, a.bytes, alen);
	len += alen;
	memcpy(data + len, m->hdr.ispi, IKE_SPI_LEN);
	len += IKE_SPI_LEN;
	memcpy(out, &be, 4);
	return ike_prf(prf, secret, IKE_NONCE_LEN, data, len, out + 4);
}

static bool cookie_valid(struct ike_daemon *d, const struct ike_dgram *dg,
			 const struct ike_msg *m)
{
	const struct ikesa_table *t = d->sas;
	uint8_t want[COOKIE_LEN];
	const struct ike_pl_notify *n;
	uint32_t version;

	/* the cookie comes first (section 2.6) */
	if (!m->n_notify || m->notify[0].type != IKE_N_COOKIE)
		return false;
	n = &m->notify[0];
	if (n->data.len != COOKIE_LEN)
		return false;
	memcpy(&version, n->data.p, 4);
	version = ntohl(version);
	if (version == t->cookie_version)
		cookie_of(t->cookie_secret, version, dg, m, want);
	else if (version + 1 == t->cookie_version)
		cookie_of(t->cookie_old, version, dg, m, want);
	else
		return false;
	return !CRYPTO_memcmp(want, n->data.p, COOKIE_LEN);
}

/*
 * Whether to go on with an IKE_SA_INIT request: true, or false when it
 * was answered with a cookie or dropped.
 */
bool ikesa_cookie_check(struct ike_daemon *d, const struct ike_dgram *dg,
			const struct ike_msg *m)
{
	unsigned int n = ikesa_half_open(d);
	uint8_t cookie[COOKIE_LEN];

	if (n < COOKIE_THRESHOLD)
		return true;
	if (n >= HALF_OPEN_LIMIT) {
		ike_debug(d, "%u half-open IKE SAs: IKE_SA_INIT dropped", n);
		return false;
	}
	if (!ike_msg_has(m, IKE_PL_NONCE) || rotate(d->sas))
		return false;
	if (cookie_valid(d, dg, m))
		return true;
	if (cookie_of(d->sas->cookie_secret, d->sas->cookie_version, dg, m,
		      cookie))
		return false;
	ikesa_init_refuse(d, dg, &m->hdr, IKE_N_COOKIE, cookie, sizeof(cookie));
	return false;
}
