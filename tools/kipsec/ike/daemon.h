/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE daemon's core (`kipsec ike`): its sockets, its clock, its log
 * and its control clients. The IKE SAs (ikesa.c) live on top of it.
 */
#ifndef KIPSEC_IKE_DAEMON_H
#define KIPSEC_IKE_DAEMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "kernel.h"

#define IKE_CONTROL_DEFAULT	"/run/kipsec/ike.sock"
#define IKE_CONFIG_DEFAULT	"/etc/kipsec/kipsec.conf"

struct ike_config;
struct ikesa_table;
struct ikesa_index;
struct ike_pool;

/* Our UDP sockets: [IPv4, IPv6][port 500, port 4500]; -1 when absent. */
enum { IKE_AF4, IKE_AF6, IKE_NAF };
enum { IKE_P500, IKE_P4500, IKE_NPORT };

struct ike_daemon {
	const char *conf_path;
	struct ike_config *conf;
	struct ike_kernel kernel;
	int udp[IKE_NAF][IKE_NPORT];
	int ctl;		/* the listening control socket */
	int epfd;
	bool debug;
	const char *keylog_dir;	/* Wireshark's key files go there */
	/* retransmissions: after retransmit_ms, then doubling, this often */
	unsigned int retransmit_tries;
	unsigned int retransmit_ms;
	struct ikesa_table *sas;
	struct ikesa_index *sa_index;	/* the SAs by SPI (ikesa.c) */
	struct ike_pool *pool;		/* worker threads (pool.h) */
	unsigned int workers;		/* how many: --workers */
};

/* A datagram as it arrived: the non-ESP marker (port 4500) is gone. */
struct ike_dgram {
	struct sockaddr_storage local;	/* where it was sent to */
	struct sockaddr_storage remote;
	bool natt;			/* arrived on port 4500 */
	const uint8_t *p;
	size_t len;
};

/* Milliseconds of a monotonic clock. */
uint64_t ike_now_ms(void);

/*
 * Send from local (address and port) to remote; on port 4500 with the
 * non-ESP marker. 0, or -1 (logged).
 */
int ike_send(struct ike_daemon *d, const struct sockaddr_storage *local,
	     const struct sockaddr_storage *remote, const uint8_t *p,
	     size_t len);

/* A NAT keepalive on port 4500: one 0xff byte, no marker. */
int ike_send_keepalive(struct ike_daemon *d,
		       const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote);

__attribute__((format(printf, 1, 2)))
void ike_log(const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void ike_debug(const struct ike_daemon *d, const char *fmt, ...);

/*
 * A control client waiting for an answer ("up" waits for the IKE SA).
 * Lines go to the client as they come; done() sends the exit status and
 * frees the waiter. A client that went away is not an error.
 */
struct ike_waiter;

__attribute__((format(printf, 2, 3)))
void ike_waiter_say(struct ike_waiter *w, const char *fmt, ...);
void ike_waiter_done(struct ike_waiter *w, int status);

#endif /* KIPSEC_IKE_DAEMON_H */
