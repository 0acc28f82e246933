/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec(8): shared declarations. The tool parses syntax only; every
 * semantic rule (required attributes, key lengths, AEAD vs auth...) is the
 * kernel's, and its extack message is what the user sees.
 */
#ifndef KIPSEC_TOOL_H
#define KIPSEC_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define EXIT_OK		0
#define EXIT_FAIL	1	/* the operation failed */
#define EXIT_USAGE	2	/* the command line is wrong */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* Presence bits, indexed by attribute type (every set has < 64 types). */
#define BIT(n)		(UINT64_C(1) << (n))

/* Global options (before the object). */
struct opts {
	bool json;
	bool stats;
	const char *netns;
	const char *batch;	/* -batch FILE */
	const char *control;	/* --control SOCKET of the IKE daemon */
};

/* ---- parse.c: syntax of the command line's words, no side effects ---- */

/* An address or a prefix; family 0 means "absent". */
struct addr {
	uint8_t family;		/* 0, AF_INET or AF_INET6 */
	bool has_plen;		/* a /LEN was given (or reported) */
	uint8_t plen;
	uint8_t bytes[16];	/* network order; 4 used for AF_INET */
};

#define ADDR_STRLEN	64	/* fits "ffff:...:255.255.255.255/128" */
#define KEY_MAX		512	/* bytes; far above any algorithm's key */

int parse_u64(const char *s, uint64_t max, uint64_t *out);
int parse_u32(const char *s, uint32_t *out);
int parse_u16(const char *s, uint16_t *out);
int parse_u8(const char *s, uint8_t *out);
int parse_port_range(const char *s, uint16_t *min, uint16_t *max);
int parse_addr(const char *s, struct addr *out);
int parse_prefix(const char *s, struct addr *out);
ssize_t parse_hex_key(const char *s, uint8_t *buf, size_t size);
const char *format_addr(const struct addr *a, char *buf, size_t size);

/* Name <-> value tables for the spec's enums and IP protocols. */
struct name_val {
	const char *name;
	unsigned int val;
};

int name_to_val(const struct name_val *tbl, size_t n, const char *name,
		unsigned int *val);
const char *val_to_name(const struct name_val *tbl, size_t n,
			unsigned int val);

extern const struct name_val ipsec_proto_names[];
extern const size_t ipsec_proto_count;
extern const struct name_val mode_names[];
extern const size_t mode_count;
extern const struct name_val dir_names[];
extern const size_t dir_count;
extern const struct name_val action_names[];
extern const size_t action_count;
extern const struct name_val sa_state_names[];
extern const size_t sa_state_count;
extern const struct name_val expire_kind_names[];
extern const size_t expire_kind_count;
extern const struct name_val ip_proto_names[];
extern const size_t ip_proto_count;

/* A name from tbl, or a number 0..max. */
int parse_enum(const struct name_val *tbl, size_t n, const char *s,
	       unsigned int max, unsigned int *val);

/* ---- alg.c: the algorithm table of Documentation/netlink.rst ---- */

enum alg_kind { ALG_ENC, ALG_AUTH };

struct alg {
	const char *name;
	uint16_t id;		/* IANA IKEv2 transform ID */
	enum alg_kind kind;	/* transform type 1 (ENC) or 3 (INTEG) */
	bool legacy;		/* refused without the legacy-algs flag */
};

extern const struct alg alg_table[];
extern const size_t alg_count;

const struct alg *alg_by_name(enum alg_kind kind, const char *name);
const struct alg *alg_by_id(enum alg_kind kind, uint16_t id);
int parse_alg(enum alg_kind kind, const char *s, uint16_t *id);

/* ---- json.c: a small streaming JSON writer ---- */

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_write_string(FILE *f, const char *s);
void json_open_obj(struct json *j, const char *key);
void json_close_obj(struct json *j);
void json_open_arr(struct json *j, const char *key);
void json_close_arr(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);

/* ---- cli.c: the argument cursor and usage errors ---- */

struct args {
	int argc;
	char **argv;
	int i;
	const char *object;	/* "sa", for "Try 'kipsec sa help'" */
	const char *command;	/* "sa add", prefix of every message */
};

const char *args_next(struct args *a);
const char *args_peek(const struct args *a);
bool args_done(const struct args *a);
const char *arg_value(struct args *a, const char *kw);
__attribute__((noreturn, format(printf, 2, 3)))
void usage_die(const struct args *a, const char *fmt, ...);
__attribute__((noreturn))
void unknown_keyword(const struct args *a, const char *word);
uint64_t arg_u64(struct args *a, const char *kw);
uint32_t arg_u32(struct args *a, const char *kw);
uint16_t arg_u16(struct args *a, const char *kw);
uint8_t arg_u8(struct args *a, const char *kw);
void arg_addr(struct args *a, const char *kw, struct addr *out);
void arg_prefix(struct args *a, const char *kw, struct addr *out);
unsigned int arg_enum(struct args *a, const char *kw,
		      const struct name_val *tbl, size_t n, unsigned int max);
__attribute__((format(printf, 1, 2)))
void warnx_kipsec(const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void errx_kipsec(const char *fmt, ...);
const char *format_time(uint64_t secs, char *buf, size_t size);

/* An object's commands: "sa add", "sa show"... */
struct command {
	const char *name;
	int (*run)(struct args *a, const struct opts *o);
};

struct object {
	const char *name;
	const struct command *cmds;
	size_t ncmds;
	/* what the object alone means ("kipsec sa" = "kipsec sa show") */
	const char *dflt;
	void (*usage)(FILE *f);
};

int object_run(const struct object *obj, struct args *a, const struct opts *o);

/* link.c: the if_id of a kipsec link; 0 or a positive errno */
int link_if_id(const char *name, uint32_t *if_id);

extern const struct object sa_object, policy_object, limits_object,
	link_object, monitor_object, stats_object, encap_object,
	ike_object, up_object, down_object, rekey_object, status_object,
	reload_object;

/*
 * ---- The objects, decoded from or encoded to netlink (sa.c, policy.c) ----
 * One struct serves both directions: "set" has a bit per attribute type
 * present (BIT(KIPSEC_A_SA_SPI)...); addresses are present when their
 * family is non-zero. Values are in host order; byte order is nl.c's and
 * the encoders' business.
 */
struct alg_cfg {
	uint64_t set;		/* BIT(KIPSEC_A_ALG_*) */
	uint16_t id;
	uint8_t icv_len;
	uint16_t key_bits;	/* reported */
	size_t key_len;		/* sent */
	uint8_t key[KEY_MAX];
};

/* A nest of u64s (lifetime, sa-stats), indexed by attribute type. */
struct counters {
	uint64_t set;
	uint64_t val[8];
};

struct sa {
	uint64_t set;		/* BIT(KIPSEC_A_SA_*) for scalars and nests */
	uint32_t spi;
	uint8_t proto, mode, state, expire_kind;
	struct addr src, dst, new_addr;
	struct alg_cfg crypt, auth;
	uint32_t replay_window, flags, if_id, reqid, tfc_pad;
	uint32_t spi_min, spi_max, larval_timeout;
	uint16_t encap_sport, encap_dport, new_port;
	struct counters soft, hard, stats;
};

struct selector {
	uint64_t set;		/* BIT(KIPSEC_A_SELECTOR_*) for scalars */
	struct addr src, dst;	/* plen from sprefix/dprefix */
	uint8_t proto, icmp_type, icmp_code;
	uint16_t sport_min, sport_max, dport_min, dport_max;
};

struct template {
	uint64_t set;		/* BIT(KIPSEC_A_TEMPLATE_*) for scalars */
	uint8_t proto, mode;
	uint32_t reqid;
	struct addr src, dst;
};

struct policy {
	uint64_t set;		/* BIT(KIPSEC_A_POLICY_*) */
	uint32_t id, priority, if_id;
	uint8_t dir, action;
	struct selector sel, packet;
	struct template tmpl;
};

#define HAS(obj, attr)	(((obj)->set & BIT(attr)) != 0)

/* The namespace's drop counters (stats-get), indexed by attribute type. */
struct drop_stats {
	uint64_t set;		/* BIT(KIPSEC_A_STATS_*) reported */
	uint64_t val[64];
};

/* stats.c: the counters' names in the spec's order, decoder, printers */
extern const struct name_val drop_counter_names[];
extern const size_t drop_counter_count;

/* Printers shared by show/get and monitor. */
struct nlmsghdr;
void sa_decode(const struct nlmsghdr *nlh, struct sa *sa);
void sa_print_id(FILE *f, const struct sa *sa);
void sa_print_head(FILE *f, const struct sa *sa);
void sa_json_id(struct json *j, const struct sa *sa);
void sa_json(struct json *j, const char *key, const struct sa *sa,
	     bool stats);
void policy_decode(const struct nlmsghdr *nlh, struct policy *p);
void drop_stats_decode(const struct nlmsghdr *nlh, struct drop_stats *s);
void drop_stats_print(FILE *f, const struct drop_stats *s);
void drop_stats_json(struct json *j, const struct drop_stats *s);
void policy_print_head(FILE *f, const struct policy *p);
void selector_print(FILE *f, const struct selector *sel);
void template_print(FILE *f, const struct template *t);
void selector_json(struct json *j, const char *key,
		   const struct selector *sel);
void policy_json(struct json *j, const char *key, const struct policy *p);
const char *name_or_num(const struct name_val *tbl, size_t n,
			unsigned int val, char *buf, size_t size);

/*
 * Command-line parsers and encoders, separate so that tests/test_msg.c
 * can check the bytes each command line turns into. The masks say which
 * commands take a keyword.
 */
#define SA_CONFIG	1	/* add, update */
#define SA_ID		2	/* get, del */
#define SA_FLUSH	4
#define SA_ALLOC	8
#define P_ADD		1
#define P_DEL		2
#define P_GET		4
#define P_FLUSH		8

void sa_parse(struct args *a, unsigned int cmd, struct sa *sa);
void sa_put(struct nlmsghdr *nlh, const struct sa *sa);
void policy_parse(struct args *a, unsigned int cmd, struct policy *p);
void policy_put(struct nlmsghdr *nlh, const struct policy *p);

#endif /* KIPSEC_TOOL_H */
