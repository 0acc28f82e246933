// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec ike: the IKE daemon's core. One thread, one epoll loop: the UDP
 * sockets on ports 500 and 4500 (IPv4 and IPv6), the kipsec module's
 * events, the control socket, signals, and the IKE SAs' timers. It runs
 * in the foreground and logs to stderr, as systemd wants. Only the
 * responder's IKE_SA_INIT key exchange runs elsewhere, in worker threads
 * (pool.h, initkex.c) whose results come back through the loop.
 */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "conf.h"
#include "crypto.h"
#include "context.h"
#include "ikesa.h"
#include "pool.h"

#define CTL_LINE_MAX		256

/* What each epoll event is, in its data.u64: kind << 8 | index. */
enum ev_kind { EV_UDP, EV_KERNEL, EV_CTL, EV_SIGNAL, EV_POOL };

static int epoll_watch(struct ike_daemon *d, int fd, enum ev_kind kind,
		       unsigned int idx)
{
	struct epoll_event ev = {
		.events = EPOLLIN,
		.data.u64 = (uint64_t)kind << 8 | idx,
	};

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev);
}

/*
 * Ports 500 and 4500 on every family the host has. The IPv4 port-4500
 * socket goes to the module, which decapsulates the ESP in UDP arriving
 * on it and leaves IKE to us.
 */
static int udp_setup(struct ike_daemon *d)
{
	int a, p, af, opened = 0;

	for (a = 0; a < IKE_NAF; a++) {
		af = a == IKE_AF4 ? AF_INET : AF_INET6;
		for (p = 0; p < IKE_NPORT; p++) {
			d->udp[a][p] = ike_udp_open(af, ike_port_of(p));
			if (d->udp[a][p] < 0) {
				if (errno != EAFNOSUPPORT && errno != EADDRNOTAVAIL)
					ike_log("UDP %s port %u: %s",
						a == IKE_AF4 ? "IPv4" : "IPv6",
						ike_port_of(p), strerror(errno));
				continue;
			}
			if (epoll_watch(d, d->udp[a][p], EV_UDP, a << 1 | p))
				return -1;
			opened++;
		}
	}
	if (!opened || d->udp[IKE_AF4][IKE_P500] < 0)
		return -1;
	if (d->udp[IKE_AF4][IKE_P4500] >= 0 &&
	    ike_kernel_encap_set(&d->kernel, d->udp[IKE_AF4][IKE_P4500])) {
		ike_log("NAT traversal off: %s", d->kernel.err);
		close(d->udp[IKE_AF4][IKE_P4500]);
		d->udp[IKE_AF4][IKE_P4500] = -1;
	}
	return 0;
}

/* ---- the control socket ---- */

static int ctl_setup(struct ike_daemon *d, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)];

	if (strlen(path) >= sizeof(sun.sun_path)) {
		ike_log("control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	strcpy(dir, path);
	mkdir(dirname(dir), 0755);	/* /run/kipsec may not exist yet */
	unlink(path);
	d->ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (d->ctl < 0 ||
	    bind(d->ctl, (struct sockaddr *)&sun, sizeof(sun)) ||
	    chmod(path, 0600) || listen(d->ctl, 16) ||
	    epoll_watch(d, d->ctl, EV_CTL, 0)) {
		ike_log("control socket %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static bool ctl_read_line(int fd, char *line, size_t size)
{
	struct timeval tv = { .tv_sec = 1 };
	size_t len = 0;
	ssize_t n;

	/* a local client writes its line at once: never stall the loop */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < size - 1) {
		n = recv(fd, line + len, 1, 0);
		if (n <= 0)
			return false;
		if (line[len] == '\n')
			break;
		len++;
	}
	line[len] = '\0';
	return true;
}

static int reload(struct ike_daemon *d, struct ike_waiter *w);

static void ctl_status(struct ike_daemon *d, struct ike_waiter *w, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		ike_waiter_done(w, 1);
		return;
	}
	ikesa_status(d, f, json);
	fclose(f);
	ike_waiter_write(w, text, len);
	free(text);
	ike_waiter_done(w, 0);
}

/* One request per connection: "up NAME", "down NAME", "status [-j]", "reload". */
static void ctl_accept(struct ike_daemon *d)
{
	char line[CTL_LINE_MAX], *arg;
	struct ike_waiter *w;
	int fd;

	fd = accept4(d->ctl, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	w = ike_waiter_new(fd);
	if (!w) {
		close(fd);
		return;
	}
	if (!ctl_read_line(fd, line, sizeof(line))) {
		ike_waiter_done(w, 2);
		return;
	}
	arg = strchr(line, ' ');
	if (arg)
		*arg++ = '\0';
	if (!strcmp(line, "up") && arg) {
		ikesa_up(d, arg, w);
	} else if (!strcmp(line, "down") && arg) {
		ikesa_down(d, arg, w);
	} else if (!strcmp(line, "rekey") && arg) {
		ikesa_rekey(d, arg, false, w);
	} else if (!strcmp(line, "rekey-ike") && arg) {
		ikesa_rekey(d, arg, true, w);
	} else if (!strcmp(line, "status")) {
		ctl_status(d, w, arg && !strcmp(arg, "-j"));
	} else if (!strcmp(line, "reload") && !arg) {
		ike_waiter_done(w, reload(d, w) ? 1 : 0);
	} else {
		ike_waiter_say(w, "unknown request \"%s\"", line);
		ike_waiter_done(w, 2);
	}
}

/* ---- configuration ---- */

static void config_free(struct ike_config *conf)
{
	if (!conf)
		return;
	ike_config_free(conf);
	free(conf);
}

/* A transform the parser knows but the daemon cannot negotiate yet. */
static bool transform_usable(const struct ike_transform *t)
{
	switch (t->type) {
	case IKE_TR_ENCR:
		return ike_encr_find(t->id, t->keylen);
	case IKE_TR_PRF:
		return ike_prf_find(t->id);
	case IKE_TR_INTEG:
		return t->id == IKE_INTEG_NONE || ike_integ_find(t->id);
	case IKE_TR_KE:
		return t->id == IKE_KE_NONE || ike_kex_len(t->id);
	}
	return true;
}

static int proposals_usable(const struct ike_proposal_list *l,
			    const char *path, const char *what,
			    unsigned int line, const char *name, char *err,
			    size_t size)
{
	char tr[64];
	size_t i, t;

	for (i = 0; i < l->n; i++) {
		for (t = 0; t < l->v[i].n_tr; t++) {
			if (transform_usable(&l->v[i].tr[t]))
				continue;
			snprintf(err, size, "%s:%u: %s %s: %s is not implemented by kipsec ike yet",
				 path, line, what, name,
				 ike_transform_format(&l->v[i].tr[t], tr,
						      sizeof(tr)));
			return -1;
		}
	}
	return 0;
}

/* Every algorithm the configuration names must be one we can negotiate. */
static int config_usable(const struct ike_config *conf, const char *path,
			 char *err, size_t size)
{
	size_t i, c;

	for (i = 0; i < conf->n_conns; i++) {
		const struct ike_conn *conn = &conf->conns[i];

		if (proposals_usable(&conn->proposals, path, "connection",
				     conn->line, conn->name, err, size))
			return -1;
		for (c = 0; c < conn->n_children; c++)
			if (proposals_usable(&conn->children[c].esp, path,
					     "child", conn->children[c].line,
					     conn->children[c].name, err,
					     size))
				return -1;
	}
	return 0;
}

/* Errors and warnings go to the log and to w (`kipsec reload`), if any. */
static struct ike_config *config_load(const char *path, struct ike_waiter *w)
{
	struct ike_config *conf = calloc(1, sizeof(*conf));
	char err[512];
	size_t i;

	if (!conf)
		return NULL;
	if (ike_config_load(conf, path, err, sizeof(err)) ||
	    config_usable(conf, path, err, sizeof(err))) {
		ike_log("%s", err);
		ike_waiter_say(w, "%s", err);
		config_free(conf);
		return NULL;
	}
	for (i = 0; i < conf->warnings.n; i++) {
		ike_log("%s", conf->warnings.v[i]);
		ike_waiter_say(w, "%s", conf->warnings.v[i]);
	}
	return conf;
}

static int reload(struct ike_daemon *d, struct ike_waiter *w)
{
	struct ike_config *conf = config_load(d->conf_path, w), *old;

	if (!conf) {
		ike_log("reload: %s has errors; the running configuration stays",
			d->conf_path);
		ike_waiter_say(w, "reload refused: the running configuration stays");
		return -1;
	}
	old = d->conf;
	d->conf = conf;
	ikesa_config_changed(d, old);
	config_free(old);
	ike_log("reloaded %s", d->conf_path);
	return 0;
}

/* ---- the loop ---- */

static int signals_setup(struct ike_daemon *d)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0 || epoll_watch(d, fd, EV_SIGNAL, 0))
		return -1;
	return fd;
}

/* false when the daemon must stop */
static bool on_signal(struct ike_daemon *d, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGHUP)
			return false;
		reload(d, NULL);
	}
	return true;
}

/* Every IKE datagram waiting on one socket, to the IKE SAs. */
static void udp_read(struct ike_daemon *d, int af_idx, int port_idx)
{
	uint8_t buf[IKE_MSG_MAX];
	struct ike_dgram dg;

	while (ike_udp_recv(d, af_idx, port_idx, &dg, buf, sizeof(buf)))
		ikesa_input(d, &dg);
}

static void on_kernel_event(const struct ike_kernel_event *ev, void *data)
{
	ikesa_kernel_event(data, ev);
}

static void loop(struct ike_daemon *d, int sfd)
{
	struct epoll_event evs[16];
	uint64_t now, next;
	int i, n, timeout;

	for (;;) {
		now = ike_now_ms();
		next = ikesa_run_timers(d, now);
		timeout = next == UINT64_MAX ? -1 :
			  next <= now ? 0 :
			  next - now > 60000 ? 60000 : (int)(next - now);
		n = epoll_wait(d->epfd, evs, ARRAY_SIZE(evs), timeout);
		for (i = 0; i < n; i++) {
			unsigned int idx = evs[i].data.u64 & 0xff;

			switch (evs[i].data.u64 >> 8) {
			case EV_UDP:
				udp_read(d, idx >> 1, idx & 1);
				break;
			case EV_KERNEL:
				if (ike_kernel_read_events(&d->kernel,
							   on_kernel_event, d))
					ike_log("%s", d->kernel.err);
				break;
			case EV_CTL:
				ctl_accept(d);
				break;
			case EV_SIGNAL:
				if (!on_signal(d, sfd))
					return;
				break;
			case EV_POOL:
				ike_pool_complete(d, d->pool);
				break;
			}
		}
	}
}

static void daemon_close(struct ike_daemon *d)
{
	int a, p;

	for (a = 0; a < IKE_NAF; a++)
		for (p = 0; p < IKE_NPORT; p++)
			if (d->udp[a][p] >= 0)
				close(d->udp[a][p]);
	if (d->ctl >= 0)
		close(d->ctl);
	if (d->epfd >= 0)
		close(d->epfd);
	ike_kernel_close(&d->kernel);
	config_free(d->conf);
}

static int daemon_run(struct ike_daemon *d, const char *control)
{
	struct ike_pool pool = { 0 };
	int sfd, ret = EXIT_FAIL;

	d->conf = config_load(d->conf_path, NULL);
	if (!d->conf)
		return EXIT_FAIL;
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->sas = ikesa_table_new();
	if (d->epfd < 0 || !d->sas)
		goto out;
	if (ike_kernel_open(&d->kernel))
		goto out;
	if (epoll_watch(d, ike_kernel_events_fd(&d->kernel), EV_KERNEL, 0) ||
	    udp_setup(d) || ctl_setup(d, control))
		goto out;
	sfd = signals_setup(d);
	if (sfd < 0)
		goto out;
	/* after signals_setup(): the workers inherit its blocked signals */
	ike_pool_start(&pool, d->workers);
	d->pool = &pool;
	if (ike_pool_fd(&pool) >= 0 &&
	    epoll_watch(d, ike_pool_fd(&pool), EV_POOL, 0)) {
		ike_pool_stop(d, &pool);
		ike_pool_start(&pool, 0);	/* jobs in the loop, then */
	}
	ike_log("started: %s, control %s", d->conf_path, control);
	ikesa_config_changed(d, NULL);
	loop(d, sfd);
	ike_log("stopping");
	ike_pool_stop(d, &pool);
	ikesa_shutdown(d);
	unlink(control);
	close(sfd);
	ret = EXIT_OK;
out:
	daemon_close(d);
	return ret;
}

static int ike_run(struct args *a, const struct opts *o)
{
	struct ike_daemon d = {
		.conf_path = IKE_CONFIG_DEFAULT,
		.udp = { { -1, -1 }, { -1, -1 } },
		.ctl = -1,
		.epfd = -1,
		/*
		 * retransmissions after 2, 4, 8, 16, 32 s, then 64 s more
		 * for the last answer: it gives up after 126 s (RFC 7296
		 * section 2.4 leaves the numbers to us)
		 */
		.retransmit_tries = 5,
		.retransmit_ms = 2000,
	};
	bool workers_set = false;
	const char *control = o->control ? o->control : IKE_CONTROL_DEFAULT;
	const char *w, *check = NULL;
	struct ike_config conf = { 0 };
	char err[512];
	int ret;

	while ((w = args_next(a))) {
		if (!strcmp(w, "--config") || !strcmp(w, "-c"))
			d.conf_path = arg_value(a, w);
		else if (!strcmp(w, "--control"))
			control = arg_value(a, w);
		else if (!strcmp(w, "--debug") || !strcmp(w, "-d"))
			d.debug = true;
		else if (!strcmp(w, "--check"))
			check = arg_value(a, w);
		else if (!strcmp(w, "--wireshark-keys"))
			d.keylog_dir = arg_value(a, w);
		else if (!strcmp(w, "--retransmit-tries"))
			d.retransmit_tries = arg_u32(a, w);
		else if (!strcmp(w, "--retransmit-timeout"))
			d.retransmit_ms = arg_u32(a, w);
		else if (!strcmp(w, "--workers")) {
			d.workers = arg_u32(a, w);
			workers_set = true;
		}
		else
			unknown_keyword(a, w);
	}
	if (check) {
		ret = ike_config_load(&conf, check, err, sizeof(err)) ||
		      config_usable(&conf, check, err, sizeof(err));
		if (ret)
			fprintf(stderr, "%s\n", err);
		for (size_t i = 0; !ret && i < conf.warnings.n; i++)
			fprintf(stderr, "%s\n", conf.warnings.v[i]);
		ike_config_free(&conf);
		return ret ? EXIT_FAIL : EXIT_OK;
	}
	if (!workers_set)
		d.workers = ike_pool_default_threads();
	return daemon_run(&d, control);
}

static void ike_usage(FILE *f)
{
	fputs("Usage: kipsec ike [--config FILE] [--control SOCKET] [--debug]\n"
	      "                  [--retransmit-tries N] [--retransmit-timeout MS]\n"
	      "                  [--wireshark-keys DIR] [--workers N]\n"
	      "       kipsec ike --check FILE\n"
	      "The IKE daemon, in the foreground (default config "
	      IKE_CONFIG_DEFAULT ",\n"
	      "control socket " IKE_CONTROL_DEFAULT ").\n", f);
}

static const struct command ike_cmds[] = {
	{ "", ike_run },
};

const struct object ike_object = {
	"ike", ike_cmds, ARRAY_SIZE(ike_cmds), "", ike_usage,
};
