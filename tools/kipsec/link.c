// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec link: kipsec interfaces over rtnetlink, which is how the kernel
 * creates any netdev. Our attributes ride in IFLA_INFO_DATA and use the
 * spec's "link" attribute set.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <linux/if.h>	/* IF_OPER_*; after net/if.h, see libc-compat.h */
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/kipsec.h>

#include "nl.h"

#define KIND "kipsec"

struct link {
	uint64_t set;		/* BIT(IFLA_*) */
	uint64_t info_set;	/* BIT(KIPSEC_A_LINK_*) */
	uint32_t ifindex, mtu, if_id, underlay;
	uint8_t operstate;
	bool is_kipsec;
	char name[IF_NAMESIZE];
};

static const struct scalar ifla_scalars[] = {
	SCALAR(struct link, mtu, IFLA_MTU, false),
	SCALAR(struct link, operstate, IFLA_OPERSTATE, false),
};

static const struct scalar info_scalars[] = {
	SCALAR(struct link, if_id, KIPSEC_A_LINK_IF_ID, false),
	SCALAR(struct link, underlay, KIPSEC_A_LINK_UNDERLAY_IFINDEX, false),
};

static const struct attr_policy ifla_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME]	= { MNL_TYPE_NUL_STRING },
	[IFLA_LINKINFO] = { MNL_TYPE_NESTED },
};

static const struct attr_policy info_pol[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = { MNL_TYPE_NUL_STRING },
	[IFLA_INFO_DATA] = { MNL_TYPE_NESTED },
};

static const struct attr_policy data_pol[KIPSEC_A_LINK_MAX + 1];

static void link_decode(const struct nlmsghdr *nlh, struct link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct nlattr *data[KIPSEC_A_LINK_MAX + 1];

	memset(l, 0, sizeof(*l));
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
		return;
	l->ifindex = ifi->ifi_index;
	nl_parse_msg(nlh, sizeof(*ifi), ifla_pol, IFLA_MAX, tb);
	nl_get_scalars(tb, l, &l->set, ifla_scalars, ARRAY_SIZE(ifla_scalars));
	if (tb[IFLA_IFNAME])
		snprintf(l->name, sizeof(l->name), "%s",
			 mnl_attr_get_str(tb[IFLA_IFNAME]));
	nl_parse_nested(tb[IFLA_LINKINFO], info_pol, IFLA_INFO_MAX, info);
	l->is_kipsec = info[IFLA_INFO_KIND] &&
		       !strcmp(mnl_attr_get_str(info[IFLA_INFO_KIND]), KIND);
	nl_parse_nested(info[IFLA_INFO_DATA], data_pol, KIPSEC_A_LINK_MAX,
			data);
	nl_get_scalars(data, l, &l->info_set, info_scalars,
		       ARRAY_SIZE(info_scalars));
}

/* ---- printing ---- */

static const struct name_val operstate_names[] = {
	{ "UNKNOWN", IF_OPER_UNKNOWN },
	{ "NOTPRESENT", IF_OPER_NOTPRESENT },
	{ "DOWN", IF_OPER_DOWN },
	{ "LOWERLAYERDOWN", IF_OPER_LOWERLAYERDOWN },
	{ "TESTING", IF_OPER_TESTING },
	{ "DORMANT", IF_OPER_DORMANT },
	{ "UP", IF_OPER_UP },
};

/* The underlay's name, or its number if it has none here. */
static const char *underlay_str(const struct link *l, char *buf)
{
	if (!l->underlay)
		return NULL;
	if (!if_indextoname(l->underlay, buf))
		sprintf(buf, "%u", l->underlay);
	return buf;
}

static void link_print(const struct link *l, const struct opts *o,
		       struct json *j)
{
	char state[16], under[IF_NAMESIZE + 16];
	const char *u = underlay_str(l, under);
	const char *st = name_or_num(operstate_names,
				     ARRAY_SIZE(operstate_names),
				     l->operstate, state, sizeof(state));

	if (!o->json) {
		printf("%s ifindex %u if_id %u underlay %s state %s mtu %u\n",
		       l->name, l->ifindex, l->if_id, u ? u : "none", st,
		       l->mtu);
		return;
	}
	json_open_obj(j, NULL);
	json_str(j, "name", l->name);
	json_uint(j, "ifindex", l->ifindex);
	json_uint(j, "if_id", l->if_id);
	if (u)
		json_str(j, "underlay", u);
	json_uint(j, "underlay_ifindex", l->underlay);
	json_str(j, "state", st);
	json_uint(j, "mtu", l->mtu);
	json_close_obj(j);
}

/* ---- requests ---- */

static struct nlmsghdr *link_msg(struct nl *nl, uint16_t type, uint16_t flags,
				 const char *name, uint32_t ifindex)
{
	struct nlmsghdr *nlh = nl_msg(nl, type, flags);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static int link_get_cb(const struct nlmsghdr *nlh, void *data)
{
	link_decode(nlh, data);
	return MNL_CB_OK;
}

/* The kipsec link called name, or an error saying why not. */
static int link_lookup(struct nl *nl, const struct args *a, const char *name,
		       struct link *l)
{
	struct nlmsghdr *nlh = link_msg(nl, RTM_GETLINK, 0, name, 0);

	if (nl_do(nl, nlh, a->command, link_get_cb, l))
		return -1;
	if (!l->is_kipsec) {
		errx_kipsec("%s: %s is not a kipsec link", a->command, name);
		return -1;
	}
	return 0;
}

/*
 * The if_id of the kipsec link NAME, for the IKE daemon's route-based
 * connections: 0, or a positive errno (EINVAL: NAME is not a kipsec link).
 */
int link_if_id(const char *name, uint32_t *if_id)
{
	struct nlmsghdr *nlh;
	struct link l = { 0 };
	struct nl nl;
	int err;

	if (rtnl_open(&nl))
		return EIO;
	nlh = link_msg(&nl, RTM_GETLINK, 0, name, 0);
	err = nl_talk(&nl, nlh, link_get_cb, &l);
	nl_close(&nl);
	if (!err && !l.is_kipsec)
		err = EINVAL;
	if (!err)
		*if_id = l.if_id;
	return err;
}

static const char *arg_ifname(struct args *a)
{
	const char *name = args_next(a);

	if (!name)
		usage_die(a, "missing link name");
	if (!*name || strlen(name) >= IF_NAMESIZE)
		usage_die(a, "invalid link name \"%s\"", name);
	return name;
}

static int link_add(struct args *a, const struct opts *o)
{
	struct link l = { 0 };
	const char *name = arg_ifname(a), *w, *dev = NULL;
	struct nlattr *linkinfo, *data;
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	(void)o;
	while ((w = args_next(a))) {
		if (!strcmp(w, "if_id") || !strcmp(w, "if-id")) {
			l.if_id = arg_u32(a, w);
			l.info_set |= BIT(KIPSEC_A_LINK_IF_ID);
		} else if (!strcmp(w, "underlay")) {
			dev = arg_value(a, w);
		} else {
			unknown_keyword(a, w);
		}
	}
	if (dev) {
		l.underlay = if_nametoindex(dev);
		if (!l.underlay) {
			errx_kipsec("%s: underlay: no such device \"%s\"",
				    a->command, dev);
			return EXIT_FAIL;
		}
		l.info_set |= BIT(KIPSEC_A_LINK_UNDERLAY_IFINDEX);
	}
	if (rtnl_open(&nl))
		return EXIT_FAIL;
	nlh = link_msg(&nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, name, 0);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, KIND);
	if (l.info_set) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		nl_put_scalars(nlh, &l, l.info_set, info_scalars,
			       ARRAY_SIZE(info_scalars));
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, linkinfo);
	ret = nl_do(&nl, nlh, a->command, NULL, NULL);
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

/* Look before deleting: "link del eth0" must not take eth0 down. */
static int link_del(struct args *a, const struct opts *o)
{
	const char *name = arg_ifname(a);
	struct nlmsghdr *nlh;
	struct link l;
	struct nl nl;
	int ret;

	(void)o;
	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (rtnl_open(&nl))
		return EXIT_FAIL;
	ret = link_lookup(&nl, a, name, &l);
	if (!ret) {
		nlh = link_msg(&nl, RTM_DELLINK, 0, NULL, l.ifindex);
		ret = nl_do(&nl, nlh, a->command, NULL, NULL);
	}
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

struct show_ctx {
	const struct opts *o;
	struct json j;
};

static int link_show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *ctx = data;
	struct link l;

	link_decode(nlh, &l);
	if (l.is_kipsec)
		link_print(&l, ctx->o, &ctx->j);
	return MNL_CB_OK;
}

static int link_show(struct args *a, const struct opts *o)
{
	const char *name = args_done(a) ? NULL : arg_ifname(a);
	struct show_ctx ctx = { .o = o };
	struct nlmsghdr *nlh;
	struct link l;
	struct nl nl;
	int ret;

	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (rtnl_open(&nl))
		return EXIT_FAIL;
	json_init(&ctx.j, stdout);
	if (name) {
		ret = link_lookup(&nl, a, name, &l);
		if (!ret)
			link_print(&l, o, &ctx.j);
	} else {
		if (o->json)
			json_open_arr(&ctx.j, NULL);
		nlh = link_msg(&nl, RTM_GETLINK, NLM_F_DUMP, NULL, 0);
		ret = nl_do(&nl, nlh, a->command, link_show_cb, &ctx);
		if (o->json)
			json_close_arr(&ctx.j);
	}
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static void link_usage(FILE *f)
{
	fputs("Usage: kipsec link add NAME [if_id N] [underlay DEV]\n"
	      "       kipsec link del NAME\n"
	      "       kipsec [-j] link [ show [NAME] ]\n", f);
}

static const struct command link_cmds[] = {
	{ "add", link_add },
	{ "del", link_del },
	{ "delete", link_del },
	{ "show", link_show },
	{ "list", link_show },
};

const struct object link_object = {
	"link", link_cmds, ARRAY_SIZE(link_cmds), "show", link_usage,
};
