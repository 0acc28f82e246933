// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic selectors: parsing swanctl.conf's local_ts/remote_ts entries,
 * intersecting and narrowing them (RFC 7296 section 2.9), and printing
 * them the way strongSwan does so both daemons' logs read alike.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../kipsec.h"
#include "ts.h"

#define PORT_OPAQUE_START	0xffff	/* RFC 7296 3.13.1: start 65535, */
#define PORT_OPAQUE_END		0	/* end 0 */

static size_t ts_addr_len(uint8_t type)
{
	return type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;
}

static uint8_t ts_type(uint8_t family)
{
	return family == AF_INET ? IKE_TS_IPV4_ADDR_RANGE :
				   IKE_TS_IPV6_ADDR_RANGE;
}

static bool ports_any(const struct ike_ts *ts)
{
	return ts->start_port == 0 && ts->end_port == 0xffff;
}

static bool ports_opaque(const struct ike_ts *ts)
{
	return ts->start_port == PORT_OPAQUE_START &&
	       ts->end_port == PORT_OPAQUE_END;
}

static __attribute__((format(printf, 3, 4)))
void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The range a prefix covers; host bits are the caller's to refuse. */
static void prefix_to_range(const struct addr *a, struct ike_ts *ts)
{
	size_t len = a->family == AF_INET ? 4 : 16, i;
	unsigned int plen = a->has_plen ? a->plen : len * 8;

	ts->type = ts_type(a->family);
	memset(ts->start, 0, sizeof(ts->start));
	memset(ts->end, 0, sizeof(ts->end));
	for (i = 0; i < len; i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

		ts->start[i] = a->bytes[i] & mask;
		ts->end[i] = a->bytes[i] | (uint8_t)~mask;
	}
}

/* The prefix length if [start, end] is exactly one prefix, else -1. */
static int range_to_plen(const struct ike_ts *ts)
{
	size_t len = ts_addr_len(ts->type), i;
	int plen = 0;
	bool in_host = false;

	for (i = 0; i < len; i++) {
		uint8_t diff = ts->start[i] ^ ts->end[i];
		int bit;

		/* host part: start all zeros, end all ones */
		if ((ts->start[i] & diff) || (ts->end[i] & diff) != diff)
			return -1;
		for (bit = 7; bit >= 0; bit--) {
			bool host = diff & (1u << bit);

			if (in_host && !host)
				return -1;
			in_host |= host;
			plen += !in_host;
		}
	}
	return plen;
}

static int parse_range(const char *s, const char *dash, struct ike_ts *ts,
		       char *err, size_t errlen, size_t *err_off)
{
	char lo[INET6_ADDRSTRLEN];
	size_t len = dash - s;
	struct addr a, b;

	if (len >= sizeof(lo)) {
		set_err(err, errlen, "'%.*s' is not an address", (int)len, s);
		*err_off = 0;
		return -1;
	}
	memcpy(lo, s, len);
	lo[len] = '\0';
	if (parse_addr(lo, &a)) {
		set_err(err, errlen, "'%s' is not an address", lo);
		*err_off = 0;
		return -1;
	}
	if (parse_addr(dash + 1, &b)) {
		set_err(err, errlen, "'%s' is not an address", dash + 1);
		*err_off = len + 1;
		return -1;
	}
	if (a.family != b.family) {
		set_err(err, errlen, "the range mixes IPv4 and IPv6");
		*err_off = len + 1;
		return -1;
	}
	if (memcmp(a.bytes, b.bytes, sizeof(a.bytes)) > 0) {
		set_err(err, errlen, "the range ends before it starts");
		*err_off = len + 1;
		return -1;
	}
	ts->type = ts_type(a.family);
	memcpy(ts->start, a.bytes, sizeof(ts->start));
	memcpy(ts->end, b.bytes, sizeof(ts->end));
	return 0;
}

/* A typo like 10.1.2.0/16 is refused, not silently widened. */
static int parse_cidr(const char *s, struct ike_ts *ts,
		      char *err, size_t errlen, size_t *err_off)
{
	char buf[INET6_ADDRSTRLEN];
	struct addr a;

	*err_off = 0;
	if (parse_prefix(s, &a)) {
		set_err(err, errlen, "not an address, prefix or range");
		return -1;
	}
	prefix_to_range(&a, ts);
	if (memcmp(ts->start, a.bytes, ts_addr_len(ts->type))) {
		inet_ntop(a.family, ts->start, buf, sizeof(buf));
		set_err(err, errlen, "host bits are set (did you mean %s/%u?)",
			buf, a.plen);
		return -1;
	}
	return 0;
}

static int parse_proto(const char *s, uint8_t *proto)
{
	unsigned int v;

	if (!strcmp(s, "any")) {
		*proto = 0;
		return 0;
	}
	if (!name_to_val(ip_proto_names, ip_proto_count, s, &v)) {
		*proto = v;
		return 0;
	}
	return parse_u8(s, proto);
}

static int parse_ports(const char *s, struct ike_ts *ts)
{
	if (!strcmp(s, "any"))
		return 0;
	if (!strcmp(s, "opaque")) {
		ts->start_port = PORT_OPAQUE_START;
		ts->end_port = PORT_OPAQUE_END;
		return 0;
	}
	if (parse_port_range(s, &ts->start_port, &ts->end_port) ||
	    ts->start_port > ts->end_port)
		return -1;
	return 0;
}

/* "[PROTO]" or "[PROTO/PORT]"; off is where it starts in the entry. */
static int parse_protoport(const char *s, size_t off, struct ike_ts *ts,
			   char *err, size_t errlen, size_t *err_off)
{
	char buf[64];
	size_t len = strlen(s);
	char *slash;

	if (len < 2 || s[len - 1] != ']') {
		set_err(err, errlen, "missing ']' after the protocol and port");
		*err_off = off + len;
		return -1;
	}
	if (len - 2 >= sizeof(buf)) {
		set_err(err, errlen, "'%s' is too long", s);
		*err_off = off;
		return -1;
	}
	memcpy(buf, s + 1, len - 2);
	buf[len - 2] = '\0';
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (parse_proto(buf, &ts->ip_proto)) {
		set_err(err, errlen, "unknown protocol '%s'", buf);
		*err_off = off + 1;
		return -1;
	}
	if (slash && parse_ports(slash + 1, ts)) {
		set_err(err, errlen,
			"bad port '%s' (a number, N-M, 'any' or 'opaque')",
			slash + 1);
		*err_off = off + 1 + (slash + 1 - buf);
		return -1;
	}
	return 0;
}

int ike_ts_cfg_parse(const char *s, struct ike_ts_cfg *out,
		     char *err, size_t errlen, size_t *err_off)
{
	char host[128];
	const char *bracket = strchr(s, '['), *dash;
	size_t len = bracket ? (size_t)(bracket - s) : strlen(s);

	memset(out, 0, sizeof(*out));
	out->ts.end_port = 0xffff;
	if (len >= sizeof(host) || !len) {
		set_err(err, errlen, "not an address, prefix or range");
		*err_off = 0;
		return -1;
	}
	memcpy(host, s, len);
	host[len] = '\0';
	if (bracket && parse_protoport(bracket, len, &out->ts, err, errlen,
				       err_off))
		return -1;
	if (!strcmp(host, "dynamic")) {
		out->dynamic = true;
		return 0;
	}
	dash = strchr(host, '-');
	if (dash)
		return parse_range(host, dash, &out->ts, err, errlen, err_off);
	return parse_cidr(host, &out->ts, err, errlen, err_off);
}

void ike_ts_resolve(const struct ike_ts_cfg *cfg, const struct addr *host,
		    struct ike_ts *out)
{
	*out = cfg->ts;
	if (!cfg->dynamic)
		return;
	out->type = ts_type(host->family);
	memset(out->start, 0, sizeof(out->start));
	memset(out->end, 0, sizeof(out->end));
	memcpy(out->start, host->bytes, ts_addr_len(out->type));
	memcpy(out->end, host->bytes, ts_addr_len(out->type));
}

/* OPAQUE is inside ANY (RFC 4301 4.4.1.1) and overlaps nothing else. */
static bool ports_intersect(const struct ike_ts *a, const struct ike_ts *b,
			    struct ike_ts *out)
{
	if (ports_opaque(a) || ports_opaque(b)) {
		if (!(ports_opaque(a) || ports_any(a)) ||
		    !(ports_opaque(b) || ports_any(b)))
			return false;
		out->start_port = PORT_OPAQUE_START;
		out->end_port = PORT_OPAQUE_END;
		return true;
	}
	out->start_port = a->start_port > b->start_port ? a->start_port :
							  b->start_port;
	out->end_port = a->end_port < b->end_port ? a->end_port : b->end_port;
	return out->start_port <= out->end_port;
}

bool ike_ts_intersect(const struct ike_ts *a, const struct ike_ts *b,
		      struct ike_ts *out)
{
	size_t len = ts_addr_len(a->type);
	struct ike_ts r;

	if (a->type != b->type)
		return false;
	if (a->ip_proto && b->ip_proto && a->ip_proto != b->ip_proto)
		return false;
	memset(&r, 0, sizeof(r));
	r.type = a->type;
	r.ip_proto = a->ip_proto ? a->ip_proto : b->ip_proto;
	if (!ports_intersect(a, b, &r))
		return false;
	memcpy(r.start, memcmp(a->start, b->start, len) > 0 ? a->start :
							      b->start, len);
	memcpy(r.end, memcmp(a->end, b->end, len) < 0 ? a->end : b->end, len);
	if (memcmp(r.start, r.end, len) > 0)
		return false;
	*out = r;
	return true;
}

bool ike_ts_contains(const struct ike_ts *outer, const struct ike_ts *inner)
{
	size_t len = ts_addr_len(inner->type);
	struct ike_ts both;

	/* inner is covered when cutting it down by outer leaves it whole */
	return ike_ts_intersect(outer, inner, &both) &&
	       both.ip_proto == inner->ip_proto &&
	       both.start_port == inner->start_port &&
	       both.end_port == inner->end_port &&
	       !memcmp(both.start, inner->start, len) &&
	       !memcmp(both.end, inner->end, len);
}

/* Append ts unless a result covers it; drop results it covers. */
static size_t add_uncovered(struct ike_ts *out, size_t n,
			    const struct ike_ts *ts)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (ike_ts_contains(&out[i], ts))
			return n;
	for (i = 0; i < n; i++)
		if (!ike_ts_contains(ts, &out[i]))
			out[kept++] = out[i];
	out[kept++] = *ts;
	return kept;
}

size_t ike_ts_narrow(const struct ike_ts *ours, size_t n_ours,
		     const struct ike_ts *theirs, size_t n_theirs,
		     struct ike_ts *out)
{
	struct ike_ts both;
	size_t i, j, n = 0;

	for (i = 0; i < n_ours; i++)
		for (j = 0; j < n_theirs; j++)
			if (ike_ts_intersect(&ours[i], &theirs[j], &both))
				n = add_uncovered(out, n, &both);
	return n;
}

static const char *proto_name(uint8_t proto, char *buf, size_t size)
{
	const char *name = val_to_name(ip_proto_names, ip_proto_count, proto);

	if (!proto)
		return "any";
	if (name)
		return name;
	snprintf(buf, size, "%u", proto);
	return buf;
}

const char *ike_ts_format(const struct ike_ts *ts, char *buf, size_t size)
{
	int family = ts->type == IKE_TS_IPV4_ADDR_RANGE ? AF_INET : AF_INET6;
	char lo[INET6_ADDRSTRLEN], hi[INET6_ADDRSTRLEN], num[4];
	int plen = range_to_plen(ts);
	size_t len;

	inet_ntop(family, ts->start, lo, sizeof(lo));
	inet_ntop(family, ts->end, hi, sizeof(hi));
	if (plen >= 0)
		snprintf(buf, size, "%s/%d", lo, plen);
	else
		snprintf(buf, size, "%s-%s", lo, hi);
	if (!ts->ip_proto && ports_any(ts))
		return buf;
	len = strlen(buf);
	if (ports_any(ts))
		snprintf(buf + len, size - len, "[%s]",
			 proto_name(ts->ip_proto, num, sizeof(num)));
	else if (ports_opaque(ts))
		snprintf(buf + len, size - len, "[%s/opaque]",
			 proto_name(ts->ip_proto, num, sizeof(num)));
	else if (ts->start_port == ts->end_port)
		snprintf(buf + len, size - len, "[%s/%u]",
			 proto_name(ts->ip_proto, num, sizeof(num)),
			 ts->start_port);
	else
		snprintf(buf + len, size - len, "[%s/%u-%u]",
			 proto_name(ts->ip_proto, num, sizeof(num)),
			 ts->start_port, ts->end_port);
	return buf;
}

const char *ike_ts_list_format(const struct ike_ts *ts, size_t n,
			       char *buf, size_t size)
{
	char one[128];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++) {
		snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
			 ike_ts_format(&ts[i], one, sizeof(one)));
		len += strlen(buf + len);
	}
	return buf;
}

const char *ike_ts_explain(const struct ike_ts *ours, size_t n_ours,
			   const struct ike_ts *theirs, size_t n_theirs,
			   char *buf, size_t size)
{
	size_t len;

	snprintf(buf, size, "we accept ");
	len = strlen(buf);
	ike_ts_list_format(ours, n_ours, buf + len, size - len);
	len = strlen(buf);
	snprintf(buf + len, size - len, "; peer proposed ");
	len = strlen(buf);
	ike_ts_list_format(theirs, n_theirs, buf + len, size - len);
	return buf;
}
