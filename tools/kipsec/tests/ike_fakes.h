/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fakes for the IKE exchange tests (ike_fakes.c): a clock that moves only
 * when the test says, a log kept in memory, and a network of two hosts,
 * "moon" (192.0.2.1) and "sun" (192.0.2.2), whose datagrams wait in a
 * queue the test hands over, loses or holds. A host runs a daemon
 * (host_start) or is played by the test itself.
 */
#ifndef KIPSEC_TESTS_IKE_FAKES_H
#define KIPSEC_TESTS_IKE_FAKES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ike/conf.h"
#include "ike/context.h"
#include "ike/ikesa.h"
#include "ike/ikesa_int.h"
#include "ike/pool.h"

#define RETRANSMIT_MS	2000
#define TRIES		3
#define QUEUE_MAX	32

struct host {
	const char *name;
	const char *addr;
	struct ike_daemon d;
	struct ike_pool pool;
	char dir[64];
	char conf[96];			/* its kipsec.conf */
	unsigned int sent;		/* datagrams it sent */
};

struct datagram {
	struct host *from, *to;
	struct sockaddr_storage src, dst;
	uint8_t p[IKE_MSG_MAX];
	size_t len;
};

extern uint64_t clock_ms;
extern char log_text[1 << 16];
extern size_t log_len;
extern struct host moon, sun;
extern struct datagram queue[QUEUE_MAX];
extern size_t queued;

/* Before a test: the clock at 1000 s, nothing in flight, the log empty. */
void fakes_reset(void);
/* The oldest datagram in flight, taken off the network (lost). */
struct datagram take(void);
void deliver(const struct datagram *q);
/* Hand over everything in flight, and what that makes the hosts send. */
void deliver_all(void);
/* The IKE exchange type and response flag of a datagram. */
uint8_t exchange_of(const struct datagram *q);
bool is_response(const struct datagram *q);
/* Move the clock to at and run the timers of the daemons running. */
void clock_to(uint64_t at);
/* A daemon on h, configured by write_conf; host_stop() ends it. */
void host_start(struct host *h, const struct host *peer,
		void (*write_conf)(struct host *h, const struct host *peer));
void host_stop(struct host *h);
/* The one IKE SA of h in state s. */
void assert_sa(struct host *h, enum ikesa_state s);
/* h has no IKE SA left: dead ones were freed where the daemon frees them. */
void assert_no_sa(struct host *h);
void assert_logged(const char *text);

#endif
