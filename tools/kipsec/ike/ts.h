/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traffic selectors: swanctl.conf's spelling of them ("10.1.0.0/16",
 * "10.1.0.5-10.1.0.9", "0.0.0.0/0[tcp/80]", "dynamic") and the
 * responder's narrowing of RFC 7296 section 2.9.
 */
#ifndef KIPSEC_IKE_TS_H
#define KIPSEC_IKE_TS_H

#include <stdbool.h>
#include <stddef.h>

#include "ike.h"

struct addr;

/*
 * One local_ts or remote_ts entry. "dynamic" stands for that side's IKE
 * address, known only once the IKE SA exists: ts then holds only the
 * protocol and ports, and ike_ts_resolve() fills in the address.
 */
struct ike_ts_cfg {
	bool dynamic;
	struct ike_ts ts;
};

/*
 * ADDR, ADDR/LEN, ADDR-ADDR or "dynamic", optionally followed by
 * [PROTO] or [PROTO/PORT] where PROTO is a name (tcp, udp, icmp...), a
 * number or "any", and PORT a number, N-M, "any" or "opaque" (RFC 7296's
 * 65535-0). For ICMP the port is the RFC 4301 encoding, type << 8 | code.
 * On error returns -1 with a message and the offset in s of the part at
 * fault.
 */
int ike_ts_cfg_parse(const char *s, struct ike_ts_cfg *out,
		     char *err, size_t errlen, size_t *err_off);

/* A configured entry as a selector; host replaces "dynamic". */
void ike_ts_resolve(const struct ike_ts_cfg *cfg, const struct addr *host,
		    struct ike_ts *out);

/* Both a and b: false when they share no address, port or protocol. */
bool ike_ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
		      struct ike_ts *out);

/* Whether outer covers every packet inner does. */
bool ike_ts_contains(const struct ike_ts *outer, const struct ike_ts *inner);

/*
 * The responder's reply for one of TSi or TSr (RFC 7296 section 2.9):
 * every intersection of a configured selector with a proposed one, in our
 * configured order, leaving out those another result already covers. out
 * must hold n_ours * n_theirs entries. Returns how many; 0 means
 * TS_UNACCEPTABLE.
 *
 * When the exchange was triggered by a packet, the initiator puts that
 * packet's selector first in TSi and TSr (section 2.9). It needs no case
 * of its own here: it lies inside the proposed range that follows it, so
 * its intersection is covered by the range's and dropped, unless our
 * configuration only allows that host, when it is what remains.
 */
size_t ike_ts_narrow(const struct ike_ts *ours, size_t n_ours,
		     const struct ike_ts *theirs, size_t n_theirs,
		     struct ike_ts *out);

/* "10.1.0.0/16", "10.1.0.5-10.1.0.9", "0.0.0.0/0[tcp/80]". */
const char *ike_ts_format(const struct ike_ts *ts, char *buf, size_t size);
/* Selectors separated by ", ". */
const char *ike_ts_list_format(const struct ike_ts *ts, size_t n,
			       char *buf, size_t size);
/* For TS_UNACCEPTABLE: "we accept A, B; peer proposed C". */
const char *ike_ts_explain(const struct ike_ts *ours, size_t n_ours,
			   const struct ike_ts *theirs, size_t n_theirs,
			   char *buf, size_t size);

#endif /* KIPSEC_IKE_TS_H */
