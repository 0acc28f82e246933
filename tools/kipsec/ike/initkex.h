/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The responder's IKE_SA_INIT key exchange, off the event loop
 * (initkex.c, with the workers of pool.h), and what it needs of the rest.
 */
#ifndef KIPSEC_IKE_INITKEX_H
#define KIPSEC_IKE_INITKEX_H

#include <stdint.h>

struct ike_daemon;
struct ike_pl_ke;
struct ikesa;

/*
 * The key exchange is done (sa->kex, keys and SK contexts set), or failed
 * for why: the caller of ikesa_init_kex() goes on (init.c: answers the
 * IKE_SA_INIT request).
 */
typedef void ikesa_keyed_fn(struct ike_daemon *d, struct ikesa *sa,
			    const char *why);

/*
 * initkex.c: generate our key pair for sa->group, g^ir with the peer's
 * KE, SKEYSEED and the SK_* keys (sa's proposal, nonces and SPIs), in a
 * worker if there is one; then keyed(), now or from the loop.
 */
void ikesa_init_kex(struct ike_daemon *d, struct ikesa *sa,
		    const struct ike_pl_ke *ke, ikesa_keyed_fn *keyed);

/* ikesa.c: our half-open or established SA as responder with these SPIs. */
struct ikesa *ikesa_find_responder(struct ike_daemon *d, const uint8_t *spi_i,
				   const uint8_t *spi_r);
/* ikesa.c: free sa if it died (after the event that killed it). */
void ikesa_reap_sa(struct ike_daemon *d, struct ikesa *sa);

#endif /* KIPSEC_IKE_INITKEX_H */
