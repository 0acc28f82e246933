// SPDX-License-Identifier: GPL-2.0
/*
 * The fakes the IKE exchange tests share (ike_fakes.h): the clock, the
 * log, the network between the two hosts and starting a daemon on one.
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
#include <unistd.h>
#include <sys/socket.h>

#include "ike_fakes.h"

/* ---- the fake clock ---- */

uint64_t clock_ms;

uint64_t ike_now_ms(void)
{
	return clock_ms;
}

/* ---- the fake log: every line, in order ---- */

char log_text[1 << 16];
size_t log_len;

static void log_v(const char *fmt, va_list ap)
{
	int n;

	if (log_len >= sizeof(log_text) - 2)
		return;
	n = vsnprintf(log_text + log_len, sizeof(log_text) - log_len - 1,
		      fmt, ap);
	if (n < 0)
		return;
	log_len += (size_t)n < sizeof(log_text) - log_len - 1 ?
		   (size_t)n : sizeof(log_text) - log_len - 2;
	log_text[log_len++] = '\n';
	log_text[log_len] = '\0';
}

void ike_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(fmt, ap);
	va_end(ap);
}

void ike_debug(const struct ike_daemon *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->debug)
		return;
	va_start(ap, fmt);
	log_v(fmt, ap);
	va_end(ap);
}

/* ---- the fake network ---- */


struct host moon = { .name = "moon", .addr = "192.0.2.1" };
struct host sun = { .name = "sun", .addr = "192.0.2.2" };


struct datagram queue[QUEUE_MAX];
size_t queued;

static struct host *host_of(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
	if (!strcmp(a, moon.addr))
		return &moon;
	if (!strcmp(a, sun.addr))
		return &sun;
	return NULL;
}

static struct host *host_by_daemon(const struct ike_daemon *d)
{
	return d == &moon.d ? &moon : &sun;
}

int ike_send(struct ike_daemon *d, const struct sockaddr_storage *local,
	     const struct sockaddr_storage *remote, const uint8_t *p,
	     size_t len)
{
	struct datagram *q;

	assert_true(queued < QUEUE_MAX);
	assert_true(len <= IKE_MSG_MAX);
	q = &queue[queued++];
	q->from = host_by_daemon(d);
	q->to = host_of(remote);
	assert_non_null(q->to);
	q->src = *local;
	q->dst = *remote;
	memcpy(q->p, p, len);
	q->len = len;
	q->from->sent++;
	return 0;
}

int ike_send_keepalive(struct ike_daemon *d,
		       const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote)
{
	(void)d;
	(void)local;
	(void)remote;
	return 0;
}

/* The oldest datagram in flight, taken off the network (lost). */
struct datagram take(void)
{
	struct datagram q;

	assert_true(queued > 0);
	q = queue[0];
	memmove(queue, queue + 1, --queued * sizeof(queue[0]));
	return q;
}

void deliver(const struct datagram *q)
{
	struct ike_dgram dg = {
		.local = q->dst, .remote = q->src,
		.p = q->p, .len = q->len,
	};

	ikesa_input(&q->to->d, &dg);
}

/* Hand over everything in flight, and what that makes the hosts send. */
void deliver_all(void)
{
	struct datagram q;

	while (queued) {
		q = take();
		deliver(&q);
	}
}

/* The IKE exchange type and response flag of a datagram. */
uint8_t exchange_of(const struct datagram *q)
{
	return q->p[18];
}

bool is_response(const struct datagram *q)
{
	return q->p[19] & IKE_FLAG_RESPONSE;
}

/* Move the clock to at and run both daemons' timers. */
void clock_to(uint64_t at)
{
	clock_ms = at;
	/* a host the test plays itself runs no daemon */
	if (moon.d.sas)
		ikesa_run_timers(&moon.d, clock_ms);
	if (sun.d.sas)
		ikesa_run_timers(&sun.d, clock_ms);
}

/* ---- a daemon ---- */

void host_start(struct host *h, const struct host *peer,
		void (*write_conf)(struct host *h, const struct host *peer))
{
	char err[512];

	snprintf(h->dir, sizeof(h->dir), "/tmp/test_ike_exchange.XXXXXX");
	assert_non_null(mkdtemp(h->dir));
	snprintf(h->conf, sizeof(h->conf), "%s/kipsec.conf", h->dir);
	write_conf(h, peer);
	memset(&h->d, 0, sizeof(h->d));
	h->d.conf_path = h->conf;
	h->d.conf = calloc(1, sizeof(*h->d.conf));
	assert_non_null(h->d.conf);
	if (ike_config_load(h->d.conf, h->conf, err, sizeof(err)))
		fail_msg("%s: %s", h->name, err);
	h->d.udp[IKE_AF4][IKE_P500] = h->d.udp[IKE_AF4][IKE_P4500] = -1;
	h->d.udp[IKE_AF6][IKE_P500] = h->d.udp[IKE_AF6][IKE_P4500] = -1;
	h->d.ctl = h->d.epfd = -1;
	h->d.retransmit_tries = TRIES;
	h->d.retransmit_ms = RETRANSMIT_MS;
	h->d.debug = true;
	h->d.sas = ikesa_table_new();
	assert_non_null(h->d.sas);
	memset(&h->pool, 0, sizeof(h->pool));
	ike_pool_start(&h->pool, 0);	/* jobs run at once, here */
	h->d.pool = &h->pool;
	h->sent = 0;
	ikesa_config_changed(&h->d, NULL);
}

void host_stop(struct host *h)
{
	ike_pool_stop(&h->d, &h->pool);
	ikesa_table_free(&h->d);
	ike_config_free(h->d.conf);
	free(h->d.conf);
	unlink(h->conf);
	rmdir(h->dir);
	h->d.sas = NULL;
}

void assert_sa(struct host *h, enum ikesa_state s)
{
	struct ikesa *sa = h->d.sas->head;

	assert_non_null(sa);
	assert_null(sa->next);
	if (sa->state != s)
		fail_msg("%s: IKE SA %s, expected %s", h->name,
			 ikesa_state_id(sa->state), ikesa_state_id(s));
}

/* h has no IKE SA left: dead ones were freed where the daemon frees them. */
void assert_no_sa(struct host *h)
{
	if (h->d.sas->head)
		fail_msg("%s: an IKE SA in state %s", h->name,
			 ikesa_state_id(h->d.sas->head->state));
}

void assert_logged(const char *text)
{
	if (!strstr(log_text, text))
		fail_msg("not in the log: \"%s\"\n--- log:\n%s", text, log_text);
}

void fakes_reset(void)
{
	clock_ms = 1000000;
	queued = 0;
	log_len = 0;
	log_text[0] = '\0';
}
