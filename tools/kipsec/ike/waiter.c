// SPDX-License-Identifier: GPL-2.0
/* Control clients waiting for their answer (waiter.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>

#include "waiter.h"

struct ike_waiter {
	int fd;
};

struct ike_waiter *ike_waiter_new(int fd)
{
	struct ike_waiter *w = calloc(1, sizeof(*w));

	if (w)
		w->fd = fd;
	return w;
}

void ike_waiter_say(struct ike_waiter *w, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!w)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* a client that went away only loses its answer */
	send(w->fd, line, n, MSG_NOSIGNAL);
}

void ike_waiter_write(struct ike_waiter *w, const char *text, size_t len)
{
	if (w)
		send(w->fd, text, len, MSG_NOSIGNAL);
}

void ike_waiter_done(struct ike_waiter *w, int status)
{
	char line[16];
	int n;

	if (!w)
		return;
	n = snprintf(line, sizeof(line), "= %d\n", status);
	send(w->fd, line, n, MSG_NOSIGNAL);
	close(w->fd);
	free(w);
}
