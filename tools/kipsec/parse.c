// SPDX-License-Identifier: GPL-2.0
/*
 * Syntax of the words on the command line: numbers, addresses, prefixes,
 * hex keys and enum names. Pure functions (return 0 or a length on
 * success, -1 on bad input) so the unit tests can cover them; the caller
 * says which word was wrong.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kipsec.h>

#include "kipsec.h"

/*
 * Decimal, or hexadecimal with 0x. Not strtoull's base 0: a leading zero
 * must not silently switch to octal ("010" is ten), and strtoull accepts
 * "-1" and leading blanks, which are typos here, not numbers.
 */
int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	int base = 10;
	unsigned long long v;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, UINT32_MAX, &v))
		return -1;
	*out = v;
	return 0;
}

int parse_u16(const char *s, uint16_t *out)
{
	uint64_t v;

	if (parse_u64(s, UINT16_MAX, &v))
		return -1;
	*out = v;
	return 0;
}

int parse_u8(const char *s, uint8_t *out)
{
	uint64_t v;

	if (parse_u64(s, UINT8_MAX, &v))
		return -1;
	*out = v;
	return 0;
}

/* "N" (min = max = N) or "N-M"; whether min <= max is the kernel's call. */
int parse_port_range(const char *s, uint16_t *min, uint16_t *max)
{
	char buf[32];
	const char *dash = strchr(s, '-');
	size_t len;

	if (!dash) {
		if (parse_u16(s, min))
			return -1;
		*max = *min;
		return 0;
	}
	len = dash - s;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (parse_u16(buf, min) || parse_u16(dash + 1, max))
		return -1;
	return 0;
}

int parse_addr(const char *s, struct addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

/* ADDR[/LEN]; host bits beyond LEN are the kernel's to refuse. */
int parse_prefix(const char *s, struct addr *out)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	uint8_t plen;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (parse_addr(buf, out))
		return -1;
	if (!slash)
		return 0;
	/* only decimal digits here: "/0x18" is not a prefix anyone writes */
	if (!slash[1] || slash[1 + strspn(slash + 1, "0123456789")] ||
	    parse_u8(slash + 1, &plen) ||
	    plen > (out->family == AF_INET ? 32 : 128))
		return -1;
	out->plen = plen;
	out->has_plen = true;
	return 0;
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex digits, optional 0x, even count; "0x" alone is the empty key. */
ssize_t parse_hex_key(const char *s, uint8_t *buf, size_t size)
{
	size_t len, i;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	len = strlen(s);
	if (len % 2 || len / 2 > size)
		return -1;
	for (i = 0; i < len / 2; i++) {
		int hi = hex_nibble(s[2 * i]), lo = hex_nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		buf[i] = hi << 4 | lo;
	}
	return len / 2;
}

/* "ADDR" or, if a prefix length was given or reported, "ADDR/LEN". */
const char *format_addr(const struct addr *a, char *buf, size_t size)
{
	size_t len;

	if (!a->family || !inet_ntop(a->family, a->bytes, buf, size)) {
		snprintf(buf, size, "any");
		return buf;
	}
	len = strlen(buf);
	if (a->has_plen)
		snprintf(buf + len, size - len, "/%u", a->plen);
	return buf;
}

int name_to_val(const struct name_val *tbl, size_t n, const char *name,
		unsigned int *val)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(tbl[i].name, name)) {
			*val = tbl[i].val;
			return 0;
		}
	}
	return -1;
}

/* The first name for val, so aliases go after the canonical name. */
const char *val_to_name(const struct name_val *tbl, size_t n, unsigned int val)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tbl[i].val == val)
			return tbl[i].name;
	return NULL;
}

int parse_enum(const struct name_val *tbl, size_t n, const char *s,
	       unsigned int max, unsigned int *val)
{
	uint64_t v;

	if (!name_to_val(tbl, n, s, val))
		return 0;
	if (!max || parse_u64(s, max, &v))
		return -1;
	*val = v;
	return 0;
}

#define NAMES(var, ...) \
	const struct name_val var##_names[] = { __VA_ARGS__ }; \
	const size_t var##_count = ARRAY_SIZE(var##_names)

NAMES(ipsec_proto, { "esp", KIPSEC_PROTO_ESP }, { "ah", KIPSEC_PROTO_AH });
NAMES(mode, { "transport", KIPSEC_MODE_TRANSPORT },
	{ "tunnel", KIPSEC_MODE_TUNNEL });
NAMES(dir, { "in", KIPSEC_DIR_IN }, { "out", KIPSEC_DIR_OUT },
	{ "fwd", KIPSEC_DIR_FWD });
NAMES(action, { "protect", KIPSEC_ACTION_PROTECT },
	{ "bypass", KIPSEC_ACTION_BYPASS },
	{ "discard", KIPSEC_ACTION_DISCARD });
NAMES(sa_state, { "larval", KIPSEC_SA_STATE_LARVAL },
	{ "valid", KIPSEC_SA_STATE_VALID },
	{ "expired", KIPSEC_SA_STATE_EXPIRED });
NAMES(expire_kind, { "soft", KIPSEC_EXPIRE_KIND_SOFT },
	{ "hard", KIPSEC_EXPIRE_KIND_HARD });
/* The selector's protocols, IANA protocol numbers; aliases last. */
NAMES(ip_proto, { "icmp", IPPROTO_ICMP }, { "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP }, { "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP }, { "udplite", IPPROTO_UDPLITE },
	{ "icmpv6", IPPROTO_ICMPV6 });
