// SPDX-License-Identifier: GPL-2.0
/* Socket addresses, as the IKE daemon's sockets give and take them. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "../kipsec.h"
#include "conf.h"
#include "ike.h"
#include "sockaddr.h"

void ss_to_addr(const struct sockaddr_storage *ss, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(a->bytes, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	else
		memcpy(a->bytes, &((const struct sockaddr_in6 *)ss)->sin6_addr,
		       16);
}

uint16_t ss_port(const struct sockaddr_storage *ss)
{
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

void ss_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	((struct sockaddr_in *)ss)->sin_port = htons(port);
}

const char *ss_format(const struct sockaddr_storage *ss, char *buf,
		      size_t size)
{
	struct addr a;
	char s[ADDR_STRLEN];

	ss_to_addr(ss, &a);
	snprintf(buf, size, "%s[%u]", format_addr(&a, s, sizeof(s)),
		 ss_port(ss));
	return buf;
}

void ss_from_addr(const struct addr *a, uint16_t port,
		       struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a->bytes, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a->bytes, 16);
	}
	ss_set_port(ss, port);
}

/* ---- where IKE goes for a connection ---- */

static int local_for(const struct sockaddr_storage *remote,
		     struct sockaddr_storage *local)
{
	socklen_t len = sizeof(*local);
	int fd = socket(remote->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret;

	if (fd < 0)
		return -1;
	/* connect() on UDP sends nothing: it asks the routing table */
	ret = connect(fd, (const struct sockaddr *)remote,
		      remote->ss_family == AF_INET ?
		      sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) ||
	      getsockname(fd, (struct sockaddr *)local, &len);
	close(fd);
	return ret ? -1 : 0;
}

static bool single_host(const struct ike_conf_hosts *h)
{
	return h->n && h->v[0].lo.family &&
	       !memcmp(&h->v[0].lo, &h->v[0].hi, sizeof(h->v[0].lo));
}

int ike_conn_addresses(const struct ike_conn *c, struct sockaddr_storage *local,
		       struct sockaddr_storage *remote, char *why, size_t size)
{
	if (!single_host(&c->remote_addrs)) {
		snprintf(why, size, "remote_addrs names no single address to send to");
		return -1;
	}
	ss_from_addr(&c->remote_addrs.v[0].lo,
		     c->remote_port ? c->remote_port : IKE_PORT, remote);
	if (single_host(&c->local_addrs))
		ss_from_addr(&c->local_addrs.v[0].lo, IKE_PORT, local);
	else if (local_for(remote, local)) {
		snprintf(why, size, "no route to the remote address");
		return -1;
	}
	ss_set_port(local, IKE_PORT);
	return 0;
}

/* ---- which connection a datagram is for ---- */

static bool host_in(const struct ike_conf_hosts *hosts,
		    const struct sockaddr_storage *ss)
{
	struct addr a;
	size_t i, len;

	if (!hosts->n)
		return true;
	ss_to_addr(ss, &a);
	len = a.family == AF_INET ? 4 : 16;
	for (i = 0; i < hosts->n; i++) {
		const struct ike_conf_host *h = &hosts->v[i];

		if (!h->lo.family)
			return true;		/* %any */
		if (h->lo.family != a.family)
			continue;
		if (memcmp(a.bytes, h->lo.bytes, len) >= 0 &&
		    memcmp(a.bytes, h->hi.bytes, len) <= 0)
			return true;
	}
	return false;
}

const struct ike_conn *ike_conn_for(const struct ike_config *conf,
				    const struct sockaddr_storage *local,
				    const struct sockaddr_storage *remote,
				    unsigned int version)
{
	size_t i;

	for (i = 0; i < conf->n_conns; i++) {
		const struct ike_conn *c = &conf->conns[i];

		if ((!version || !c->version || c->version == version) &&
		    host_in(&c->local_addrs, local) &&
		    host_in(&c->remote_addrs, remote))
			return c;
	}
	return NULL;
}
