// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec encap: the namespace's socket for UDP-encapsulated ESP (RFC 3948).
 * "listen" opens the UDP socket (port 4500 unless told), hands it to the
 * module (netlink encap-set) and keeps it open until interrupted, printing
 * what stays on it (IKE messages: there is no IKE daemon here); ESP-in-UDP
 * never reaches it. Closing the socket detaches it; "del" does so at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/kipsec.h>

#include "nl.h"

#define NATT_PORT 4500

static volatile sig_atomic_t encap_stop;

static void encap_on_signal(int sig)
{
	(void)sig;
	encap_stop = 1;
}

/* encap-set with the socket fd, or encap-del when fd < 0. */
static int encap_request(struct args *a, int fd)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (genl_open(&nl))
		return EXIT_FAIL;
	nlh = genl_msg(&nl, fd < 0 ? KIPSEC_CMD_ENCAP_DEL :
				     KIPSEC_CMD_ENCAP_SET, 0);
	if (fd >= 0)
		mnl_attr_put_u32(nlh, KIPSEC_A_ENCAP_FD, (uint32_t)fd);
	ret = nl_do(&nl, nlh, a->command, NULL, NULL);
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int encap_open(struct args *a, const struct addr *local, uint16_t port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};
	int one = 1, fd;

	if (local->family)
		memcpy(&sin.sin_addr, local->bytes, 4);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		errx_kipsec("%s: UDP port %u: %s", a->command, port,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* What stays on the socket: IKE messages, behind the non-ESP marker. */
static void encap_drain(int fd)
{
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char buf[65536], who[INET_ADDRSTRLEN];
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	if (n < 0)
		return;
	inet_ntop(AF_INET, &from.sin_addr, who, sizeof(who));
	printf("%zd bytes from %s:%u stay on the socket (not ESP)\n", n, who,
	       ntohs(from.sin_port));
	fflush(stdout);
}

static int encap_listen(struct args *a, const struct opts *o)
{
	struct sigaction sa = { .sa_handler = encap_on_signal };
	struct addr local = { 0 };
	uint16_t port = NATT_PORT;
	const char *w;
	int fd;

	(void)o;
	while ((w = args_next(a))) {
		if (!strcmp(w, "port"))
			port = arg_u16(a, w);
		else if (!strcmp(w, "addr"))
			arg_addr(a, w, &local);
		else
			unknown_keyword(a, w);
	}
	if (local.family && local.family != AF_INET)
		usage_die(a, "addr: UDP encapsulation is IPv4 only");
	fd = encap_open(a, &local, port);
	if (fd < 0)
		return EXIT_FAIL;
	if (encap_request(a, fd)) {
		close(fd);
		return EXIT_FAIL;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("ESP-in-UDP on port %u goes to kipsec; interrupt to stop\n",
	       port);
	fflush(stdout);
	while (!encap_stop)
		encap_drain(fd);
	close(fd);
	return EXIT_OK;
}

static int encap_del(struct args *a, const struct opts *o)
{
	(void)o;
	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	return encap_request(a, -1);
}

static void encap_usage(FILE *f)
{
	fputs("Usage: kipsec encap listen [port PORT] [addr ADDR]\n"
	      "       kipsec encap del\n", f);
}

static const struct command encap_cmds[] = {
	{ "listen", encap_listen },
	{ "del", encap_del },
};

const struct object encap_object = {
	"encap", encap_cmds, ARRAY_SIZE(encap_cmds), "help", encap_usage,
};
