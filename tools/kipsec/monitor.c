// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec monitor: one line per event of the "events" multicast group,
 * flushed at once so that a test (or a pipe into jq) sees it immediately.
 */
#include <string.h>
#include <linux/kipsec.h>

#include "nl.h"

struct monitor {
	const struct opts *o;
	uint16_t family;
	struct json j;
	union {			/* one event at a time */
		struct sa sa;
		struct policy p;
	} u;
};

static void expire_event(struct monitor *m, const struct nlmsghdr *nlh)
{
	struct sa *sa = &m->u.sa;
	const char *kind;
	char buf[16];

	sa_decode(nlh, sa);
	kind = name_or_num(expire_kind_names, expire_kind_count,
			   sa->expire_kind, buf, sizeof(buf));
	if (!m->o->json) {
		printf("expire %s ", kind);
		sa_print_head(stdout, sa);
		putchar('\n');
		return;
	}
	json_open_obj(&m->j, NULL);
	json_str(&m->j, "event", "expire");
	json_str(&m->j, "kind", kind);
	sa_json(&m->j, "sa", sa, false);
	json_close_obj(&m->j);
}

static void acquire_event(struct monitor *m, const struct nlmsghdr *nlh)
{
	struct policy *p = &m->u.p;

	policy_decode(nlh, p);
	if (!m->o->json) {
		fputs("acquire policy ", stdout);
		policy_print_head(stdout, p);
		printf(" if_id %u packet ", p->if_id);
		selector_print(stdout, &p->packet);
		if (HAS(p, KIPSEC_A_POLICY_TEMPLATE)) {
			putchar(' ');
			template_print(stdout, &p->tmpl);
		}
		putchar('\n');
		return;
	}
	json_open_obj(&m->j, NULL);
	json_str(&m->j, "event", "acquire");
	policy_json(&m->j, "policy", p);
	selector_json(&m->j, "packet", &p->packet);
	json_close_obj(&m->j);
}

static void mapping_event(struct monitor *m, const struct nlmsghdr *nlh)
{
	struct sa *sa = &m->u.sa;
	char addr[ADDR_STRLEN];

	sa_decode(nlh, sa);
	format_addr(&sa->new_addr, addr, sizeof(addr));
	if (!m->o->json) {
		fputs("mapping ", stdout);
		sa_print_id(stdout, sa);
		printf(" encap %u %u new-addr %s new-port %u\n",
		       sa->encap_sport, sa->encap_dport, addr, sa->new_port);
		return;
	}
	json_open_obj(&m->j, NULL);
	json_str(&m->j, "event", "mapping");
	json_open_obj(&m->j, "sa");
	sa_json_id(&m->j, sa);
	json_open_obj(&m->j, "encap");
	json_uint(&m->j, "sport", sa->encap_sport);
	json_uint(&m->j, "dport", sa->encap_dport);
	json_close_obj(&m->j);
	json_close_obj(&m->j);
	json_str(&m->j, "new_addr", addr);
	json_uint(&m->j, "new_port", sa->new_port);
	json_close_obj(&m->j);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *m = data;

	if (nlh->nlmsg_type != m->family)
		return MNL_CB_OK;
	switch (genl_cmd(nlh)) {
	case KIPSEC_CMD_SA_EXPIRE_NTF:
		expire_event(m, nlh);
		break;
	case KIPSEC_CMD_ACQUIRE_NTF:
		acquire_event(m, nlh);
		break;
	case KIPSEC_CMD_MAPPING_NTF:
		mapping_event(m, nlh);
		break;
	default:
		return MNL_CB_OK;	/* a newer kernel's event */
	}
	fflush(stdout);
	return MNL_CB_OK;
}

static int monitor_run(struct args *a, const struct opts *o)
{
	static struct monitor m;
	struct nl nl;
	int ret;

	if (!args_done(a))
		unknown_keyword(a, args_peek(a));
	if (genl_open(&nl))
		return EXIT_FAIL;
	if (!nl.events_grp) {
		errx_kipsec("monitor: the kipsec family has no \"%s\" group",
			    KIPSEC_MCGRP_EVENTS);
		nl_close(&nl);
		return EXIT_FAIL;
	}
	m.o = o;
	m.family = nl.family;
	json_init(&m.j, stdout);
	ret = nl_recv_events(&nl, event_cb, &m);
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static void monitor_usage(FILE *f)
{
	fputs("Usage: kipsec [-j] monitor\n"
	      "Prints one line per event: expire, acquire, mapping.\n", f);
}

static const struct command monitor_cmds[] = {
	{ "", monitor_run },
};

const struct object monitor_object = {
	"monitor", monitor_cmds, ARRAY_SIZE(monitor_cmds), "", monitor_usage,
};
