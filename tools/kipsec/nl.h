/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netlink layer: one socket per command, requests built in a static
 * buffer, replies checked against a per-attribute-set type table before
 * anyone reads them, kernel errors reported with their extack message.
 */
#ifndef KIPSEC_NL_H
#define KIPSEC_NL_H

#include <libmnl/libmnl.h>

#include "kipsec.h"

struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;	/* generic netlink family id of "kipsec" */
	uint32_t events_grp;	/* id of the "events" group, 0 if none */
	/* from the last error or warning the kernel sent */
	char ext_msg[256];
	bool has_miss;
	uint32_t miss_type;
};

/* Expected type (and, for binary, exact length) of each attribute. */
struct attr_policy {
	enum mnl_attr_data_type type;
	uint16_t len;
};

int genl_open(struct nl *nl);
int rtnl_open(struct nl *nl);
void nl_close(struct nl *nl);

struct nlmsghdr *nl_msg(struct nl *nl, uint16_t type, uint16_t flags);
struct nlmsghdr *genl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);

/* Send, then run cb on every reply; 0 or the kernel's (positive) errno. */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* nl_talk, and on failure print "kipsec: OP: ERROR: EXTACK"; 0 or -1. */
int nl_do(struct nl *nl, struct nlmsghdr *nlh, const char *op,
	  mnl_cb_t cb, void *data);
void nl_perror(const struct nl *nl, const char *op, int err);

int nl_join_events(struct nl *nl);
int nl_read_events(struct nl *nl, mnl_cb_t cb, void *data);
/* join, then read forever (kipsec monitor) */
int nl_recv_events(struct nl *nl, mnl_cb_t cb, void *data);

void nl_parse_msg(const struct nlmsghdr *nlh, size_t offset,
		  const struct attr_policy *pol, unsigned int max,
		  const struct nlattr **tb);
void nl_parse_nested(const struct nlattr *nest, const struct attr_policy *pol,
		     unsigned int max, const struct nlattr **tb);
void genl_parse(const struct nlmsghdr *nlh, const struct attr_policy *pol,
		unsigned int max, const struct nlattr **tb);
uint8_t genl_cmd(const struct nlmsghdr *nlh);

/*
 * Scalar members of a struct and the attributes they travel in: one table
 * per attribute set drives both encoding and decoding, and the size comes
 * from the member, so the two directions cannot disagree.
 */
struct scalar {
	uint16_t type;
	uint8_t size;		/* 1, 2, 4 or 8 bytes */
	bool be;		/* big-endian on the wire */
	size_t off;
};

#define SCALAR(st, member, attr, big_endian) \
	{ attr, sizeof(((st *)0)->member), big_endian, offsetof(st, member) }

void nl_put_scalars(struct nlmsghdr *nlh, const void *obj, uint64_t set,
		    const struct scalar *tbl, size_t n);
void nl_get_scalars(const struct nlattr *const *tb, void *obj, uint64_t *set,
		    const struct scalar *tbl, size_t n);
void nl_put_counters(struct nlmsghdr *nlh, uint16_t type,
		     const struct counters *c);
void nl_get_counters(const struct nlattr *nest, struct counters *c);

void nl_put_addr(struct nlmsghdr *nlh, uint16_t type4, uint16_t type6,
		 const struct addr *a);
void nl_get_addr(const struct nlattr *const *tb, uint16_t type4,
		 uint16_t type6, struct addr *a);

#endif /* KIPSEC_NL_H */
