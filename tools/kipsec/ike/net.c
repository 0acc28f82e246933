// SPDX-License-Identifier: GPL-2.0
/* The IKE daemon's UDP sockets (net.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "context.h"
#include "ike.h"
#include "log.h"
#include "net.h"

#define NON_ESP_MARKER_LEN	4

uint16_t ike_port_of(int port_idx)
{
	return port_idx == IKE_P500 ? IKE_PORT : IKE_NATT_PORT;
}

int ike_udp_open(int af, uint16_t port)
{
	int fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int one = 1;

	if (fd < 0)
		return -1;
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		len = sizeof(*sin);
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)))
			goto err;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			       sizeof(one)) ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
			       sizeof(one)))
			goto err;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len))
		goto err;
	return fd;
err:
	close(fd);
	return -1;
}

/* The address the datagram was sent to, from its IP_PKTINFO. */
static void dgram_local(struct msghdr *mh, int af, uint16_t port,
			struct sockaddr_storage *local)
{
	struct cmsghdr *c;

	memset(local, 0, sizeof(*local));
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (af == AF_INET && c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo *pi = (void *)CMSG_DATA(c);
			struct sockaddr_in *sin = (struct sockaddr_in *)local;

			sin->sin_family = AF_INET;
			sin->sin_port = htons(port);
			sin->sin_addr = pi->ipi_addr;
		} else if (af == AF_INET6 && c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo *pi = (void *)CMSG_DATA(c);
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)local;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(port);
			sin6->sin6_addr = pi->ipi6_addr;
		}
	}
}

int ike_udp_recv(struct ike_daemon *d, int af_idx, int port_idx,
		 struct ike_dgram *dg, uint8_t *buf, size_t size)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	int af = af_idx == IKE_AF4 ? AF_INET : AF_INET6;
	struct iovec iov = { buf, size };
	struct msghdr mh = {
		.msg_name = &dg->remote,
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
	};
	ssize_t n;

	for (;;) {
		memset(dg, 0, sizeof(*dg));
		dg->natt = port_idx == IKE_P4500;
		mh.msg_namelen = sizeof(dg->remote);
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(d->udp[af_idx][port_idx], &mh, 0);
		if (n < 0)
			return 0;	/* EAGAIN: all read */
		dgram_local(&mh, af, ike_port_of(port_idx), &dg->local);
		dg->p = buf;
		dg->len = n;
		if (!dg->natt)
			return 1;
		/*
		 * The module takes ESP and keepalives off this socket; IKE
		 * comes behind four zero bytes.
		 */
		if (n < NON_ESP_MARKER_LEN || memcmp(buf, "\0\0\0\0", 4))
			continue;
		dg->p += NON_ESP_MARKER_LEN;
		dg->len -= NON_ESP_MARKER_LEN;
		return 1;
	}
}

static int udp_send(struct ike_daemon *d,
		    const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote, bool marker,
		    const uint8_t *p, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	int af_idx = remote->ss_family == AF_INET ? IKE_AF4 : IKE_AF6;
	uint16_t lport = ntohs(((const struct sockaddr_in *)local)->sin_port);
	int port_idx = lport == IKE_NATT_PORT ? IKE_P4500 : IKE_P500;
	static const uint8_t zeros[NON_ESP_MARKER_LEN];
	struct iovec iov[2] = {
		{ (void *)zeros, sizeof(zeros) },
		{ (void *)p, len },
	};
	struct msghdr mh = {
		.msg_name = (void *)remote,
		.msg_namelen = af_idx == IKE_AF4 ? sizeof(struct sockaddr_in) :
						   sizeof(struct sockaddr_in6),
		.msg_iov = marker ? iov : iov + 1,
		.msg_iovlen = marker ? 2 : 1,
		.msg_control = cbuf,
	};
	struct cmsghdr *c;
	int fd = d->udp[af_idx][port_idx];

	if (fd < 0) {
		ike_log("cannot send: no %s socket on port %u",
			af_idx == IKE_AF4 ? "IPv4" : "IPv6", ike_port_of(port_idx));
		return -1;
	}
	/* from the address the peer knows us by */
	if (af_idx == IKE_AF4) {
		struct in_pktinfo pi = {
			.ipi_spec_dst =
				((const struct sockaddr_in *)local)->sin_addr,
		};

		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = {
			.ipi6_addr =
				((const struct sockaddr_in6 *)local)->sin6_addr,
		};

		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	if (sendmsg(fd, &mh, 0) < 0) {
		ike_log("send: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int ike_send(struct ike_daemon *d, const struct sockaddr_storage *local,
	     const struct sockaddr_storage *remote, const uint8_t *p,
	     size_t len)
{
	/* the non-ESP marker only on port 4500 (RFC 3948 section 2.2) */
	bool natt = ntohs(((const struct sockaddr_in *)local)->sin_port) ==
		    IKE_NATT_PORT;

	return udp_send(d, local, remote, natt, p, len);
}

int ike_send_keepalive(struct ike_daemon *d,
		       const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote)
{
	static const uint8_t keepalive = 0xff;	/* RFC 3948 section 2.3 */

	return udp_send(d, local, remote, false, &keepalive, 1);
}
