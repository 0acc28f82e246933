// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink and rtnetlink plumbing: sockets, family-id resolution,
 * request/reply with extended acks, attribute parsing with type checks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kipsec.h>

#include "nl.h"

/*
 * The largest request (an SA with two keys) is ~1.2 KiB. Replies: the
 * kernel sizes dump messages to at most 32 KiB (rtnetlink) so a 64 KiB
 * receive buffer never truncates.
 */
static char send_buf[16384];
static char recv_buf[65536];

static int nl_open(struct nl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		errx_kipsec("netlink socket: %s", strerror(errno));
		nl_close(nl);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	/* Best effort: an old kernel just gives errors without messages. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Errors need not echo our request back: we never look at it. */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int rtnl_open(struct nl *nl)
{
	return nl_open(nl, NETLINK_ROUTE);
}

struct nlmsghdr *nl_msg(struct nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(send_buf);

	/*
	 * A "do" asks for an ack so that it ends like a dump does. Compare
	 * all of NLM_F_DUMP's bits: NLM_F_EXCL shares one of them.
	 */
	if ((flags & NLM_F_DUMP) != NLM_F_DUMP)
		flags |= NLM_F_ACK;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

struct nlmsghdr *genl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = nl_msg(nl, nl->family, flags);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = cmd;
	g->version = KIPSEC_FAMILY_VERSION;
	return nlh;
}

uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	return nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*g)) ? g->cmd : 0;
}

/* ---- attribute parsing ---- */

struct parse_ctx {
	const struct attr_policy *pol;
	unsigned int max;
	const struct nlattr **tb;
};

/*
 * Unknown types are skipped (a newer kernel may add attributes); a known
 * one of the wrong size is dropped with a warning rather than read out of
 * bounds.
 */
static int parse_attr_cb(const struct nlattr *attr, void *data)
{
	const struct parse_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);
	const struct attr_policy *p;

	if (!type || type > ctx->max)
		return MNL_CB_OK;
	p = &ctx->pol[type];
	if ((p->type != MNL_TYPE_UNSPEC && mnl_attr_validate(attr, p->type) < 0) ||
	    (p->len && mnl_attr_get_payload_len(attr) != p->len)) {
		warnx_kipsec("ignoring malformed attribute %u from the kernel",
			     type);
		return MNL_CB_OK;
	}
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

void nl_parse_msg(const struct nlmsghdr *nlh, size_t offset,
		  const struct attr_policy *pol, unsigned int max,
		  const struct nlattr **tb)
{
	struct parse_ctx ctx = { pol, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, offset, parse_attr_cb, &ctx);
}

void nl_parse_nested(const struct nlattr *nest, const struct attr_policy *pol,
		     unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx ctx = { pol, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nest)
		mnl_attr_parse_nested(nest, parse_attr_cb, &ctx);
}

void genl_parse(const struct nlmsghdr *nlh, const struct attr_policy *pol,
		unsigned int max, const struct nlattr **tb)
{
	nl_parse_msg(nlh, sizeof(struct genlmsghdr), pol, max, tb);
}

/* An address travels as a 4-byte (network order) or a 16-byte attribute. */
void nl_put_addr(struct nlmsghdr *nlh, uint16_t type4, uint16_t type6,
		 const struct addr *a)
{
	if (a->family == AF_INET)
		mnl_attr_put(nlh, type4, 4, a->bytes);
	else if (a->family == AF_INET6)
		mnl_attr_put(nlh, type6, 16, a->bytes);
}

void nl_get_addr(const struct nlattr *const *tb, uint16_t type4,
		 uint16_t type6, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (tb[type4]) {
		a->family = AF_INET;
		memcpy(a->bytes, mnl_attr_get_payload(tb[type4]), 4);
	} else if (tb[type6]) {
		a->family = AF_INET6;
		memcpy(a->bytes, mnl_attr_get_payload(tb[type6]), 16);
	}
}

void nl_put_scalars(struct nlmsghdr *nlh, const void *obj, uint64_t set,
		    const struct scalar *tbl, size_t n)
{
	const struct scalar *s;

	for (s = tbl; s < tbl + n; s++) {
		const char *p = (const char *)obj + s->off;
		uint16_t v16;
		uint32_t v32;
		uint64_t v64;

		if (!(set & BIT(s->type)))
			continue;
		switch (s->size) {
		case 1:
			mnl_attr_put_u8(nlh, s->type, *(const uint8_t *)p);
			break;
		case 2:
			memcpy(&v16, p, 2);
			mnl_attr_put_u16(nlh, s->type, s->be ? htons(v16) : v16);
			break;
		case 4:
			memcpy(&v32, p, 4);
			mnl_attr_put_u32(nlh, s->type, s->be ? htonl(v32) : v32);
			break;
		case 8:
			memcpy(&v64, p, 8);
			mnl_attr_put_u64(nlh, s->type, v64);
			break;
		}
	}
}

/* A scalar of the wrong size is dropped, not half-read. */
void nl_get_scalars(const struct nlattr *const *tb, void *obj, uint64_t *set,
		    const struct scalar *tbl, size_t n)
{
	const struct scalar *s;

	for (s = tbl; s < tbl + n; s++) {
		char *p = (char *)obj + s->off;
		const struct nlattr *a = tb[s->type];
		uint16_t v16;
		uint32_t v32;

		if (!a)
			continue;
		if (mnl_attr_get_payload_len(a) != s->size) {
			warnx_kipsec("ignoring attribute %u of length %u from the kernel",
				     s->type, mnl_attr_get_payload_len(a));
			continue;
		}
		switch (s->size) {
		case 2:
			v16 = mnl_attr_get_u16(a);
			v16 = s->be ? ntohs(v16) : v16;
			memcpy(p, &v16, 2);
			break;
		case 4:
			v32 = mnl_attr_get_u32(a);
			v32 = s->be ? ntohl(v32) : v32;
			memcpy(p, &v32, 4);
			break;
		default:
			memcpy(p, mnl_attr_get_payload(a), s->size);
		}
		*set |= BIT(s->type);
	}
}

/* Only the members given are sent: absent and 0 differ for sa-set. */
void nl_put_counters(struct nlmsghdr *nlh, uint16_t type,
		     const struct counters *c)
{
	struct nlattr *nest;
	uint16_t i;

	if (!c->set)
		return;
	nest = mnl_attr_nest_start(nlh, type);
	for (i = 1; i < ARRAY_SIZE(c->val); i++)
		if (c->set & BIT(i))
			mnl_attr_put_u64(nlh, i, c->val[i]);
	mnl_attr_nest_end(nlh, nest);
}

void nl_get_counters(const struct nlattr *nest, struct counters *c)
{
	const struct nlattr *a;

	memset(c, 0, sizeof(*c));
	if (!nest)
		return;
	mnl_attr_for_each_nested(a, nest) {
		uint16_t t = mnl_attr_get_type(a);

		if (t && t < ARRAY_SIZE(c->val) &&
		    mnl_attr_get_payload_len(a) == sizeof(uint64_t)) {
			c->val[t] = mnl_attr_get_u64(a);
			c->set |= BIT(t);
		}
	}
}

/* ---- requests, replies and extended acks ---- */

struct talk {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
	int err;		/* positive errno from the kernel */
};

static const struct attr_policy extack_pol[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]	  = { MNL_TYPE_NUL_STRING },
	[NLMSGERR_ATTR_OFFS]	  = { MNL_TYPE_U32 },
	[NLMSGERR_ATTR_MISS_TYPE] = { MNL_TYPE_U32 },
	[NLMSGERR_ATTR_MISS_NEST] = { MNL_TYPE_U32 },
};

/* The TLVs after an error or a DONE, if the kernel says it sent them. */
static void parse_extack(struct nl *nl, const struct nlmsghdr *nlh,
			 size_t offset)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	nl->ext_msg[0] = '\0';
	nl->has_miss = false;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < mnl_nlmsg_size(offset))
		return;
	nl_parse_msg(nlh, offset, extack_pol, NLMSGERR_ATTR_MAX, tb);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
			 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		nl->has_miss = true;
		nl->miss_type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
}

static int talk_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		t->err = EBADMSG;
		return MNL_CB_STOP;
	}
	/* Uncapped, the error quotes our whole request before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	parse_extack(t->nl, nlh, offset);
	t->err = -e->error;
	if (!t->err && t->nl->ext_msg[0])
		warnx_kipsec("%s", t->nl->ext_msg);
	return MNL_CB_STOP;
}

/* A dump ends with DONE, which carries the dump's error, if any. */
static int talk_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	int err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(err)))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	parse_extack(t->nl, nlh, sizeof(err));
	t->err = -err;
	return MNL_CB_STOP;
}

static int talk_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* not const: libmnl's prototype takes a mutable array */
static mnl_cb_t talk_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = talk_error_cb,
	[NLMSG_DONE] = talk_done_cb,
};

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct talk t = { nl, cb, data, 0 };
	ssize_t n;
	int ret;

	nl->ext_msg[0] = '\0';
	nl->has_miss = false;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, recv_buf, sizeof(recv_buf));
		if (n < 0)
			return errno;
		ret = mnl_cb_run2(recv_buf, n, nlh->nlmsg_seq, nl->portid,
				  talk_data_cb, &t, talk_ctl_cbs,
				  ARRAY_SIZE(talk_ctl_cbs));
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return errno ? errno : EPROTO;
	return t.err;
}

void nl_perror(const struct nl *nl, const char *op, int err)
{
	if (nl->ext_msg[0])
		errx_kipsec("%s: %s: %s", op, strerror(err), nl->ext_msg);
	else if (nl->has_miss)
		errx_kipsec("%s: %s: missing attribute %u", op, strerror(err),
			    nl->miss_type);
	else
		errx_kipsec("%s: %s", op, strerror(err));
}

int nl_do(struct nl *nl, struct nlmsghdr *nlh, const char *op,
	  mnl_cb_t cb, void *data)
{
	int err = nl_talk(nl, nlh, cb, data);

	if (err) {
		nl_perror(nl, op, err);
		return -1;
	}
	return 0;
}

/* ---- generic netlink family resolution ---- */

static const struct attr_policy ctrl_pol[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	 = { MNL_TYPE_U16 },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED },
};

static const struct attr_policy grp_pol[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { MNL_TYPE_NUL_STRING },
	[CTRL_ATTR_MCAST_GRP_ID]   = { MNL_TYPE_U32 },
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *grp;
	struct nl *nl = data;

	genl_parse(nlh, ctrl_pol, CTRL_ATTR_MAX, tb);
	if (tb[CTRL_ATTR_FAMILY_ID])
		nl->family = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	/* an array: each element is a nest whose type is its index */
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *g[CTRL_ATTR_MCAST_GRP_MAX + 1];

		nl_parse_nested(grp, grp_pol, CTRL_ATTR_MCAST_GRP_MAX, g);
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    KIPSEC_MCGRP_EVENTS))
			nl->events_grp =
				mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

int genl_open(struct nl *nl)
{
	/* resolved once per process: a batch runs many commands */
	static uint16_t family;
	static uint32_t events_grp;
	struct nlmsghdr *nlh;
	int err;

	if (nl_open(nl, NETLINK_GENERIC))
		return -1;
	if (family) {
		nl->family = family;
		nl->events_grp = events_grp;
		return 0;
	}
	nl->family = GENL_ID_CTRL;
	nlh = genl_msg(nl, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, KIPSEC_FAMILY_NAME);
	nl->family = 0;
	err = nl_talk(nl, nlh, family_cb, nl);
	if (!err && !nl->family)
		err = ENOENT;
	if (err == ENOENT) {
		errx_kipsec("the kipsec module is not loaded (generic netlink family '%s' not found)",
			    KIPSEC_FAMILY_NAME);
	} else if (err) {
		nl_perror(nl, "resolving the generic netlink family", err);
	}
	if (err) {
		nl_close(nl);
		return -1;
	}
	family = nl->family;
	events_grp = nl->events_grp;
	return 0;
}

/* Multicast events: join the kipsec family's "events" group. */
int nl_join_events(struct nl *nl)
{
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_grp, sizeof(nl->events_grp)) < 0) {
		errx_kipsec("joining the events group: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * One datagram of events (no sequence or port to match), cb run on each.
 * ENOBUFS means the socket overflowed and events were lost: say so and
 * carry on. 0, or -1 with errno (EAGAIN on a non-blocking socket).
 */
int nl_read_events(struct nl *nl, mnl_cb_t cb, void *data)
{
	ssize_t n;

	n = mnl_socket_recvfrom(nl->sock, recv_buf, sizeof(recv_buf));
	if (n < 0 && errno == ENOBUFS) {
		warnx_kipsec("events lost (receive buffer overflow)");
		return 0;
	}
	if (n < 0)
		return -1;
	return mnl_cb_run(recv_buf, n, 0, 0, cb, data) < 0 ? -1 : 0;
}

int nl_recv_events(struct nl *nl, mnl_cb_t cb, void *data)
{
	if (nl_join_events(nl))
		return -1;
	for (;;) {
		if (!nl_read_events(nl, cb, data) || errno == EINTR)
			continue;
		errx_kipsec("monitor: %s", strerror(errno));
		return -1;
	}
}
