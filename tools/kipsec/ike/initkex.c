// SPDX-License-Identifier: GPL-2.0
/*
 * The responder's IKE_SA_INIT key exchange in a worker thread (pool.h):
 * our key pair, g^ir from the peer's KE, SKEYSEED and the SK_* keys. It
 * was the largest part of a responder's CPU per IKE SA (ECDH alone some
 * 30 %), and the one that needs nothing but copies: the job takes the
 * group, the peer's value, the nonces, SPIs and the chosen proposal, and
 * brings back the key pair and the keys. Back in the loop, the SA is found
 * again by its SPIs (it may have timed out, or the daemon be stopping) and
 * auth.c sends the IKE_SA_INIT response (ikesa_init_keyed()).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "ikesa_int.h"
#include "initkex.h"
#include "pool.h"

struct kex_job {
	struct ike_job job;
	/*
	 * In: the fields of the SA that ikesa_derive_keys() reads (the
	 * proposal, nonces, SPIs); out: those it writes (PRF, keys, SK
	 * contexts). The SA's own copy is the loop's alone.
	 */
	struct ikesa shadow;
	uint8_t ke[IKE_KE_MAX];
	size_t ke_len;
	struct ike_kex *kex;		/* out: our key pair */
	bool failed;
	bool queued;			/* done() runs from the loop, not submit */
	char why[256];
};

static void kex_run(struct ike_job *job)
{
	struct kex_job *j = (struct kex_job *)job;
	uint8_t gir[IKE_KE_MAX];
	ssize_t n;

	j->kex = ike_kex_new(j->shadow.group);
	if (!j->kex) {
		j->failed = true;
		snprintf(j->why, sizeof(j->why), "cannot generate our key exchange value");
		return;
	}
	n = ike_kex_shared(j->kex, j->ke, j->ke_len, gir, sizeof(gir));
	if (n < 0) {
		j->failed = true;
		snprintf(j->why, sizeof(j->why),
			 "the peer's key exchange value is invalid: %s",
			 ike_crypto_strerror(n));
		return;
	}
	j->failed = ikesa_derive_keys(&j->shadow, gir, n, NULL, NULL, j->why,
				      sizeof(j->why)) != 0;
	OPENSSL_cleanse(gir, sizeof(gir));
}

static void kex_free(struct kex_job *j)
{
	ike_kex_free(j->kex);
	ike_sa_keys_clear(&j->shadow.keys);
	ike_sk_clear(&j->shadow.sk_out);
	ike_sk_clear(&j->shadow.sk_in);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

static void kex_done(struct ike_daemon *d, struct ike_job *job, bool cancel)
{
	struct kex_job *j = (struct kex_job *)job;
	struct ikesa *sa = NULL;

	if (!cancel)
		sa = ikesa_find_responder(d, j->shadow.spi_i, j->shadow.spi_r);
	/* still half-open and waiting for us (a timeout may have come first) */
	if (!sa || sa->state != IKESA_HALF_OPEN || sa->kex || sa->last_resp) {
		kex_free(j);
		return;
	}
	if (!j->failed) {
		sa->kex = j->kex;
		j->kex = NULL;
		sa->prf = j->shadow.prf;
		sa->keys = j->shadow.keys;
		sa->sk_out = j->shadow.sk_out;
		sa->sk_in = j->shadow.sk_in;
	}
	ikesa_init_keyed(d, sa, j->failed ? j->why : NULL);
	/* the datagram's event frees it otherwise (ikesa_input) */
	if (j->queued)
		ikesa_reap_sa(d, sa);
	kex_free(j);
}

void ikesa_init_kex(struct ike_daemon *d, struct ikesa *sa,
		    const struct ike_pl_ke *ke)
{
	struct kex_job *j = calloc(1, sizeof(*j));

	if (!j || ke->data.len > sizeof(j->ke)) {
		free(j);
		ikesa_init_keyed(d, sa, !j ? "out of memory" :
			"the peer's key exchange value is too long");
		return;
	}
	j->job.run = kex_run;
	j->job.done = kex_done;
	j->shadow.initiator = sa->initiator;
	j->shadow.group = sa->group;
	j->shadow.prop = sa->prop;
	memcpy(j->shadow.spi_i, sa->spi_i, IKE_SPI_LEN);
	memcpy(j->shadow.spi_r, sa->spi_r, IKE_SPI_LEN);
	memcpy(j->shadow.ni, sa->ni, sa->ni_len);
	j->shadow.ni_len = sa->ni_len;
	memcpy(j->shadow.nr, sa->nr, sa->nr_len);
	j->shadow.nr_len = sa->nr_len;
	memcpy(j->ke, ke->data.p, ke->data.len);
	j->ke_len = ke->data.len;
	j->queued = ike_pool_fd(d->pool) >= 0;
	ike_pool_submit(d, d->pool, &j->job);
}
