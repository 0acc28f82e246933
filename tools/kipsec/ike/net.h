/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE daemon's UDP sockets, ports 500 and 4500 over IPv4 and IPv6
 * (d->udp): opening, receiving with the address a datagram was sent to,
 * sending from the address the peer knows us by.
 */
#ifndef KIPSEC_IKE_NET_H
#define KIPSEC_IKE_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct ike_daemon;
struct ike_dgram;

/* IKE_PORT or IKE_NATT_PORT for IKE_P500 or IKE_P4500. */
uint16_t ike_port_of(int port_idx);

/* A socket bound to port on every address of af, or -1 (errno). */
int ike_udp_open(int af, uint16_t port);

/*
 * The next IKE datagram on socket d->udp[af_idx][port_idx] into buf, dg
 * pointing into it (port 4500: past the non-ESP marker; anything else
 * there is skipped). 1, or 0 once none is left.
 */
int ike_udp_recv(struct ike_daemon *d, int af_idx, int port_idx,
		 struct ike_dgram *dg, uint8_t *buf, size_t size);

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

#endif
