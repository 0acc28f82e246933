/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE daemon's clock and log: stderr, one line per event, as systemd
 * wants; debug lines only with --debug.
 */
#ifndef KIPSEC_IKE_LOG_H
#define KIPSEC_IKE_LOG_H

#include <stdint.h>

struct ike_daemon;

/* Milliseconds of a monotonic clock. */
uint64_t ike_now_ms(void);

__attribute__((format(printf, 1, 2)))
void ike_log(const char *fmt, ...);
__attribute__((format(printf, 2, 3)))
void ike_debug(const struct ike_daemon *d, const char *fmt, ...);

#endif
