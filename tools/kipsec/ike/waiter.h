/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A control client waiting for an answer ("up" waits for the IKE SA).
 * Lines go to the client as they come; done() sends the exit status and
 * frees the waiter. A client that went away is not an error.
 */
#ifndef KIPSEC_IKE_WAITER_H
#define KIPSEC_IKE_WAITER_H

#include <stddef.h>

struct ike_waiter;

/* The waiter of the client connected on fd (closed by done()), or NULL. */
struct ike_waiter *ike_waiter_new(int fd);
__attribute__((format(printf, 2, 3)))
void ike_waiter_say(struct ike_waiter *w, const char *fmt, ...);
/* Text as it is, lines and all (`kipsec status`). */
void ike_waiter_write(struct ike_waiter *w, const char *text, size_t len);
void ike_waiter_done(struct ike_waiter *w, int status);

#endif
