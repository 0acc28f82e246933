// SPDX-License-Identifier: GPL-2.0
/*
 * The responder's IKE_SA_INIT key exchange in a worker thread (pool.h):
 * our key pair, g^ir from the peer's KE, SKEYSEED and the SK_* keys. It
 * was the largest part of a responder's CPU per IKE SA (ECDH alone some
 * 30 %), and the one that needs nothing but copies: the job takes the
 * group, the peer's value, the nonces, SPIs and the chosen proposal, and
 * brings back the key pair and the keys. Back in the loop, the SA is found
 * again by its SPIs (it may have timed out, or the daemon be stopping) and
 * the caller's keyed() goes on (init.c sends the IKE_SA_INIT response).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "ikesa_int.h"
#include "initkex.h"
#include "pool.h"
#include "sakeys.h"

/* Copies of what the key exchange needs: the SA itself is the loop's. */
struct kex_job_in {
	uint16_t group;
	uint8_t ke[IKE_KE_MAX];		/* the peer's */
	size_t ke_len;
	struct ike_proposal prop;
	bool initiator;
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
};

struct kex_job_out {
	struct ike_kex *kex;		/* our key pair */
	struct ikesa_keys_out keys;
	bool failed;
	char why[256];
};

struct kex_job {
	struct ike_job job;
	struct kex_job_in in;
	struct kex_job_out out;
	ikesa_keyed_fn *keyed;		/* in the loop, with the results */
	bool queued;			/* done() runs from the loop, not submit */
};

static void kex_compute(const struct kex_job_in *in, struct kex_job_out *out)
{
	struct ikesa_keys_in keys_in = {
		.prop = &in->prop,
		.initiator = in->initiator,
		.kdf = {
			.ni = in->ni, .ni_len = in->ni_len,
			.nr = in->nr, .nr_len = in->nr_len,
			.spi_i = in->spi_i, .spi_r = in->spi_r,
		},
	};
	uint8_t gir[IKE_KE_MAX];
	ssize_t n;

	out->kex = ike_kex_new(in->group);
	if (!out->kex) {
		out->failed = true;
		snprintf(out->why, sizeof(out->why), "cannot generate our key exchange value");
		return;
	}
	n = ike_kex_shared(out->kex, in->ke, in->ke_len, gir, sizeof(gir));
	if (n < 0) {
		out->failed = true;
		snprintf(out->why, sizeof(out->why),
			 "the peer's key exchange value is invalid: %s",
			 ike_crypto_strerror(n));
		return;
	}
	keys_in.kdf.gir = gir;
	keys_in.kdf.gir_len = n;
	out->failed = ikesa_keys_derive(&keys_in, &out->keys, out->why,
					sizeof(out->why)) != 0;
	OPENSSL_cleanse(gir, sizeof(gir));
}

static void kex_run(struct ike_job *job)
{
	struct kex_job *j = (struct kex_job *)job;

	kex_compute(&j->in, &j->out);
}

static void kex_free(struct kex_job *j)
{
	ike_kex_free(j->out.kex);
	ikesa_keys_clear(&j->out.keys);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

static void kex_done(struct ike_daemon *d, struct ike_job *job, bool cancel)
{
	struct kex_job *j = (struct kex_job *)job;
	struct ikesa *sa = NULL;

	if (!cancel)
		sa = ikesa_find_responder(d, j->in.spi_i, j->in.spi_r);
	/* still half-open and waiting for us (a timeout may have come first) */
	if (!sa || sa->state != IKESA_HALF_OPEN || sa->kex || sa->last_resp) {
		kex_free(j);
		return;
	}
	if (!j->out.failed) {
		sa->kex = j->out.kex;
		j->out.kex = NULL;
		ikesa_keys_take(sa, &j->out.keys);
	}
	j->keyed(d, sa, j->out.failed ? j->out.why : NULL);
	/* the datagram's event frees it otherwise (ikesa_input) */
	if (j->queued)
		ikesa_reap_sa(d, sa);
	kex_free(j);
}

void ikesa_init_kex(struct ike_daemon *d, struct ikesa *sa,
		    const struct ike_pl_ke *ke, ikesa_keyed_fn *keyed)
{
	struct kex_job *j = calloc(1, sizeof(*j));

	if (!j || ke->data.len > sizeof(j->in.ke)) {
		free(j);
		keyed(d, sa, !j ? "out of memory" :
			"the peer's key exchange value is too long");
		return;
	}
	j->job.run = kex_run;
	j->job.done = kex_done;
	j->keyed = keyed;
	j->in.initiator = sa->initiator;
	j->in.group = sa->group;
	j->in.prop = sa->prop;
	memcpy(j->in.spi_i, sa->spi_i, IKE_SPI_LEN);
	memcpy(j->in.spi_r, sa->spi_r, IKE_SPI_LEN);
	memcpy(j->in.ni, sa->ni, sa->ni_len);
	j->in.ni_len = sa->ni_len;
	memcpy(j->in.nr, sa->nr, sa->nr_len);
	j->in.nr_len = sa->nr_len;
	memcpy(j->in.ke, ke->data.p, ke->data.len);
	j->in.ke_len = ke->data.len;
	j->queued = ike_pool_fd(d->pool) >= 0;
	ike_pool_submit(d, d->pool, &j->job);
}
