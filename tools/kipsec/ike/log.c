// SPDX-License-Identifier: GPL-2.0
/* The IKE daemon's clock and log (log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "context.h"
#include "log.h"

uint64_t ike_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void vlog(const char *fmt, va_list ap)
{
	fputs("kipsec-ike: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ike_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void ike_debug(const struct ike_daemon *d, const char *fmt, ...)
{
	va_list ap;

	if (!d->debug)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
