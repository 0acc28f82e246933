/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE SAs: what the daemon's core asks of them. Everything is driven from
 * the one event loop: datagrams, timers, kernel events, control requests.
 */
#ifndef KIPSEC_IKE_IKESA_H
#define KIPSEC_IKE_IKESA_H

#include "context.h"

struct ikesa_table *ikesa_table_new(void);

/* A datagram for IKE (any exchange, any SA, or a new one). */
void ikesa_input(struct ike_daemon *d, const struct ike_dgram *dg);

/* Run what is due at now; the next deadline (UINT64_MAX: none). */
uint64_t ikesa_run_timers(struct ike_daemon *d, uint64_t now);

void ikesa_kernel_event(struct ike_daemon *d,
			const struct ike_kernel_event *ev);

/* Control requests; the waiter is theirs (answered now or later). */
void ikesa_up(struct ike_daemon *d, const char *conn, struct ike_waiter *w);
void ikesa_down(struct ike_daemon *d, const char *conn, struct ike_waiter *w);
void ikesa_rekey(struct ike_daemon *d, const char *name, bool ike,
		 struct ike_waiter *w);
void ikesa_status(struct ike_daemon *d, FILE *f, bool json);

/*
 * The configuration changed (old is NULL at start): connections that are
 * gone are closed, SAs follow their connection's new version, trap
 * policies and start_action = start are applied. old is freed after.
 */
void ikesa_config_changed(struct ike_daemon *d, struct ike_config *old);

/* How many responder IKE SAs are half-open (cookie.c's thresholds). */
unsigned int ikesa_half_open(struct ike_daemon *d);

/* Delete every IKE SA (telling the peers) and free the table. */
void ikesa_shutdown(struct ike_daemon *d);

#endif /* KIPSEC_IKE_IKESA_H */
