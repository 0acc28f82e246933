// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec up|down|status|reload: the IKE daemon's control clients. One
 * request line per connection; the daemon answers with lines of text and
 * a last line "= STATUS", which becomes the exit status ("up" waits until
 * the IKE SA and its first CHILD_SA are up, or have failed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "context.h"

static int ctl_connect(const struct opts *o)
{
	const char *path = o->control ? o->control : IKE_CONTROL_DEFAULT;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errx_kipsec("control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		errx_kipsec("the IKE daemon is not running (%s: %s)", path,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Print the answer but its last line; that line is the exit status. */
static int ctl_answer(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	int status = EXIT_FAIL;
	ssize_t n;

	while ((n = getline(&line, &cap, f)) >= 0) {
		if (!strncmp(line, "= ", 2)) {
			status = atoi(line + 2);
			break;
		}
		fputs(line, stdout);
		fflush(stdout);
	}
	free(line);
	return status;
}

static int ctl_request(const struct opts *o, const char *req, const char *arg)
{
	int fd = ctl_connect(o), status;
	FILE *f;

	if (fd < 0)
		return EXIT_FAIL;
	f = fdopen(fd, "r+");
	if (!f) {
		close(fd);
		return EXIT_FAIL;
	}
	fprintf(f, "%s%s%s\n", req, arg ? " " : "", arg ? arg : "");
	fflush(f);
	status = ctl_answer(f);
	fclose(f);
	return status;
}

static const char *arg_conn(struct args *a)
{
	const char *name = args_next(a);

	if (!name)
		usage_die(a, "missing connection name");
	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (strlen(name) > 128 || strpbrk(name, " \t\n"))
		usage_die(a, "invalid connection name \"%s\"", name);
	return name;
}

static int up_run(struct args *a, const struct opts *o)
{
	return ctl_request(o, "up", arg_conn(a));
}

static int down_run(struct args *a, const struct opts *o)
{
	return ctl_request(o, "down", arg_conn(a));
}

/* rekey [--ike] NAME: a child's CHILD_SA, or with --ike a connection's IKE SA */
static int rekey_run(struct args *a, const struct opts *o)
{
	const char *first = args_peek(a);
	bool ike = first && !strcmp(first, "--ike");

	if (ike)
		args_next(a);
	return ctl_request(o, ike ? "rekey-ike" : "rekey", arg_conn(a));
}

static int status_run(struct args *a, const struct opts *o)
{
	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	return ctl_request(o, "status", o->json ? "-j" : NULL);
}

static int reload_run(struct args *a, const struct opts *o)
{
	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	return ctl_request(o, "reload", NULL);
}

static void up_usage(FILE *f)
{
	fputs("Usage: kipsec [--control SOCKET] up CONNECTION|CHILD\n", f);
}

static void down_usage(FILE *f)
{
	fputs("Usage: kipsec [--control SOCKET] down CONNECTION|CHILD\n", f);
}

static void rekey_usage(FILE *f)
{
	fputs("Usage: kipsec [--control SOCKET] rekey CHILD\n"
	      "       kipsec [--control SOCKET] rekey --ike CONNECTION\n", f);
}

static void status_usage(FILE *f)
{
	fputs("Usage: kipsec [--control SOCKET] [-j] status\n", f);
}

static void reload_usage(FILE *f)
{
	fputs("Usage: kipsec [--control SOCKET] reload\n", f);
}

static const struct command up_cmds[] = { { "", up_run } };
static const struct command down_cmds[] = { { "", down_run } };
static const struct command rekey_cmds[] = { { "", rekey_run } };
static const struct command status_cmds[] = { { "", status_run } };
static const struct command reload_cmds[] = { { "", reload_run } };

const struct object up_object = { "up", up_cmds, 1, "", up_usage };
const struct object down_object = { "down", down_cmds, 1, "", down_usage };
const struct object rekey_object = {
	"rekey", rekey_cmds, 1, "", rekey_usage,
};
const struct object status_object = {
	"status", status_cmds, 1, "", status_usage,
};
const struct object reload_object = {
	"reload", reload_cmds, 1, "", reload_usage,
};
