/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket addresses (struct sockaddr_storage, IPv4 or IPv6 and a port), as
 * the IKE daemon's sockets give and take them, and the tool's struct addr.
 */
#ifndef KIPSEC_IKE_SOCKADDR_H
#define KIPSEC_IKE_SOCKADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct addr;
struct ike_conn;
struct ike_config;

void ss_to_addr(const struct sockaddr_storage *ss, struct addr *a);
void ss_from_addr(const struct addr *a, uint16_t port,
		  struct sockaddr_storage *ss);
uint16_t ss_port(const struct sockaddr_storage *ss);
void ss_set_port(struct sockaddr_storage *ss, uint16_t port);
/* "192.0.2.1[500]", as charon writes an endpoint */
const char *ss_format(const struct sockaddr_storage *ss, char *buf,
		      size_t size);

/*
 * Where IKE goes for connection c: remote_addrs (one address), and
 * local_addrs or else what the routing table picks for the remote. 0, or
 * -1 and why.
 */
int ike_conn_addresses(const struct ike_conn *c, struct sockaddr_storage *local,
		       struct sockaddr_storage *remote, char *why, size_t size);

/*
 * The first connection, in file order, whose local_addrs and remote_addrs
 * hold local and remote and whose version is version or 0 (either); a
 * version of 0 takes any connection.
 */
const struct ike_conn *ike_conn_for(const struct ike_config *conf,
				    const struct sockaddr_storage *local,
				    const struct sockaddr_storage *remote,
				    unsigned int version);

#endif
