/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE daemon's context (`kipsec ike`): its state, shared by every
 * part, and a datagram as it arrived. daemon.c holds the event loop that
 * drives the parts; its clock and log (log.h), UDP sockets (net.h) and
 * control clients (waiter.h) are below everything.
 */
#ifndef KIPSEC_IKE_CONTEXT_H
#define KIPSEC_IKE_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "kernel.h"
#include "log.h"
#include "net.h"
#include "waiter.h"

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

#endif /* KIPSEC_IKE_CONTEXT_H */
