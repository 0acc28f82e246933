// SPDX-License-Identifier: GPL-2.0
/*
 * The IKEv2 exchanges of the daemon as state machines, with a fake clock
 * and a fake network: two daemons in this process, "moon" (192.0.2.1)
 * and "sun" (192.0.2.2), whose datagrams go into a queue the test hands
 * over, loses or holds as it likes, and whose clock only moves when the
 * test says. No sockets, no kernel: the connection has no CHILD_SA, so
 * the IKE SA's life alone is exercised (IKE_SA_INIT, IKE_AUTH with a
 * pre-shared key, retransmission, the repeated answer to a repeated
 * request, the half-open timeout, Delete), and what becomes of IKEv1.
 *
 * Both ends are ours, so these tests prove the state machines and their
 * timing, not interoperability: selftests/kipsec-ike.sh does that against
 * charon. The expected timing is RFC 7296 section 2.1's (retransmit, then
 * give up) with the daemon's schedule (--retransmit-timeout doubled each
 * time, --retransmit-tries times); 2.1's rule that a repeated request gets
 * the very same response; 1.4.1's Delete.
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

#include "ike/conf.h"
#include "ike/context.h"
#include "ike/ikesa.h"
#include "ike/ikesa_int.h"
#include "ike/pool.h"
#include "ike_fakes.h"
#include "ike/v1/msg.h"


/* ---- the two daemons ---- */

static const char psk[] = "0x6b69707365632d756e69742d74657374";

static void write_conf(struct host *h, const struct host *peer)
{
	FILE *f = fopen(h->conf, "w");

	assert_non_null(f);
	fprintf(f,
		"connections {\n"
		"  gw {\n"
		"    version = 2\n"
		"    local_addrs = %s\n"
		"    remote_addrs = %s\n"
		"    proposals = aes256-sha256-modp2048\n"
		"    local {\n      auth = psk\n      id = %s.test\n    }\n"
		"    remote {\n      auth = psk\n      id = %s.test\n    }\n"
		"  }\n"
		"}\n"
		"secrets {\n"
		"  ike-gw {\n    id = %s.test\n    secret = %s\n  }\n"
		"}\n",
		h->addr, peer->addr, h->name, peer->name, peer->name, psk);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	fakes_reset();
	host_start(&moon, &sun, write_conf);
	host_start(&sun, &moon, write_conf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_stop(&moon);
	host_stop(&sun);
	return 0;
}

/* The one IKE SA of h in state s (NULL: h has none). */

/* ---- a control client: what `kipsec up` is told ---- */

struct client {
	int fd;				/* its end of the socket */
	struct ike_waiter *w;		/* the daemon's end */
};

static struct client client_new(void)
{
	struct client c;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	c.fd = sv[0];
	c.w = ike_waiter_new(sv[1]);
	assert_non_null(c.w);
	return c;
}

/* All the daemon wrote to the client; it must have ended with "= N". */
static void client_read(struct client *c, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size - 1 &&
	       (n = recv(c->fd, buf + len, size - 1 - len, MSG_DONTWAIT)) > 0)
		len += n;
	buf[len] = '\0';
	close(c->fd);
}

static void establish(void)
{
	ikesa_up(&moon.d, "gw", NULL);
	deliver_all();
	assert_sa(&moon, IKESA_ESTABLISHED);
	assert_sa(&sun, IKESA_ESTABLISHED);
}

/* ---- the tests ---- */

/* Four messages, each state change on the way logged. */
static void test_establish(void **state)
{
	struct client c = client_new();
	char said[512];

	(void)state;
	ikesa_up(&moon.d, "gw", c.w);
	deliver_all();
	assert_sa(&moon, IKESA_ESTABLISHED);
	assert_sa(&sun, IKESA_ESTABLISHED);
	client_read(&c, said, sizeof(said));
	assert_string_equal(said, "= 0\n");
	assert_int_equal(moon.sent, 2);
	assert_int_equal(sun.sent, 2);
	assert_logged("gw: IKE SA NEW -> INIT_SENT");
	assert_logged("gw: IKE SA INIT_SENT -> AUTH_SENT");
	assert_logged("gw: IKE SA AUTH_SENT -> ESTABLISHED");
	assert_logged("gw: IKE SA NEW -> HALF_OPEN");
	assert_logged("gw: IKE SA HALF_OPEN -> ESTABLISHED");
	assert_null(strstr(log_text, "refused"));
	assert_logged("gw: IKE SA established with moon.test (responder), no CHILD_SA asked for");
}

/*
 * Nobody answers: the request goes again after 2, 4 and 8 s, not a
 * millisecond earlier; 16 s after the last one the IKE SA fails with
 * the sentence that names where the packets went.
 */
static void test_no_answer(void **state)
{
	uint64_t t0 = clock_ms, at = t0;
	struct datagram first, again;
	int i;

	(void)state;
	ikesa_up(&moon.d, "gw", NULL);
	assert_int_equal(queued, 1);
	first = take();
	assert_int_equal(exchange_of(&first), IKE_SA_INIT);
	for (i = 1; i <= TRIES; i++) {
		at += (uint64_t)RETRANSMIT_MS << (i - 1);
		clock_to(at - 1);
		assert_int_equal(queued, 0);
		clock_to(at);
		assert_int_equal(queued, 1);
		again = take();	/* lost too */
		assert_memory_equal(again.p, first.p, first.len);
	}
	assert_sa(&moon, IKESA_INIT_SENT);
	clock_to(at + ((uint64_t)RETRANSMIT_MS << TRIES));
	assert_int_equal(queued, 0);
	assert_no_sa(&moon);
	assert_int_equal(moon.sent, 1 + TRIES);
	assert_logged("gw: IKE_SA_INIT: no answer from 192.0.2.2[500] after 3 retransmissions: the peer is unreachable or not running IKE there");
}

/*
 * The IKE_SA_INIT response is lost: the repeated request gets the same
 * response, byte for byte, and no second half-open SA (section 2.1).
 */
static void test_init_response_lost(void **state)
{
	struct datagram req, resp, again;

	(void)state;
	ikesa_up(&moon.d, "gw", NULL);
	req = take();
	deliver(&req);
	resp = take();		/* lost */
	assert_true(is_response(&resp));
	assert_sa(&sun, IKESA_HALF_OPEN);
	clock_to(clock_ms + RETRANSMIT_MS);
	req = take();		/* the retransmission reaches sun */
	deliver(&req);
	again = take();
	assert_int_equal(again.len, resp.len);
	assert_memory_equal(again.p, resp.p, resp.len);
	assert_sa(&sun, IKESA_HALF_OPEN);
	deliver(&again);
	deliver_all();
	assert_sa(&moon, IKESA_ESTABLISHED);
	assert_sa(&sun, IKESA_ESTABLISHED);
}

/* The IKE_AUTH response is lost: the repeated IKE_AUTH, same answer. */
static void test_auth_response_lost(void **state)
{
	struct datagram q, resp, again;

	(void)state;
	ikesa_up(&moon.d, "gw", NULL);
	q = take();		/* IKE_SA_INIT request */
	deliver(&q);
	q = take();		/* its response */
	deliver(&q);
	q = take();		/* IKE_AUTH request */
	assert_int_equal(exchange_of(&q), IKE_AUTH);
	deliver(&q);
	resp = take();		/* lost */
	assert_true(is_response(&resp));
	assert_sa(&sun, IKESA_ESTABLISHED);
	assert_sa(&moon, IKESA_AUTH_SENT);
	clock_to(clock_ms + RETRANSMIT_MS);
	q = take();		/* the IKE_AUTH request again */
	assert_int_equal(exchange_of(&q), IKE_AUTH);
	deliver(&q);
	again = take();
	assert_int_equal(again.len, resp.len);
	assert_memory_equal(again.p, resp.p, resp.len);
	deliver(&again);
	assert_int_equal(queued, 0);
	assert_sa(&moon, IKESA_ESTABLISHED);
	assert_sa(&sun, IKESA_ESTABLISHED);
}

/*
 * A responder whose IKE_SA_INIT answer never got an IKE_AUTH forgets
 * the half-open SA after 30 s, not before.
 */
static void test_half_open_times_out(void **state)
{
	uint64_t t0 = clock_ms;
	struct datagram req;

	(void)state;
	ikesa_up(&moon.d, "gw", NULL);
	req = take();
	deliver(&req);
	queued = 0;		/* the answer lost */
	clock_to(t0 + 30000 - 1);
	queued = 0;		/* moon's retransmissions lost too */
	assert_sa(&sun, IKESA_HALF_OPEN);
	clock_to(t0 + 30000);
	assert_no_sa(&sun);
	assert_logged("gw: half-open IKE SA timed out");
}

/*
 * IKEv1 Main Mode message 1 as a peer we did not write sent it: recorded
 * by RUB-NDS/IPsec-StateMachineExtractor (Apache-2.0),
 * src/test/java/de/rub/nds/ipsec/statemachineextractor/ike/
 * IKEv1HandshakeIT.java (AES-128, SHA, MODP_1024, PSK, 28800 s), as
 * tests/test_ike1_msg.c has it.
 */
static const uint8_t ikev1_mm1[] = {
	0x59, 0xce, 0xdc, 0x5d, 0xce, 0xa5, 0x58, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x10, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x54,
	0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0x80, 0x01, 0x00, 0x07,
	0x80, 0x0e, 0x00, 0x80, 0x80, 0x02, 0x00, 0x02, 0x80, 0x04, 0x00, 0x02,
	0x80, 0x03, 0x00, 0x01, 0x80, 0x0b, 0x00, 0x01, 0x80, 0x0c, 0x70, 0x80,
};

/*
 * An IKEv1 peer starts Main Mode with sun, whose connection for it is
 * version = 2: NO-PROPOSAL-CHOSEN in an unprotected Informational for
 * the peer's cookie, and a line that names the peer, the connection and
 * both versions.
 */
static void test_ikev1_to_ikev2_connection(void **state)
{
	struct datagram q = { .from = &moon, .to = &sun };
	struct ike1_msg m = { 0 };
	struct ike1_err err = { 0 };
	struct datagram answer;

	(void)state;
	ss_from_addr(&(struct addr){ .family = AF_INET,
				     .bytes = { 192, 0, 2, 1 } }, 500, &q.src);
	ss_from_addr(&(struct addr){ .family = AF_INET,
				     .bytes = { 192, 0, 2, 2 } }, 500, &q.dst);
	memcpy(q.p, ikev1_mm1, sizeof(ikev1_mm1));
	q.len = sizeof(ikev1_mm1);
	deliver(&q);
	assert_int_equal(queued, 1);
	answer = take();
	assert_ptr_equal(answer.to, &moon);
	if (ike1_msg_decode(answer.p, answer.len, &m, &err))
		fail_msg("the answer does not decode: %s", err.msg);
	assert_int_equal(m.hdr.exchange, IKE1_EXCH_INFO);
	assert_memory_equal(m.hdr.icookie, ikev1_mm1, IKE1_COOKIE_LEN);
	assert_int_equal(m.n_notify, 1);
	assert_int_equal(m.notify[0].type, IKE1_N_NO_PROPOSAL_CHOSEN);
	assert_logged("gw: IKE version mismatch: 192.0.2.1[500] sent an IKEv1 Main Mode request; connection gw is version = 2 (IKEv2 only): refused with NO-PROPOSAL-CHOSEN");
	assert_null(sun.d.sas->head);
}

/* `kipsec up` of a version = 1 connection says why nothing happens. */
static void test_up_ikev1_connection(void **state)
{
	struct client c = client_new();
	char said[512];

	(void)state;
	((struct ike_conn *)&moon.d.conf->conns[0])->version = 1;
	ikesa_up(&moon.d, "gw", c.w);
	assert_int_equal(queued, 0);
	clock_to(clock_ms);		/* the loop's next turn frees the dead */
	assert_no_sa(&moon);
	client_read(&c, said, sizeof(said));
	assert_string_equal(said, "connection gw is version = 1 (IKEv1): kipsec ike does not negotiate IKEv1 yet\n= 1\n");
	assert_logged("gw: connection gw is version = 1 (IKEv1): kipsec ike does not negotiate IKEv1 yet");
}

/*
 * An unprotected IKE_SA_INIT "response" (anyone on the path can send
 * one) to an SA past IKE_SA_INIT whose request has its message ID: not
 * the exchange asked for, so dropped; the SA goes on as before.
 */
static void test_forged_init_response(void **state)
{
	struct ike_hdr h = { .exchange = IKE_SA_INIT, .flags = IKE_FLAG_RESPONSE };
	struct datagram q = { .from = &sun, .to = &moon };
	struct ikesa *sa;
	struct ike_buf b = { 0 };

	(void)state;
	establish();
	ikesa_down(&moon.d, "gw", NULL);	/* a request of moon's out */
	take();					/* ... and lost */
	sa = moon.d.sas->head;
	memcpy(h.ispi, sa->spi_i, IKE_SPI_LEN);
	memcpy(h.rspi, sa->spi_r, IKE_SPI_LEN);
	h.msg_id = sa->req.id;
	ike_msg_start(&b, &h);
	ike_put_notify(&b, &(struct ike_pl_notify){
		.type = IKE_N_COOKIE, .data = { (const uint8_t *)"cookie", 6 } });
	assert_int_equal(ike_msg_finish(&b), 0);
	q.src = sa->remote;
	q.dst = sa->local;
	memcpy(q.p, b.p, b.len);
	q.len = b.len;
	ike_buf_free(&b);
	deliver(&q);
	assert_int_equal(queued, 0);
	assert_sa(&moon, IKESA_DELETING);
	assert_null(strstr(log_text, "internal error"));
}

/* `kipsec down`: a Delete, answered; both sides forget the IKE SA. */
static void test_delete(void **state)
{
	struct datagram del;

	(void)state;
	establish();
	ikesa_down(&moon.d, "gw", NULL);
	assert_int_equal(queued, 1);
	del = take();
	assert_int_equal(exchange_of(&del), IKE_INFORMATIONAL);
	assert_false(is_response(&del));
	assert_sa(&moon, IKESA_DELETING);
	deliver(&del);
	assert_no_sa(&sun);
	assert_logged("gw: the peer deleted the IKE SA");
	deliver_all();
	assert_no_sa(&moon);
	assert_logged("gw: IKE SA ESTABLISHED -> DELETING");
	assert_logged("gw: IKE SA DELETING -> DEAD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_establish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_response_lost, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_auth_response_lost, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_half_open_times_out, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ikev1_to_ikev2_connection,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_up_ikev1_connection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_forged_init_response, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
