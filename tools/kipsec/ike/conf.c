// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration file, in two passes. The first turns the text into a
 * tree of sections and settings and reports syntax errors; the second
 * walks the tree with a table of keys for each kind of section, fills
 * struct ike_config, and then checks what involves more than one key.
 * Every node remembers where it was read, and every byte of a value too,
 * so an error inside a proposal or a list points at its token. The first
 * error stops the load: later ones are often its consequences.
 *
 * The syntax is strongSwan's settings syntax (settings_lexer.l): a value
 * runs to the end of the line, a '#' or a '}', and is made of words and
 * quoted strings joined by one blank.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include "conf.h"

#define CONF_MAX_SIZE	(1 << 20)	/* bytes, far above any real file */
#define UNSET		UINT64_MAX	/* a lifetime the file did not give */
#define NAME_MAX_LEN	31		/* for the edit distance table */

/* IKE SA and CHILD SA defaults, strongSwan's (vici_config.c). */
#define DEFAULT_IKE_REKEY	(4 * 3600)
#define DEFAULT_CHILD_REKEY	3600
#define DEFAULT_REPLAY_WINDOW	32

struct pos {
	unsigned int line, col;
};

struct node {
	char *name;
	struct pos at;		/* the name */
	bool section;
	/* a setting */
	char *val;		/* its parts joined by one blank */
	struct pos *val_at;	/* where each byte of val was read */
	size_t val_len, val_cap;
	struct pos eq;		/* the '=' */
	/* a section */
	struct pos brace;	/* the '{' */
	struct node *kids;
	size_t n_kids;
};

struct parser {
	const char *file;
	char *err;
	size_t errlen;
	struct ike_config *cfg;
	/* pass one */
	const char *s;
	size_t i;
	struct pos at;
	/* pass two */
	char path[256];		/* "connections.x.children.y", for messages */
	struct ike_conn *conn;	/* the connection being loaded */
	const struct node **conn_nodes;	/* by connection, for late checks */
};

static __attribute__((format(printf, 3, 4)))
int fail(struct parser *p, struct pos at, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "%s:%u:%u: ", p->file, at.line,
			 at.col);
	va_list ap;

	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int push_string(struct ike_strings *l, char *s)
{
	char **v;

	if (!s)
		return -1;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return -1;
	}
	l->v = v;
	l->v[l->n++] = s;
	return 0;
}

static __attribute__((format(printf, 3, 4)))
int warn(struct parser *p, struct pos at, const char *fmt, ...)
{
	char msg[512];
	size_t len;
	va_list ap;

	snprintf(msg, sizeof(msg), "%s:%u:%u: warning: ", p->file, at.line,
		 at.col);
	len = strlen(msg);
	va_start(ap, fmt);
	vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	va_end(ap);
	if (push_string(&p->cfg->warnings, strdup(msg)))
		return fail(p, at, "out of memory");
	return 0;
}

/*
 * Room for one more zeroed element after the n of v: the new array, or
 * NULL with v untouched. The caller stores it and counts the element.
 */
static void *grow(void *v, size_t n, size_t size)
{
	char *nv = realloc(v, (n + 1) * size);

	if (nv)
		memset(nv + n * size, 0, size);
	return nv;
}

/* ---- pass one: text to tree ---- */

static char peek(const struct parser *p)
{
	return p->s[p->i];
}

static void bump(struct parser *p)
{
	if (p->s[p->i] == '\n') {
		p->at.line++;
		p->at.col = 1;
	} else {
		p->at.col++;
	}
	p->i++;
}

static void skip_blanks(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t' || peek(p) == '\r')
		bump(p);
}

/* Blanks, comments and newlines: what separates statements. */
static void skip_space(struct parser *p)
{
	for (;;) {
		skip_blanks(p);
		if (peek(p) == '#')
			while (peek(p) && peek(p) != '\n')
				bump(p);
		if (peek(p) != '\n')
			return;
		bump(p);
	}
}

static bool name_char(char c)
{
	return c && !strchr("#{}=\"\r\n\t ", c);
}

static bool value_char(char c)
{
	return c && !strchr("#}\"\r\n\t ", c);
}

static void node_free(struct node *n)
{
	size_t i;

	for (i = 0; i < n->n_kids; i++)
		node_free(&n->kids[i]);
	free(n->kids);
	free(n->name);
	/* values include secrets; do not leave them in freed memory */
	if (n->val)
		explicit_bzero(n->val, n->val_len);
	free(n->val);
	free(n->val_at);
}

static int val_add(struct parser *p, struct node *n, char c, struct pos at)
{
	if (n->val_len + 1 >= n->val_cap) {
		size_t cap = n->val_cap ? 2 * n->val_cap : 32;
		char *val = realloc(n->val, cap);
		struct pos *val_at;

		if (!val)
			return fail(p, at, "out of memory");
		n->val = val;
		val_at = realloc(n->val_at, cap * sizeof(*val_at));
		if (!val_at)
			return fail(p, at, "out of memory");
		n->val_at = val_at;
		n->val_cap = cap;
	}
	n->val[n->val_len] = c;
	n->val_at[n->val_len++] = at;
	n->val[n->val_len] = '\0';
	return 0;
}

static char unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	default:
		return c;
	}
}

/* "...": \n, \r and \t, \ before anything else is that thing, \ at the
 * end of a line joins the next one, as in strongSwan.
 */
static int read_string(struct parser *p, struct node *n)
{
	struct pos open = p->at;

	bump(p);
	for (;;) {
		struct pos at = p->at;
		char c = peek(p);

		if (!c)
			return fail(p, open, "unterminated string");
		bump(p);
		if (c == '"')
			return 0;
		if (c == '\r')
			continue;
		if (c == '\\') {
			c = peek(p);
			if (!c)
				return fail(p, open, "unterminated string");
			bump(p);
			if (c == '\r' && peek(p) == '\n')
				bump(p);
			if (c == '\r' || c == '\n')
				continue;
			c = unescape(c);
		}
		if (val_add(p, n, c, at))
			return -1;
	}
}

static int read_value(struct parser *p, struct node *n)
{
	for (;;) {
		char c;

		skip_blanks(p);
		c = peek(p);
		if (!c || c == '\n' || c == '#' || c == '}')
			break;
		if (n->val_len && val_add(p, n, ' ', p->at))
			return -1;
		if (c == '"') {
			if (read_string(p, n))
				return -1;
			continue;
		}
		while (value_char(peek(p))) {
			if (val_add(p, n, peek(p), p->at))
				return -1;
			bump(p);
		}
	}
	if (!n->val_len)
		return fail(p, n->eq, "value missing for '%s'", n->name);
	return 0;
}

static const struct node *find_kid(const struct node *sec, const char *name)
{
	size_t i;

	for (i = 0; i < sec->n_kids; i++)
		if (!strcmp(sec->kids[i].name, name))
			return &sec->kids[i];
	return NULL;
}

static int check_duplicate(struct parser *p, const struct node *sec,
			   const struct node *n)
{
	const struct node *old = find_kid(sec, n->name);

	if (!old)
		return 0;
	if (old->section && n->section)
		return fail(p, n->at,
			    "duplicate section '%s' (already opened at line %u)",
			    n->name, old->at.line);
	if (!old->section && !n->section)
		return fail(p, n->at,
			    "duplicate key '%s' (already set at line %u)",
			    n->name, old->at.line);
	return fail(p, n->at, "'%s' is already defined at line %u", n->name,
		    old->at.line);
}

static int parse_body(struct parser *p, struct node *sec, bool top);

static int parse_statement(struct parser *p, struct node *sec,
			   struct node *n)
{
	size_t start = p->i;

	n->at = p->at;
	while (name_char(peek(p)))
		bump(p);
	n->name = strndup(p->s + start, p->i - start);
	if (!n->name)
		return fail(p, n->at, "out of memory");
	if (!strcmp(n->name, "include"))
		return fail(p, n->at,
			    "include is not supported: use one file");
	skip_blanks(p);
	if (peek(p) == '{') {
		n->section = true;
		n->brace = p->at;
		bump(p);
		if (check_duplicate(p, sec, n))
			return -1;
		return parse_body(p, n, false);
	}
	if (peek(p) == '=') {
		n->eq = p->at;
		bump(p);
		if (check_duplicate(p, sec, n))
			return -1;
		return read_value(p, n);
	}
	return fail(p, p->at, "expected '=' or '{' after '%s'", n->name);
}

static int parse_body(struct parser *p, struct node *sec, bool top)
{
	for (;;) {
		struct node n = { 0 }, *kids;
		char c;

		skip_space(p);
		c = peek(p);
		if (!c) {
			if (top)
				return 0;
			return fail(p, sec->brace,
				    "section '%s' is not closed ('}' missing before the end of the file)",
				    sec->name);
		}
		if (c == '}') {
			if (top)
				return fail(p, p->at,
					    "'}' without a section to close");
			bump(p);
			return 0;
		}
		if (!name_char(c))
			return fail(p, p->at, "expected a name, found '%c'", c);
		if (parse_statement(p, sec, &n)) {
			node_free(&n);
			return -1;
		}
		kids = realloc(sec->kids, (sec->n_kids + 1) * sizeof(*kids));
		if (!kids) {
			node_free(&n);
			return fail(p, p->at, "out of memory");
		}
		sec->kids = kids;
		sec->kids[sec->n_kids++] = n;
	}
}

/* ---- pass two: helpers for values ---- */

/* Where byte off of a value was read; off == len is just after it. */
static struct pos val_pos(const struct node *n, size_t off)
{
	struct pos at;

	if (off < n->val_len)
		return n->val_at[off];
	at = n->val_at[n->val_len - 1];
	at.col++;
	return at;
}

static struct pos val_start(const struct node *n)
{
	return n->val_at[0];
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

typedef int item_fn(struct parser *p, const struct node *n, const char *item,
		    size_t off, void *arg);

/* Call fn for each comma-separated item of n's value, blanks trimmed. */
static int for_each_item(struct parser *p, const struct node *n, item_fn *fn,
			 void *arg)
{
	size_t off = 0;

	while (off <= n->val_len) {
		const char *comma = strchr(n->val + off, ',');
		size_t next = comma ? (size_t)(comma - n->val) : n->val_len;
		size_t end = next;
		char *item;
		int ret;

		while (off < end && is_blank(n->val[off]))
			off++;
		while (end > off && is_blank(n->val[end - 1]))
			end--;
		if (off == end)
			return fail(p, val_pos(n, off), "empty item in %s",
				    n->name);
		item = strndup(n->val + off, end - off);
		if (!item)
			return fail(p, val_pos(n, off), "out of memory");
		ret = fn(p, n, item, off, arg);
		free(item);
		if (ret)
			return -1;
		off = next + 1;
	}
	return 0;
}

struct unit {
	char c;
	uint64_t mult;
};

static const struct unit time_units[] = {
	{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
};

/* strongSwan's byte suffixes are binary (vici_config.c parse_bytes). */
static const struct unit byte_units[] = {
	{ 'k', UINT64_C(1) << 10 }, { 'm', UINT64_C(1) << 20 },
	{ 'g', UINT64_C(1) << 30 },
};

/* Decimal digits, then optionally blanks and one unit letter. */
static int parse_scaled(const char *s, const struct unit *units,
			size_t n_units, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	while (is_blank(*s))
		s++;
	if (!*s) {
		*out = v;
		return 0;
	}
	for (i = 0; i < n_units; i++) {
		if ((*s | 0x20) != units[i].c || s[1])
			continue;
		if (v > UINT64_MAX / units[i].mult)
			return -1;
		*out = v * units[i].mult;
		return 0;
	}
	return -1;
}

/* strongSwan's spellings (vici_config.c parse_bool). */
static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "enabled", "1" };
	static const char *const no[] = { "no", "false", "disabled", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* name_to_val(), but without regard to case, as strongSwan compares. */
static int parse_choice(const struct name_val *tbl, size_t n, const char *s,
			unsigned int *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcasecmp(tbl[i].name, s)) {
			*out = tbl[i].val;
			return 0;
		}
	}
	return -1;
}

static const struct name_val mode_choices[] = {
	{ "tunnel", IKE_CONF_MODE_TUNNEL },
	{ "transport", IKE_CONF_MODE_TRANSPORT },
};

/* Every action key takes every spelling, as in strongSwan. */
static const struct name_val action_choices[] = {
	{ "none", IKE_CONF_ACTION_NONE }, { "clear", IKE_CONF_ACTION_NONE },
	{ "trap", IKE_CONF_ACTION_TRAP }, { "route", IKE_CONF_ACTION_TRAP },
	{ "start", IKE_CONF_ACTION_START },
	{ "restart", IKE_CONF_ACTION_START },
};

static const struct name_val frag_choices[] = {
	{ "yes", IKE_CONF_FRAG_YES }, { "accept", IKE_CONF_FRAG_ACCEPT },
	{ "force", IKE_CONF_FRAG_FORCE }, { "no", IKE_CONF_FRAG_NO },
};

static const struct name_val auth_choices[] = {
	{ "pubkey", IKE_CONF_AUTH_PUBKEY }, { "psk", IKE_CONF_AUTH_PSK },
};

/* ---- pass two: one handler per kind of value ---- */

typedef int key_fn(struct parser *p, const struct node *n, void *field);

static int key_bool(struct parser *p, const struct node *n, void *field)
{
	if (parse_bool(n->val, field))
		return fail(p, val_start(n), "bad value '%s' for %s: yes or no",
			    n->val, n->name);
	return 0;
}

static int key_time(struct parser *p, const struct node *n, void *field)
{
	if (parse_scaled(n->val, time_units, ARRAY_SIZE(time_units), field))
		return fail(p, val_start(n),
			    "bad time '%s' for %s: seconds, or a number with s, m, h or d",
			    n->val, n->name);
	return 0;
}

static int key_bytes(struct parser *p, const struct node *n, void *field)
{
	if (parse_scaled(n->val, byte_units, ARRAY_SIZE(byte_units), field))
		return fail(p, val_start(n),
			    "bad size '%s' for %s: bytes, or a number with k, m or g",
			    n->val, n->name);
	return 0;
}

static int key_count(struct parser *p, const struct node *n, void *field)
{
	if (parse_scaled(n->val, NULL, 0, field))
		return fail(p, val_start(n), "bad number '%s' for %s",
			    n->val, n->name);
	return 0;
}

static int key_u32(struct parser *p, const struct node *n, void *field)
{
	if (parse_u32(n->val, field))
		return fail(p, val_start(n), "bad number '%s' for %s",
			    n->val, n->name);
	return 0;
}

static int key_port(struct parser *p, const struct node *n, void *field)
{
	uint16_t *port = field;

	if (parse_u16(n->val, port) || !*port)
		return fail(p, val_start(n),
			    "bad port '%s' for %s: 1 to 65535", n->val,
			    n->name);
	return 0;
}

static int key_version(struct parser *p, const struct node *n, void *field)
{
	unsigned int *version = field;

	if (strlen(n->val) != 1 || n->val[0] < '0' || n->val[0] > '2')
		return fail(p, val_start(n),
			    "bad version '%s': 2, 1 or 0 (either)", n->val);
	*version = n->val[0] - '0';
	return 0;
}

static int key_if_id(struct parser *p, const struct node *n, void *field)
{
	uint32_t *if_id = field;

	if (parse_u32(n->val, if_id) || !*if_id)
		return fail(p, val_start(n),
			    "bad if_id '%s': 1 to 4294967295", n->val);
	return 0;
}

static int key_string(struct parser *p, const struct node *n, void *field)
{
	char **s = field;

	*s = strdup(n->val);
	if (!*s)
		return fail(p, val_start(n), "out of memory");
	return 0;
}

/* A kipsec link's name, as the kernel's dev_valid_name() sees it. */
static int key_ifname(struct parser *p, const struct node *n, void *field)
{
	if (n->val_len >= IF_NAMESIZE || !strcmp(n->val, ".") ||
	    !strcmp(n->val, "..") || strpbrk(n->val, "/: \t"))
		return fail(p, val_start(n), "bad interface name '%s'",
			    n->val);
	return key_string(p, n, field);
}

#define CHOICE_KEY(fn, tbl, type, what)					\
static int fn(struct parser *p, const struct node *n, void *field)	\
{									\
	unsigned int v;							\
									\
	if (parse_choice(tbl, ARRAY_SIZE(tbl), n->val, &v))		\
		return fail(p, val_start(n),				\
			    "bad value '%s' for %s: " what, n->val,	\
			    n->name);					\
	*(type *)field = v;						\
	return 0;							\
}

CHOICE_KEY(key_mode, mode_choices, enum ike_conf_mode, "tunnel or transport")
CHOICE_KEY(key_action, action_choices, enum ike_conf_action,
	   "none (clear), trap (route) or start (restart)")
CHOICE_KEY(key_frag, frag_choices, enum ike_conf_frag,
	   "yes, accept, force or no")
CHOICE_KEY(key_auth, auth_choices, enum ike_conf_auth, "psk or pubkey")

static int key_ignored(struct parser *p, const struct node *n, void *field)
{
	(void)field;
	return warn(p, n->at, "'%s' is accepted and ignored by kipsec",
		    n->name);
}

static int add_string_item(struct parser *p, const struct node *n,
			   const char *item, size_t off, void *arg)
{
	if (push_string(arg, strdup(item)))
		return fail(p, val_pos(n, off), "out of memory");
	return 0;
}

static int key_strings(struct parser *p, const struct node *n, void *field)
{
	return for_each_item(p, n, add_string_item, field);
}

/* Something with letters and no colon was meant as a host name. */
static bool looks_like_hostname(const char *s)
{
	return !strchr(s, ':') && strpbrk(s, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

static void any_host(struct ike_conf_host *h, uint8_t family)
{
	size_t len = family == AF_INET ? 4 : 16;

	h->lo.family = h->hi.family = family;
	memset(h->hi.bytes, 0xff, len);
}

/* An address, prefix or range, or %any, %any4, %any6. */
static int add_host_item(struct parser *p, const struct node *n,
			 const char *item, size_t off, void *arg)
{
	struct ike_conf_hosts *hosts = arg;
	struct ike_conf_host h = { 0 }, *v;
	struct ike_ts_cfg tc;
	size_t err_off;
	char msg[160];

	if (!strcmp(item, "%any4")) {
		any_host(&h, AF_INET);
	} else if (!strcmp(item, "%any6")) {
		any_host(&h, AF_INET6);
	} else if (strcmp(item, "%any")) {
		if (looks_like_hostname(item))
			return fail(p, val_pos(n, off),
				    "bad address '%s' in %s: host names are not supported",
				    item, n->name);
		if (strchr(item, '[') ||
		    ike_ts_cfg_parse(item, &tc, msg, sizeof(msg), &err_off))
			return fail(p, val_pos(n, off),
				    "bad address '%s' in %s", item, n->name);
		h.lo.family = h.hi.family =
			tc.ts.type == IKE_TS_IPV4_ADDR_RANGE ? AF_INET :
							       AF_INET6;
		memcpy(h.lo.bytes, tc.ts.start, sizeof(h.lo.bytes));
		memcpy(h.hi.bytes, tc.ts.end, sizeof(h.hi.bytes));
	}
	v = grow(hosts->v, hosts->n, sizeof(*v));
	if (!v)
		return fail(p, val_pos(n, off), "out of memory");
	hosts->v = v;
	hosts->v[hosts->n++] = h;
	return 0;
}

static int key_hosts(struct parser *p, const struct node *n, void *field)
{
	return for_each_item(p, n, add_host_item, field);
}

static int add_ts_item(struct parser *p, const struct node *n,
		       const char *item, size_t off, void *arg)
{
	struct ike_ts_cfgs *list = arg;
	struct ike_ts_cfg tc, *v;
	size_t err_off;
	char msg[160];

	if (ike_ts_cfg_parse(item, &tc, msg, sizeof(msg), &err_off))
		return fail(p, val_pos(n, off + err_off),
			    "bad traffic selector '%s': %s", item, msg);
	v = grow(list->v, list->n, sizeof(*v));
	if (!v)
		return fail(p, val_pos(n, off), "out of memory");
	list->v = v;
	list->v[list->n++] = tc;
	return 0;
}

static int key_ts(struct parser *p, const struct node *n, void *field)
{
	return for_each_item(p, n, add_ts_item, field);
}

static int proposals(struct parser *p, const struct node *n,
		     struct ike_proposal_list *list, uint8_t proto)
{
	unsigned int flags = p->conn->weak_algorithms ? IKE_PROPOSAL_WEAK : 0;
	size_t err_off;
	char msg[256];

	if (ike_proposals_parse(list, n->val, proto, flags, msg, sizeof(msg),
				&err_off))
		return fail(p, val_pos(n, err_off), "%s", msg);
	return 0;
}

static int key_ike_proposals(struct parser *p, const struct node *n,
			     void *field)
{
	return proposals(p, n, field, IKE_PROTO_IKE);
}

static int key_esp_proposals(struct parser *p, const struct node *n,
			     void *field)
{
	return proposals(p, n, field, IKE_PROTO_ESP);
}

static int b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64: whole quantums, '=' only as the final padding. */
static ssize_t base64_decode(const char *s, uint8_t *out, size_t size)
{
	size_t len = strlen(s), i, n = 0;

	if (!len || len % 4)
		return -1;
	for (i = 0; i < len; i += 4) {
		uint32_t quantum = 0;
		int k, pad = 0;

		for (k = 0; k < 4; k++) {
			int d = s[i + k] == '=' ? 0 : b64_digit(s[i + k]);

			if (s[i + k] == '=' && (i + 4 < len || k < 2))
				return -1;
			if (s[i + k] == '=')
				pad++;
			else if (pad || d < 0)
				return -1;
			quantum = quantum << 6 | d;
		}
		if (n + 3 - pad > size)
			return -1;
		out[n++] = quantum >> 16;
		if (pad < 2)
			out[n++] = quantum >> 8;
		if (pad < 1)
			out[n++] = quantum;
	}
	return n;
}

/*
 * strongSwan's forms: 0x followed by hex, 0s followed by base64, else
 * the text itself. Messages never quote the value.
 */
static int key_secret(struct parser *p, const struct node *n, void *field)
{
	struct ike_secret *secret = field;
	const uint8_t *src = (const uint8_t *)n->val;
	uint8_t buf[KEY_MAX];
	ssize_t len = n->val_len <= sizeof(buf) ? (ssize_t)n->val_len : -1;
	int ret = 0;

	if (!strncmp(n->val, "0x", 2)) {
		len = parse_hex_key(n->val, buf, sizeof(buf));
		src = buf;
	} else if (!strncmp(n->val, "0s", 2)) {
		len = base64_decode(n->val + 2, buf, sizeof(buf));
		src = buf;
	}
	if (len <= 0) {
		ret = fail(p, val_start(n),
			   "bad secret: 0x and hex digits, 0s and base64, or at most %d characters",
			   KEY_MAX);
		goto out;
	}
	secret->key = malloc(len);
	if (!secret->key) {
		ret = fail(p, val_start(n), "out of memory");
		goto out;
	}
	memcpy(secret->key, src, len);
	secret->key_len = len;
out:
	explicit_bzero(buf, sizeof(buf));
	return ret;
}

static int key_secret_id(struct parser *p, const struct node *n, void *field)
{
	struct ike_secret *secret = field;

	if (push_string(&secret->ids, strdup(n->val)))
		return fail(p, val_start(n), "out of memory");
	return 0;
}

/* ---- pass two: what each kind of section holds ---- */

struct key {
	const char *name;	/* a trailing '*' matches any suffix */
	key_fn *fn;
	size_t off;
};

/* strongSwan names that kipsec refuses, with what to do instead. */
struct unsupported {
	const char *name;	/* a trailing '*' matches any suffix */
	const char *hint;
};

struct schema {
	const struct key *keys;
	size_t n_keys;
	const char *const *sections;	/* patterns, as in struct key */
	size_t n_sections;
	const struct unsupported *unsupported;
	size_t n_unsupported;
};

/* A table and its length, in a struct schema initializer. */
#define LIST(field, a)	.field = a, .n_##field = ARRAY_SIZE(a)

#define CONN(f)		offsetof(struct ike_conn, f)
#define CHILD(f)	offsetof(struct ike_child, f)
#define AUTH(f)		offsetof(struct ike_conf_auth_round, f)

static const char *const top_sections[] = { "connections", "secrets" };
static const struct unsupported top_unsupported[] = {
	{ "authorities", NULL }, { "pools", NULL },
};

static const struct key conn_keys[] = {
	{ "version",		key_version,		CONN(version) },
	{ "local_addrs",	key_hosts,		CONN(local_addrs) },
	{ "remote_addrs",	key_hosts,		CONN(remote_addrs) },
	{ "local_port",		key_port,		CONN(local_port) },
	{ "remote_port",	key_port,		CONN(remote_port) },
	{ "proposals",		key_ike_proposals,	CONN(proposals) },
	{ "dpd_delay",		key_time,		CONN(dpd_delay) },
	{ "dpd_timeout",	key_time,		CONN(dpd_timeout) },
	{ "rekey_time",		key_time,		CONN(rekey_time) },
	{ "reauth_time",	key_time,		CONN(reauth_time) },
	{ "over_time",		key_time,		CONN(over_time) },
	{ "rand_time",		key_time,		CONN(rand_time) },
	{ "encap",		key_bool,		CONN(encap) },
	{ "mobike",		key_bool,		CONN(mobike) },
	{ "aggressive",		key_bool,		CONN(aggressive) },
	{ "fragmentation",	key_frag,		CONN(fragmentation) },
	{ "if_id",		key_if_id,		CONN(if_id) },
	{ "interface",		key_ifname,		CONN(interface) },
	{ "weak_algorithms",	key_bool,		CONN(weak_algorithms) },
	{ "send_certreq",	key_ignored,		0 },
	{ "send_cert",		key_ignored,		0 },
	{ "keyingtries",	key_ignored,		0 },
};
static const char *const conn_sections[] = { "local*", "remote*", "children" };
static const struct unsupported conn_unsupported[] = {
	{ "vips", NULL }, { "pools", NULL }, { "pull", NULL },
	{ "dscp", NULL }, { "unique", NULL }, { "childless", NULL },
	{ "ppk_id", NULL }, { "ppk_required", NULL }, { "mediation", NULL },
	{ "mediated_by", NULL }, { "mediation_peer", NULL },
	{ "if_id_in", "if_id binds both directions" },
	{ "if_id_out", "if_id binds both directions" },
};

static const struct key child_keys[] = {
	{ "local_ts",		key_ts,			CHILD(local_ts) },
	{ "remote_ts",		key_ts,			CHILD(remote_ts) },
	{ "esp_proposals",	key_esp_proposals,	CHILD(esp) },
	{ "mode",		key_mode,		CHILD(mode) },
	{ "start_action",	key_action,		CHILD(start_action) },
	{ "close_action",	key_action,		CHILD(close_action) },
	{ "dpd_action",		key_action,		CHILD(dpd_action) },
	{ "rekey_time",		key_time,		CHILD(time.rekey) },
	{ "life_time",		key_time,		CHILD(time.life) },
	{ "rand_time",		key_time,		CHILD(time.rand) },
	{ "rekey_bytes",	key_bytes,		CHILD(bytes.rekey) },
	{ "life_bytes",		key_bytes,		CHILD(bytes.life) },
	{ "rand_bytes",		key_bytes,		CHILD(bytes.rand) },
	{ "rekey_packets",	key_count,		CHILD(packets.rekey) },
	{ "life_packets",	key_count,		CHILD(packets.life) },
	{ "rand_packets",	key_count,		CHILD(packets.rand) },
	{ "replay_window",	key_u32,		CHILD(replay_window) },
	{ "updown",		key_ignored,		0 },
	{ "hw_offload",		key_ignored,		0 },
};
static const struct unsupported child_unsupported[] = {
	{ "ah_proposals", "kipsec does ESP only" },
	{ "interface", "kipsec's interface is a key of the connection" },
	{ "if_id_in", "use if_id in the connection" },
	{ "if_id_out", "use if_id in the connection" },
	{ "hostaccess", NULL }, { "policies", NULL },
	{ "policies_fwd_out", NULL }, { "ipcomp", NULL },
	{ "inactivity", NULL }, { "reqid", NULL }, { "priority", NULL },
	{ "mark_in", NULL }, { "mark_in_sa", NULL }, { "mark_out", NULL },
	{ "set_mark_in", NULL }, { "set_mark_out", NULL },
	{ "tfc_padding", NULL }, { "sha256_96", NULL }, { "copy_df", NULL },
	{ "copy_ecn", NULL }, { "copy_dscp", NULL }, { "label", NULL },
	{ "label_mode", NULL }, { "per_cpu_sas", NULL },
};

static const struct key local_keys[] = {
	{ "auth",	key_auth,	AUTH(auth) },
	{ "id",		key_string,	AUTH(id) },
	{ "certs",	key_strings,	AUTH(certs) },
};
static const struct key remote_keys[] = {
	{ "auth",	key_auth,	AUTH(auth) },
	{ "id",		key_string,	AUTH(id) },
	{ "cacerts",	key_strings,	AUTH(certs) },
};
static const struct unsupported auth_unsupported[] = {
	{ "certs", "only local takes certs" },
	{ "cacerts", "only remote takes cacerts" },
	{ "cert*", "give file names in certs or cacerts" },
	{ "cacert*", "give file names in certs or cacerts" },
	{ "round", NULL }, { "eap_id", NULL }, { "aaa_id", NULL },
	{ "xauth_id", NULL }, { "groups", NULL }, { "cert_policy", NULL },
	{ "revocation", NULL }, { "pubkeys", NULL }, { "ca_id", NULL },
};

static const struct key secret_keys[] = {
	{ "secret",	key_secret,	0 },
	{ "id*",	key_secret_id,	0 },
};

static const char *const secrets_sections[] = { "ike*" };
static const struct unsupported secrets_unsupported[] = {
	{ "eap*", NULL }, { "xauth*", NULL }, { "ntlm*", NULL },
	{ "ppk*", NULL }, { "private*", NULL }, { "rsa*", NULL },
	{ "ecdsa*", NULL }, { "pkcs8*", NULL }, { "pkcs12*", NULL },
	{ "token*", NULL },
};

static const struct schema top_schema = {
	LIST(sections, top_sections), LIST(unsupported, top_unsupported),
};
static const struct schema conn_schema = {
	LIST(keys, conn_keys), LIST(sections, conn_sections),
	LIST(unsupported, conn_unsupported),
};
static const struct schema child_schema = {
	LIST(keys, child_keys), LIST(unsupported, child_unsupported),
};
static const struct schema local_schema = {
	LIST(keys, local_keys), LIST(unsupported, auth_unsupported),
};
static const struct schema remote_schema = {
	LIST(keys, remote_keys), LIST(unsupported, auth_unsupported),
};
static const struct schema secrets_schema = {
	LIST(sections, secrets_sections),
	LIST(unsupported, secrets_unsupported),
};
static const struct schema secret_schema = {
	LIST(keys, secret_keys),
};

static bool name_matches(const char *pattern, const char *name)
{
	size_t len = strlen(pattern);

	if (len && pattern[len - 1] == '*')
		return !strncmp(pattern, name, len - 1);
	return !strcmp(pattern, name);
}

static const struct key *find_key(const struct schema *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->n_keys; i++)
		if (name_matches(sc->keys[i].name, name))
			return &sc->keys[i];
	return NULL;
}

static bool is_section_name(const struct schema *sc, const char *name)
{
	size_t i;

	for (i = 0; i < sc->n_sections; i++)
		if (name_matches(sc->sections[i], name))
			return true;
	return false;
}

/* Optimal string alignment distance: typos, including swapped letters. */
static unsigned int edit_distance(const char *a, const char *b)
{
	unsigned int d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return UINT32_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned int cost = a[i - 1] != b[j - 1];
			unsigned int v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

static void consider(const char *candidate, const char *name,
		     char *best, size_t size, unsigned int *best_d)
{
	size_t len = strcspn(candidate, "*");
	char plain[NAME_MAX_LEN + 1];
	unsigned int d;

	if (len > NAME_MAX_LEN)
		return;
	memcpy(plain, candidate, len);
	plain[len] = '\0';
	d = edit_distance(name, plain);
	if (d < *best_d) {
		*best_d = d;
		snprintf(best, size, "%s", plain);
	}
}

/* " (did you mean 'x'?)" for a close enough name of the section's. */
static const char *suggest(const struct schema *sc, const char *name,
			   char *buf, size_t size)
{
	unsigned int best_d = UINT32_MAX, limit = strlen(name) <= 4 ? 1 : 2;
	char best[NAME_MAX_LEN + 1] = "";
	size_t i;

	for (i = 0; i < sc->n_keys; i++)
		consider(sc->keys[i].name, name, best, sizeof(best), &best_d);
	for (i = 0; i < sc->n_sections; i++)
		consider(sc->sections[i], name, best, sizeof(best), &best_d);
	if (best_d > limit)
		return "";
	snprintf(buf, size, " (did you mean '%s'?)", best);
	return buf;
}

static int unknown(struct parser *p, const struct schema *sc,
		   const struct node *n)
{
	const char *kind = n->section ? "section" : "key";
	char hint[NAME_MAX_LEN + 32];
	size_t i;

	for (i = 0; i < sc->n_unsupported; i++) {
		const struct unsupported *u = &sc->unsupported[i];

		if (name_matches(u->name, n->name))
			return fail(p, n->at,
				    "'%s' is not supported by kipsec%s%s",
				    n->name, u->hint ? ": " : "",
				    u->hint ? u->hint : "");
	}
	if (n->section && find_key(sc, n->name))
		return fail(p, n->at, "'%s' is a key, not a section",
			    n->name);
	if (!n->section && is_section_name(sc, n->name))
		return fail(p, n->at, "'%s' is a section, not a key",
			    n->name);
	return fail(p, n->at, "unknown %s '%s' %s%s%s", kind, n->name,
		    *p->path ? "in " : "at the top level", p->path,
		    suggest(sc, n->name, hint, sizeof(hint)));
}

/* Keys that are parsed (and tested) but that the daemon does not act on. */
static bool is_inert(const char *name)
{
	static const char *const inert[] = {
		"reauth_time", "over_time", "encap", "mobike", "fragmentation",
		"close_action",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(inert); i++)
		if (!strcmp(inert[i], name))
			return true;
	return false;
}

static int apply_key(struct parser *p, const struct schema *sc,
		     const struct node *n, void *obj)
{
	const struct key *k = find_key(sc, n->name);
	int ret;

	if (!k)
		return unknown(p, sc, n);
	ret = k->fn(p, n, (char *)obj + k->off);
	if (ret || !is_inert(n->name))
		return ret;
	return warn(p, n->at, "'%s' has no effect in kipsec ike yet",
		    n->name);
}

/* A section of settings only. */
static int load_keys(struct parser *p, const struct schema *sc,
		     const struct node *sec, void *obj)
{
	size_t i;

	for (i = 0; i < sec->n_kids; i++) {
		const struct node *n = &sec->kids[i];

		if (n->section ? unknown(p, sc, n) : apply_key(p, sc, n, obj))
			return -1;
	}
	return 0;
}

/* ---- pass two: the loaders, and the checks that span keys ---- */

/* Into the section name, for messages; cut short if absurdly long. */
static size_t path_push(struct parser *p, const char *name)
{
	size_t old = strlen(p->path), len = old, n = strlen(name);

	if (len && len < sizeof(p->path) - 1)
		p->path[len++] = '.';
	if (n > sizeof(p->path) - 1 - len)
		n = sizeof(p->path) - 1 - len;
	memcpy(p->path + len, name, n);
	p->path[len + n] = '\0';
	return old;
}

static void path_pop(struct parser *p, size_t old)
{
	p->path[old] = '\0';
}

typedef int section_fn(struct parser *p, const struct node *sec);

/* Load a subsection with the path naming it. */
static int descend(struct parser *p, const struct node *sec, section_fn *fn)
{
	size_t old = path_push(p, sec->name);
	int ret = fn(p, sec);

	path_pop(p, old);
	return ret;
}

static struct pos kid_value_or(const struct node *sec, const char *name,
			       struct pos fallback)
{
	const struct node *n = find_kid(sec, name);

	return n && !n->section ? val_start(n) : fallback;
}

static uint8_t ts_families(const struct ike_ts_cfgs *l)
{
	uint8_t fam = 0;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].dynamic)
			fam |= 3;	/* whichever the IKE SA runs over */
		else
			fam |= l->v[i].ts.type == IKE_TS_IPV4_ADDR_RANGE ? 1 :
									   2;
	}
	return fam;
}

/* An empty list: the one entry "dynamic", any protocol and port. */
static int add_dynamic(struct parser *p, const struct node *sec,
		       struct ike_ts_cfgs *l)
{
	l->v = grow(NULL, 0, sizeof(*l->v));
	if (!l->v)
		return fail(p, sec->at, "out of memory");
	l->n = 1;
	l->v[0].dynamic = true;
	l->v[0].ts.end_port = 0xffff;
	return 0;
}

struct lifetime_keys {
	const char *rekey, *life, *unit;
};

/*
 * strongSwan's defaults (vici_config.c check_lifetimes): the hard limit
 * 10% above the soft one, the jitter their difference. A hard limit at or
 * below the soft one is refused: the SA would die before it is rekeyed.
 */
static int finish_lifetime(struct parser *p, const struct node *sec,
			   struct ike_lifetime *lt,
			   const struct lifetime_keys *k)
{
	bool rekey_given = find_kid(sec, k->rekey);

	if (lt->life == UNSET)
		lt->life = lt->rekey > UINT64_MAX - lt->rekey / 10 ?
			   UINT64_MAX : lt->rekey + lt->rekey / 10;
	else if (lt->life && lt->rekey && lt->life <= lt->rekey)
		return fail(p, kid_value_or(sec, k->life, sec->at),
			    "%s (%" PRIu64 "%s) must be more than %s (%" PRIu64 "%s%s)",
			    k->life, lt->life, k->unit, k->rekey, lt->rekey,
			    k->unit, rekey_given ? "" : ", the default");
	if (lt->rand == UNSET)
		lt->rand = lt->life - (lt->life < lt->rekey ? lt->life :
							      lt->rekey);
	return 0;
}

static const struct lifetime_keys time_keys = {
	"rekey_time", "life_time", "s",
};
static const struct lifetime_keys bytes_keys = {
	"rekey_bytes", "life_bytes", " bytes",
};
static const struct lifetime_keys packets_keys = {
	"rekey_packets", "life_packets", " packets",
};

static int finish_child(struct parser *p, const struct node *sec,
			struct ike_child *child)
{
	size_t err_off;
	char msg[256];

	if (!child->esp.n &&
	    ike_proposals_parse(&child->esp, "default", IKE_PROTO_ESP, 0,
				msg, sizeof(msg), &err_off))
		return fail(p, sec->at, "%s", msg);
	if (!child->local_ts.n && add_dynamic(p, sec, &child->local_ts))
		return -1;
	if (!child->remote_ts.n && add_dynamic(p, sec, &child->remote_ts))
		return -1;
	if (!(ts_families(&child->local_ts) & ts_families(&child->remote_ts)))
		return fail(p, kid_value_or(sec, "remote_ts", sec->at),
			    "local_ts and remote_ts have no address family in common");
	if (finish_lifetime(p, sec, &child->time, &time_keys) ||
	    finish_lifetime(p, sec, &child->bytes, &bytes_keys) ||
	    finish_lifetime(p, sec, &child->packets, &packets_keys))
		return -1;
	return 0;
}

static int load_child(struct parser *p, const struct node *sec)
{
	struct ike_conn *conn = p->conn;
	struct ike_child *child;

	child = grow(conn->children, conn->n_children, sizeof(*child));
	if (!child)
		return fail(p, sec->at, "out of memory");
	conn->children = child;
	child = &conn->children[conn->n_children++];
	child->name = strdup(sec->name);
	if (!child->name)
		return fail(p, sec->at, "out of memory");
	child->line = sec->at.line;
	child->mode = IKE_CONF_MODE_TUNNEL;
	child->time = (struct ike_lifetime){ DEFAULT_CHILD_REKEY, UNSET, UNSET };
	child->bytes = (struct ike_lifetime){ 0, UNSET, UNSET };
	child->packets = (struct ike_lifetime){ 0, UNSET, UNSET };
	child->replay_window = DEFAULT_REPLAY_WINDOW;
	if (load_keys(p, &child_schema, sec, child))
		return -1;
	return finish_child(p, sec, child);
}

static int load_children(struct parser *p, const struct node *sec)
{
	size_t i;

	for (i = 0; i < sec->n_kids; i++) {
		const struct node *n = &sec->kids[i];

		if (!n->section)
			return fail(p, n->at,
				    "'%s' is a key; each child is a section: %s { ... }",
				    n->name, n->name);
		if (descend(p, n, load_child))
			return -1;
	}
	return 0;
}

static int load_local(struct parser *p, const struct node *sec)
{
	return load_keys(p, &local_schema, sec, &p->conn->local);
}

static int load_remote(struct parser *p, const struct node *sec)
{
	return load_keys(p, &remote_schema, sec, &p->conn->remote);
}

/* One round per side; RFC 4739's multiple rounds are not implemented. */
static int load_auth(struct parser *p, const struct node *sec,
		     const struct node **seen, bool local)
{
	if (*seen)
		return fail(p, sec->at,
			    "a second %s authentication round '%s' ('%s' is at line %u): multiple rounds are not supported",
			    local ? "local" : "remote", sec->name,
			    (*seen)->name, (*seen)->at.line);
	*seen = sec;
	return descend(p, sec, local ? load_local : load_remote);
}

static int conn_section(struct parser *p, const struct node *n,
			const struct node **local, const struct node **remote)
{
	if (find_key(&conn_schema, n->name))
		return unknown(p, &conn_schema, n);
	if (!strcmp(n->name, "children"))
		return descend(p, n, load_children);
	if (!strncmp(n->name, "local", 5))
		return load_auth(p, n, local, true);
	if (!strncmp(n->name, "remote", 6))
		return load_auth(p, n, remote, false);
	return unknown(p, &conn_schema, n);
}

static bool one_address(const struct ike_conf_hosts *h)
{
	return h->n == 1 && h->v[0].lo.family &&
	       !memcmp(h->v[0].lo.bytes, h->v[0].hi.bytes,
		       sizeof(h->v[0].lo.bytes));
}

/* Initiating needs an address to send to; %any or a subnet is none. */
static int check_initiate(struct parser *p, const struct node *sec,
			  const struct ike_conn *conn)
{
	const struct node *children = find_kid(sec, "children");
	const struct node *remote = find_kid(sec, "remote_addrs");
	size_t i;

	if (one_address(&conn->remote_addrs))
		return 0;
	for (i = 0; i < conn->n_children; i++) {
		const struct node *child, *action;

		if (conn->children[i].start_action == IKE_CONF_ACTION_NONE)
			continue;
		child = find_kid(children, conn->children[i].name);
		action = find_kid(child, "start_action");
		return fail(p, val_start(action),
			    "start_action = %s needs one address to initiate to, but remote_addrs is %s%s%s",
			    action->val, remote ? "'" : "not set (%any)",
			    remote ? remote->val : "", remote ? "'" : "");
	}
	return 0;
}

static int check_auth(struct parser *p, const struct node *conn_sec,
		      const struct node *sec,
		      const struct ike_conf_auth_round *round, bool local)
{
	const char *side = local ? "local" : "remote";
	const char *certs = local ? "certs" : "cacerts";
	struct pos at = sec ? sec->at : conn_sec->at;

	if (round->auth != IKE_CONF_AUTH_PUBKEY || round->certs.n)
		return 0;
	if (sec)
		at = kid_value_or(sec, "auth", at);
	return fail(p, at, "%s authentication is pubkey%s, but %s is not set",
		    side, sec && find_kid(sec, "auth") ? "" : " (the default)",
		    certs);
}

/* An empty list: the one entry %any. */
static int add_any(struct parser *p, const struct node *sec,
		   struct ike_conf_hosts *l)
{
	if (l->n)
		return 0;
	l->v = grow(NULL, 0, sizeof(*l->v));
	if (!l->v)
		return fail(p, sec->at, "out of memory");
	l->n = 1;
	return 0;
}

/* strongSwan's IKE SA defaults (vici_config.c config_sn). */
static void finish_ike_lifetimes(struct ike_conn *c)
{
	uint64_t base;

	if (c->rekey_time == UNSET && c->reauth_time == UNSET)
		c->rekey_time = DEFAULT_IKE_REKEY;
	if (c->rekey_time == UNSET)
		c->rekey_time = 0;
	if (c->reauth_time == UNSET)
		c->reauth_time = 0;
	if (c->over_time == UNSET)
		c->over_time = (c->rekey_time > c->reauth_time ?
				c->rekey_time : c->reauth_time) / 10;
	if (c->rand_time != UNSET)
		return;
	if (c->rekey_time && c->reauth_time)
		base = c->rekey_time < c->reauth_time ? c->rekey_time :
							c->reauth_time;
	else
		base = c->rekey_time > c->reauth_time ? c->rekey_time :
							c->reauth_time;
	c->rand_time = c->over_time < base / 2 ? c->over_time : base / 2;
}

static int finish_conn(struct parser *p, const struct node *sec,
		       const struct node *local, const struct node *remote)
{
	struct ike_conn *c = p->conn;
	size_t err_off;
	char msg[256];

	if (!c->proposals.n &&
	    ike_proposals_parse(&c->proposals, "default", IKE_PROTO_IKE, 0,
				msg, sizeof(msg), &err_off))
		return fail(p, sec->at, "%s", msg);
	if (add_any(p, sec, &c->local_addrs) ||
	    add_any(p, sec, &c->remote_addrs))
		return -1;
	finish_ike_lifetimes(c);
	if (c->if_id && c->interface)
		return fail(p, find_kid(sec, "interface")->at,
			    "give if_id or interface, not both");
	if (check_auth(p, sec, local, &c->local, true) ||
	    check_auth(p, sec, remote, &c->remote, false))
		return -1;
	return check_initiate(p, sec, c);
}

static int load_conn(struct parser *p, const struct node *sec)
{
	const struct node *local = NULL, *remote = NULL, *weak, **nodes;
	struct ike_config *cfg = p->cfg;
	struct ike_conn *c;
	size_t i;

	nodes = realloc(p->conn_nodes, (cfg->n_conns + 1) * sizeof(*nodes));
	if (!nodes)
		return fail(p, sec->at, "out of memory");
	p->conn_nodes = nodes;
	p->conn_nodes[cfg->n_conns] = sec;
	c = grow(cfg->conns, cfg->n_conns, sizeof(*c));
	if (!c)
		return fail(p, sec->at, "out of memory");
	cfg->conns = c;
	c = p->conn = &cfg->conns[cfg->n_conns++];
	c->name = strdup(sec->name);
	if (!c->name)
		return fail(p, sec->at, "out of memory");
	c->line = sec->at.line;
	c->mobike = true;
	c->local_port = c->remote_port = IKE_PORT;
	c->rekey_time = c->reauth_time = UNSET;
	c->over_time = c->rand_time = UNSET;

	/* proposals anywhere in the section depend on it */
	weak = find_kid(sec, "weak_algorithms");
	if (weak && !weak->section && key_bool(p, weak, &c->weak_algorithms))
		return -1;
	for (i = 0; i < sec->n_kids; i++) {
		const struct node *n = &sec->kids[i];

		if (n->section ? conn_section(p, n, &local, &remote) :
				 apply_key(p, &conn_schema, n, c))
			return -1;
	}
	return finish_conn(p, sec, local, remote);
}

static int load_connections(struct parser *p, const struct node *sec)
{
	size_t i;

	for (i = 0; i < sec->n_kids; i++) {
		const struct node *n = &sec->kids[i];

		if (!n->section)
			return fail(p, n->at,
				    "'%s' is a key; each connection is a section: %s { ... }",
				    n->name, n->name);
		if (descend(p, n, load_conn))
			return -1;
	}
	return 0;
}

static int load_secret(struct parser *p, const struct node *sec)
{
	struct ike_config *cfg = p->cfg;
	struct ike_secret *s;

	s = grow(cfg->secrets, cfg->n_secrets, sizeof(*s));
	if (!s)
		return fail(p, sec->at, "out of memory");
	cfg->secrets = s;
	s = &cfg->secrets[cfg->n_secrets++];
	s->name = strdup(sec->name);
	if (!s->name)
		return fail(p, sec->at, "out of memory");
	s->line = sec->at.line;
	if (load_keys(p, &secret_schema, sec, s))
		return -1;
	if (!s->key)
		return fail(p, sec->at, "'%s' has no secret", sec->name);
	return 0;
}

static int load_secrets(struct parser *p, const struct node *sec)
{
	size_t i;

	for (i = 0; i < sec->n_kids; i++) {
		const struct node *n = &sec->kids[i];

		if (n->section && !strncmp(n->name, "ike", 3)) {
			if (descend(p, n, load_secret))
				return -1;
			continue;
		}
		if (unknown(p, &secrets_schema, n))
			return -1;
	}
	return 0;
}

static int load_tree(struct parser *p, const struct node *root)
{
	size_t i;

	for (i = 0; i < root->n_kids; i++) {
		const struct node *n = &root->kids[i];
		int ret;

		if (n->section && !strcmp(n->name, "connections"))
			ret = descend(p, n, load_connections);
		else if (n->section && !strcmp(n->name, "secrets"))
			ret = descend(p, n, load_secrets);
		else
			ret = unknown(p, &top_schema, n);
		if (ret)
			return -1;
	}
	return 0;
}

/* An identity for the PSK lookup: the id, else the one address if any. */
static const char *psk_identity(const struct ike_conf_auth_round *round,
				const struct ike_conf_hosts *hosts,
				char *buf, size_t size)
{
	if (round->id)
		return round->id;
	if (!one_address(hosts))
		return NULL;
	return format_addr(&hosts->v[0].lo, buf, size);
}

/*
 * A PSK connection with no secret loads (strongSwan only finds out when
 * authenticating), but it cannot work: say so now. An identity we cannot
 * know before the IKE SA exists could match any secret.
 */
static int check_psk(struct parser *p, const struct node *sec,
		     const struct ike_conn *c)
{
	char lbuf[ADDR_STRLEN], rbuf[ADDR_STRLEN];
	const char *lid = psk_identity(&c->local, &c->local_addrs, lbuf,
				       sizeof(lbuf));
	const char *rid = psk_identity(&c->remote, &c->remote_addrs, rbuf,
				       sizeof(rbuf));
	bool local = c->local.auth == IKE_CONF_AUTH_PSK;
	const struct node *round = NULL;
	struct pos at = sec->at;
	size_t i;

	if (!local && c->remote.auth != IKE_CONF_AUTH_PSK)
		return 0;
	if (lid && rid ? !!ike_config_find_psk(p->cfg, lid, rid) :
			 p->cfg->n_secrets > 0)
		return 0;
	for (i = 0; i < sec->n_kids && !round; i++)
		if (sec->kids[i].section &&
		    !strncmp(sec->kids[i].name, local ? "local" : "remote",
			     local ? 5 : 6))
			round = &sec->kids[i];
	if (round)
		at = kid_value_or(round, "auth", round->at);
	if (lid && rid)
		return warn(p, at,
			    "auth = psk, but no ike secret is for '%s' or '%s'",
			    lid, rid);
	return warn(p, at, "auth = psk, but there is no ike secret");
}

static int check_psks(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->cfg->n_conns; i++)
		if (check_psk(p, p->conn_nodes[i], &p->cfg->conns[i]))
			return -1;
	return 0;
}

/* ---- the API ---- */

static void strings_free(struct ike_strings *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void child_free(struct ike_child *c)
{
	free(c->name);
	free(c->local_ts.v);
	free(c->remote_ts.v);
	ike_proposal_list_free(&c->esp);
}

static void conn_free(struct ike_conn *c)
{
	size_t i;

	for (i = 0; i < c->n_children; i++)
		child_free(&c->children[i]);
	free(c->children);
	free(c->name);
	free(c->local_addrs.v);
	free(c->remote_addrs.v);
	ike_proposal_list_free(&c->proposals);
	free(c->interface);
	free(c->local.id);
	free(c->remote.id);
	strings_free(&c->local.certs);
	strings_free(&c->remote.certs);
}

void ike_config_free(struct ike_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->n_conns; i++)
		conn_free(&cfg->conns[i]);
	free(cfg->conns);
	for (i = 0; i < cfg->n_secrets; i++) {
		if (cfg->secrets[i].key)
			explicit_bzero(cfg->secrets[i].key,
				       cfg->secrets[i].key_len);
		free(cfg->secrets[i].key);
		free(cfg->secrets[i].name);
		strings_free(&cfg->secrets[i].ids);
	}
	free(cfg->secrets);
	strings_free(&cfg->warnings);
	memset(cfg, 0, sizeof(*cfg));
}

int ike_config_parse(struct ike_config *cfg, const char *name,
		     const char *text, char *err, size_t errlen)
{
	struct parser p = {
		.file = name, .err = err, .errlen = errlen, .cfg = cfg,
		.s = text, .at = { 1, 1 },
	};
	struct node root = { 0 };
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (errlen)
		err[0] = '\0';
	ret = parse_body(&p, &root, true);
	if (!ret)
		ret = load_tree(&p, &root);
	if (!ret)
		ret = check_psks(&p);
	node_free(&root);
	free(p.conn_nodes);
	if (ret)
		ike_config_free(cfg);
	return ret;
}

int ike_config_load(struct ike_config *cfg, const char *path,
		    char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t len = 0;
	char *text;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(CONF_MAX_SIZE + 1);
	if (text)
		len = fread(text, 1, CONF_MAX_SIZE + 1, f);
	if (!text || ferror(f) || len > CONF_MAX_SIZE ||
	    memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: %s", path,
			 !text ? "out of memory" :
			 ferror(f) ? "read error" :
			 len > CONF_MAX_SIZE ? "larger than 1 MiB" :
			 "not a text file (NUL byte)");
		ret = -1;
	} else {
		text[len] = '\0';
		ret = ike_config_parse(cfg, path, text, err, errlen);
	}
	fclose(f);
	if (text)
		explicit_bzero(text, len);
	free(text);
	return ret;
}

const struct ike_conn *ike_config_find(const struct ike_config *cfg,
				       const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_conns; i++)
		if (!strcmp(cfg->conns[i].name, name))
			return &cfg->conns[i];
	return NULL;
}

const struct ike_child *ike_conn_find_child(const struct ike_conn *conn,
					    const char *name)
{
	size_t i;

	for (i = 0; i < conn->n_children; i++)
		if (!strcmp(conn->children[i].name, name))
			return &conn->children[i];
	return NULL;
}

static bool id_listed(const struct ike_strings *ids, const char *id)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		if (!strcasecmp(ids->v[i], id))
			return true;
	return false;
}

const struct ike_secret *ike_config_find_psk(const struct ike_config *cfg,
					     const char *local_id,
					     const char *remote_id)
{
	const struct ike_secret *best = NULL;
	unsigned int best_score = 0;
	size_t i;

	for (i = 0; i < cfg->n_secrets; i++) {
		const struct ike_secret *s = &cfg->secrets[i];
		unsigned int score = !s->ids.n ? 1 :
			2 * id_listed(&s->ids, local_id) +
			2 * id_listed(&s->ids, remote_id);

		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best;
}
