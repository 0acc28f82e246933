// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec policy: the security policy database. Policies carry a selector
 * (what traffic) and, for protect, a template (which SA); both are nests
 * with their own tables, and the selector is shared with acquire events.
 */
#include <string.h>
#include <sys/socket.h>
#include <linux/kipsec.h>

#include "nl.h"

/* ---- wire format ---- */

static const struct scalar sel_scalars[] = {
	SCALAR(struct selector, src.plen, KIPSEC_A_SELECTOR_SPREFIX, false),
	SCALAR(struct selector, dst.plen, KIPSEC_A_SELECTOR_DPREFIX, false),
	SCALAR(struct selector, proto, KIPSEC_A_SELECTOR_PROTO, false),
	/* host order: the spec gives the selector's ports no byte-order */
	SCALAR(struct selector, sport_min, KIPSEC_A_SELECTOR_SPORT_MIN, false),
	SCALAR(struct selector, sport_max, KIPSEC_A_SELECTOR_SPORT_MAX, false),
	SCALAR(struct selector, dport_min, KIPSEC_A_SELECTOR_DPORT_MIN, false),
	SCALAR(struct selector, dport_max, KIPSEC_A_SELECTOR_DPORT_MAX, false),
	SCALAR(struct selector, icmp_type, KIPSEC_A_SELECTOR_ICMP_TYPE, false),
	SCALAR(struct selector, icmp_code, KIPSEC_A_SELECTOR_ICMP_CODE, false),
};

static const struct scalar tmpl_scalars[] = {
	SCALAR(struct template, proto, KIPSEC_A_TEMPLATE_PROTO, false),
	SCALAR(struct template, mode, KIPSEC_A_TEMPLATE_MODE, false),
	SCALAR(struct template, reqid, KIPSEC_A_TEMPLATE_REQID, false),
};

static const struct scalar policy_scalars[] = {
	SCALAR(struct policy, id, KIPSEC_A_POLICY_ID, false),
	SCALAR(struct policy, dir, KIPSEC_A_POLICY_DIR, false),
	SCALAR(struct policy, priority, KIPSEC_A_POLICY_PRIORITY, false),
	SCALAR(struct policy, action, KIPSEC_A_POLICY_ACTION, false),
	SCALAR(struct policy, if_id, KIPSEC_A_POLICY_IF_ID, false),
};

static const struct attr_policy sel_pol[KIPSEC_A_SELECTOR_MAX + 1] = {
	[KIPSEC_A_SELECTOR_SADDR_IPV4] = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_SELECTOR_SADDR_IPV6] = { MNL_TYPE_BINARY, 16 },
	[KIPSEC_A_SELECTOR_DADDR_IPV4] = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_SELECTOR_DADDR_IPV6] = { MNL_TYPE_BINARY, 16 },
};

static const struct attr_policy tmpl_pol[KIPSEC_A_TEMPLATE_MAX + 1] = {
	[KIPSEC_A_TEMPLATE_SADDR_IPV4] = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_TEMPLATE_SADDR_IPV6] = { MNL_TYPE_BINARY, 16 },
	[KIPSEC_A_TEMPLATE_DADDR_IPV4] = { MNL_TYPE_BINARY, 4 },
	[KIPSEC_A_TEMPLATE_DADDR_IPV6] = { MNL_TYPE_BINARY, 16 },
};

static const struct attr_policy policy_pol[KIPSEC_A_POLICY_MAX + 1] = {
	[KIPSEC_A_POLICY_SELECTOR] = { MNL_TYPE_NESTED },
	[KIPSEC_A_POLICY_TEMPLATE] = { MNL_TYPE_NESTED },
	[KIPSEC_A_POLICY_PACKET]   = { MNL_TYPE_NESTED },
};

static void selector_put(struct nlmsghdr *nlh, uint16_t type,
			 const struct selector *sel)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	nl_put_addr(nlh, KIPSEC_A_SELECTOR_SADDR_IPV4,
		    KIPSEC_A_SELECTOR_SADDR_IPV6, &sel->src);
	nl_put_addr(nlh, KIPSEC_A_SELECTOR_DADDR_IPV4,
		    KIPSEC_A_SELECTOR_DADDR_IPV6, &sel->dst);
	nl_put_scalars(nlh, sel, sel->set, sel_scalars,
		       ARRAY_SIZE(sel_scalars));
	mnl_attr_nest_end(nlh, nest);
}

static void template_put(struct nlmsghdr *nlh, uint16_t type,
			 const struct template *t)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	nl_put_scalars(nlh, t, t->set, tmpl_scalars, ARRAY_SIZE(tmpl_scalars));
	nl_put_addr(nlh, KIPSEC_A_TEMPLATE_SADDR_IPV4,
		    KIPSEC_A_TEMPLATE_SADDR_IPV6, &t->src);
	nl_put_addr(nlh, KIPSEC_A_TEMPLATE_DADDR_IPV4,
		    KIPSEC_A_TEMPLATE_DADDR_IPV6, &t->dst);
	mnl_attr_nest_end(nlh, nest);
}

void policy_put(struct nlmsghdr *nlh, const struct policy *p)
{
	nl_put_scalars(nlh, p, p->set, policy_scalars,
		       ARRAY_SIZE(policy_scalars));
	if (HAS(p, KIPSEC_A_POLICY_SELECTOR))
		selector_put(nlh, KIPSEC_A_POLICY_SELECTOR, &p->sel);
	if (HAS(p, KIPSEC_A_POLICY_TEMPLATE))
		template_put(nlh, KIPSEC_A_POLICY_TEMPLATE, &p->tmpl);
}

static void selector_decode(const struct nlattr *nest, struct selector *sel)
{
	const struct nlattr *tb[KIPSEC_A_SELECTOR_MAX + 1];

	memset(sel, 0, sizeof(*sel));
	nl_parse_nested(nest, sel_pol, KIPSEC_A_SELECTOR_MAX, tb);
	nl_get_addr(tb, KIPSEC_A_SELECTOR_SADDR_IPV4,
		    KIPSEC_A_SELECTOR_SADDR_IPV6, &sel->src);
	nl_get_addr(tb, KIPSEC_A_SELECTOR_DADDR_IPV4,
		    KIPSEC_A_SELECTOR_DADDR_IPV6, &sel->dst);
	nl_get_scalars(tb, sel, &sel->set, sel_scalars,
		       ARRAY_SIZE(sel_scalars));
	sel->src.has_plen = HAS(sel, KIPSEC_A_SELECTOR_SPREFIX);
	sel->dst.has_plen = HAS(sel, KIPSEC_A_SELECTOR_DPREFIX);
}

static void template_decode(const struct nlattr *nest, struct template *t)
{
	const struct nlattr *tb[KIPSEC_A_TEMPLATE_MAX + 1];

	memset(t, 0, sizeof(*t));
	nl_parse_nested(nest, tmpl_pol, KIPSEC_A_TEMPLATE_MAX, tb);
	nl_get_scalars(tb, t, &t->set, tmpl_scalars, ARRAY_SIZE(tmpl_scalars));
	nl_get_addr(tb, KIPSEC_A_TEMPLATE_SADDR_IPV4,
		    KIPSEC_A_TEMPLATE_SADDR_IPV6, &t->src);
	nl_get_addr(tb, KIPSEC_A_TEMPLATE_DADDR_IPV4,
		    KIPSEC_A_TEMPLATE_DADDR_IPV6, &t->dst);
}

void policy_decode(const struct nlmsghdr *nlh, struct policy *p)
{
	const struct nlattr *tb[KIPSEC_A_POLICY_MAX + 1];
	static const uint16_t nests[] = { KIPSEC_A_POLICY_SELECTOR,
		KIPSEC_A_POLICY_TEMPLATE, KIPSEC_A_POLICY_PACKET };
	size_t i;

	memset(p, 0, sizeof(*p));
	genl_parse(nlh, policy_pol, KIPSEC_A_POLICY_MAX, tb);
	nl_get_scalars(tb, p, &p->set, policy_scalars,
		       ARRAY_SIZE(policy_scalars));
	for (i = 0; i < ARRAY_SIZE(nests); i++)
		if (tb[nests[i]])
			p->set |= BIT(nests[i]);
	selector_decode(tb[KIPSEC_A_POLICY_SELECTOR], &p->sel);
	selector_decode(tb[KIPSEC_A_POLICY_PACKET], &p->packet);
	template_decode(tb[KIPSEC_A_POLICY_TEMPLATE], &p->tmpl);
}

/* ---- printing ---- */

/* A selector address always shows its length: /32 or /128 if implied. */
static const char *prefix_str(const struct addr *a, char *buf, size_t size)
{
	struct addr full = *a;

	if (full.family && !full.has_plen) {
		full.has_plen = true;
		full.plen = full.family == AF_INET ? 32 : 128;
	}
	return format_addr(&full, buf, size);
}

static void ports_print(FILE *f, const char *label, const struct selector *sel,
			uint16_t min_attr, uint16_t min, uint16_t max)
{
	if (!HAS(sel, min_attr))
		return;
	if (HAS(sel, min_attr + 1) && max != min)	/* *_MAX follows *_MIN */
		fprintf(f, " %s %u-%u", label, min, max);
	else
		fprintf(f, " %s %u", label, min);
}

void selector_print(FILE *f, const struct selector *sel)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN], proto[8];

	fprintf(f, "src %s dst %s", prefix_str(&sel->src, src, sizeof(src)),
		prefix_str(&sel->dst, dst, sizeof(dst)));
	if (HAS(sel, KIPSEC_A_SELECTOR_PROTO))
		fprintf(f, " proto %s", name_or_num(ip_proto_names,
						    ip_proto_count, sel->proto,
						    proto, sizeof(proto)));
	ports_print(f, "sport", sel, KIPSEC_A_SELECTOR_SPORT_MIN,
		    sel->sport_min, sel->sport_max);
	ports_print(f, "dport", sel, KIPSEC_A_SELECTOR_DPORT_MIN,
		    sel->dport_min, sel->dport_max);
	if (HAS(sel, KIPSEC_A_SELECTOR_ICMP_TYPE))
		fprintf(f, " type %u", sel->icmp_type);
	if (HAS(sel, KIPSEC_A_SELECTOR_ICMP_CODE))
		fprintf(f, " code %u", sel->icmp_code);
}

void template_print(FILE *f, const struct template *t)
{
	char proto[8], mode[16], addr[ADDR_STRLEN];

	fprintf(f, "tmpl proto %s mode %s reqid %u",
		name_or_num(ipsec_proto_names, ipsec_proto_count, t->proto,
			    proto, sizeof(proto)),
		name_or_num(mode_names, mode_count, t->mode, mode,
			    sizeof(mode)),
		t->reqid);
	if (t->src.family)
		fprintf(f, " src %s", format_addr(&t->src, addr, sizeof(addr)));
	if (t->dst.family)
		fprintf(f, " dst %s", format_addr(&t->dst, addr, sizeof(addr)));
}

void policy_print_head(FILE *f, const struct policy *p)
{
	char dir[8];

	fprintf(f, "id %u dir %s", p->id,
		name_or_num(dir_names, dir_count, p->dir, dir, sizeof(dir)));
}

static void policy_print(FILE *f, const struct policy *p)
{
	char action[16];

	policy_print_head(f, p);
	fprintf(f, " priority %u action %s if_id %u\n\t", p->priority,
		name_or_num(action_names, action_count, p->action, action,
			    sizeof(action)),
		p->if_id);
	selector_print(f, &p->sel);
	fputc('\n', f);
	if (HAS(p, KIPSEC_A_POLICY_TEMPLATE)) {
		fputc('\t', f);
		template_print(f, &p->tmpl);
		fputc('\n', f);
	}
}

static void ports_json(struct json *j, const char *key,
		       const struct selector *sel, uint16_t min_attr,
		       uint16_t min, uint16_t max)
{
	if (!HAS(sel, min_attr))
		return;
	json_open_obj(j, key);
	json_uint(j, "min", min);
	json_uint(j, "max", HAS(sel, min_attr + 1) ? max : min);
	json_close_obj(j);
}

void selector_json(struct json *j, const char *key, const struct selector *sel)
{
	char buf[ADDR_STRLEN];

	json_open_obj(j, key);
	if (sel->src.family)
		json_str(j, "src", prefix_str(&sel->src, buf, sizeof(buf)));
	if (sel->dst.family)
		json_str(j, "dst", prefix_str(&sel->dst, buf, sizeof(buf)));
	if (HAS(sel, KIPSEC_A_SELECTOR_PROTO))
		json_str(j, "proto", name_or_num(ip_proto_names,
						 ip_proto_count, sel->proto,
						 buf, sizeof(buf)));
	ports_json(j, "sport", sel, KIPSEC_A_SELECTOR_SPORT_MIN,
		   sel->sport_min, sel->sport_max);
	ports_json(j, "dport", sel, KIPSEC_A_SELECTOR_DPORT_MIN,
		   sel->dport_min, sel->dport_max);
	if (HAS(sel, KIPSEC_A_SELECTOR_ICMP_TYPE))
		json_uint(j, "icmp_type", sel->icmp_type);
	if (HAS(sel, KIPSEC_A_SELECTOR_ICMP_CODE))
		json_uint(j, "icmp_code", sel->icmp_code);
	json_close_obj(j);
}

static void template_json(struct json *j, const char *key,
			  const struct template *t)
{
	char buf[ADDR_STRLEN];

	json_open_obj(j, key);
	json_str(j, "proto", name_or_num(ipsec_proto_names, ipsec_proto_count,
					 t->proto, buf, sizeof(buf)));
	json_str(j, "mode", name_or_num(mode_names, mode_count, t->mode, buf,
					sizeof(buf)));
	json_uint(j, "reqid", t->reqid);
	if (t->src.family)
		json_str(j, "src", format_addr(&t->src, buf, sizeof(buf)));
	if (t->dst.family)
		json_str(j, "dst", format_addr(&t->dst, buf, sizeof(buf)));
	json_close_obj(j);
}

/* Acquire events carry only some members: print those present. */
void policy_json(struct json *j, const char *key, const struct policy *p)
{
	char buf[16];

	json_open_obj(j, key);
	json_uint(j, "id", p->id);
	json_str(j, "dir", name_or_num(dir_names, dir_count, p->dir, buf,
				       sizeof(buf)));
	if (HAS(p, KIPSEC_A_POLICY_PRIORITY))
		json_uint(j, "priority", p->priority);
	if (HAS(p, KIPSEC_A_POLICY_ACTION))
		json_str(j, "action", name_or_num(action_names, action_count,
						  p->action, buf,
						  sizeof(buf)));
	json_uint(j, "if_id", p->if_id);
	selector_json(j, "selector", &p->sel);
	if (HAS(p, KIPSEC_A_POLICY_TEMPLATE))
		template_json(j, "template", &p->tmpl);
	json_close_obj(j);
}

/* ---- the command line ---- */

enum policy_kw {
	KW_DIR, KW_ID, KW_SRC, KW_DST, KW_PROTO, KW_SPORT, KW_DPORT, KW_TYPE,
	KW_CODE, KW_PRIORITY, KW_ACTION, KW_IF_ID, KW_TMPL,
};

struct policy_keyword {
	const char *name;
	enum policy_kw kw;
	unsigned int cmds;
};

#define P_SEL	(P_ADD | P_DEL)	/* the selector identifies in del */

static const struct policy_keyword policy_keywords[] = {
	{ "dir",      KW_DIR,	   P_ADD | P_DEL | P_FLUSH },
	{ "id",	      KW_ID,	   P_DEL | P_GET },
	{ "src",      KW_SRC,	   P_SEL },
	{ "dst",      KW_DST,	   P_SEL },
	{ "proto",    KW_PROTO,	   P_SEL },
	{ "sport",    KW_SPORT,	   P_SEL },
	{ "dport",    KW_DPORT,	   P_SEL },
	{ "type",     KW_TYPE,	   P_SEL },
	{ "code",     KW_CODE,	   P_SEL },
	{ "priority", KW_PRIORITY, P_ADD },
	{ "action",   KW_ACTION,   P_ADD },
	{ "if_id",    KW_IF_ID,	   P_ADD | P_DEL },
	{ "if-id",    KW_IF_ID,	   P_ADD | P_DEL },
	{ "tmpl",     KW_TMPL,	   P_ADD },
};

static const struct policy_keyword *policy_keyword(const char *word,
						   unsigned int cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(policy_keywords); i++)
		if ((policy_keywords[i].cmds & cmd) &&
		    !strcmp(policy_keywords[i].name, word))
			return &policy_keywords[i];
	return NULL;
}

static void arg_ports(struct args *a, const char *kw, struct selector *sel,
		      uint16_t min_attr, uint16_t *min, uint16_t *max)
{
	const char *v = arg_value(a, kw);

	if (parse_port_range(v, min, max))
		usage_die(a, "invalid value \"%s\" for \"%s\"", v, kw);
	/* a lone port travels as *-min only, as the spec describes it */
	sel->set |= BIT(min_attr);
	if (strchr(v, '-'))
		sel->set |= BIT(min_attr + 1);
}

static void arg_selector(struct args *a, const struct policy_keyword *k,
			 struct selector *sel)
{
	switch (k->kw) {
	case KW_SRC:
		arg_prefix(a, k->name, &sel->src);
		if (sel->src.has_plen)
			sel->set |= BIT(KIPSEC_A_SELECTOR_SPREFIX);
		break;
	case KW_DST:
		arg_prefix(a, k->name, &sel->dst);
		if (sel->dst.has_plen)
			sel->set |= BIT(KIPSEC_A_SELECTOR_DPREFIX);
		break;
	case KW_PROTO:
		sel->proto = arg_enum(a, k->name, ip_proto_names,
				      ip_proto_count, UINT8_MAX);
		sel->set |= BIT(KIPSEC_A_SELECTOR_PROTO);
		break;
	case KW_SPORT:
		arg_ports(a, k->name, sel, KIPSEC_A_SELECTOR_SPORT_MIN,
			  &sel->sport_min, &sel->sport_max);
		break;
	case KW_DPORT:
		arg_ports(a, k->name, sel, KIPSEC_A_SELECTOR_DPORT_MIN,
			  &sel->dport_min, &sel->dport_max);
		break;
	case KW_TYPE:
		sel->icmp_type = arg_u8(a, k->name);
		sel->set |= BIT(KIPSEC_A_SELECTOR_ICMP_TYPE);
		break;
	case KW_CODE:
		sel->icmp_code = arg_u8(a, k->name);
		sel->set |= BIT(KIPSEC_A_SELECTOR_ICMP_CODE);
		break;
	default:
		break;
	}
}

/*
 * After "tmpl", these words are the template's; any other word ends it.
 * Returns false for a word that is not a template keyword.
 */
static bool arg_template(struct args *a, const char *w, struct template *t)
{
	if (!strcmp(w, "proto")) {
		t->proto = arg_enum(a, w, ipsec_proto_names, ipsec_proto_count,
				    UINT8_MAX);
		t->set |= BIT(KIPSEC_A_TEMPLATE_PROTO);
	} else if (!strcmp(w, "mode")) {
		t->mode = arg_enum(a, w, mode_names, mode_count, 0);
		t->set |= BIT(KIPSEC_A_TEMPLATE_MODE);
	} else if (!strcmp(w, "reqid")) {
		t->reqid = arg_u32(a, w);
		t->set |= BIT(KIPSEC_A_TEMPLATE_REQID);
	} else if (!strcmp(w, "src")) {
		arg_addr(a, w, &t->src);
	} else if (!strcmp(w, "dst")) {
		arg_addr(a, w, &t->dst);
	} else {
		return false;
	}
	return true;
}

static void policy_parse_kw(struct args *a, const struct policy_keyword *k,
			    struct policy *p)
{
	switch (k->kw) {
	case KW_DIR:
		p->dir = arg_enum(a, k->name, dir_names, dir_count, 0);
		p->set |= BIT(KIPSEC_A_POLICY_DIR);
		break;
	case KW_ID:
		p->id = arg_u32(a, k->name);
		p->set |= BIT(KIPSEC_A_POLICY_ID);
		break;
	case KW_PRIORITY:
		p->priority = arg_u32(a, k->name);
		p->set |= BIT(KIPSEC_A_POLICY_PRIORITY);
		break;
	case KW_ACTION:
		p->action = arg_enum(a, k->name, action_names, action_count,
				     0);
		p->set |= BIT(KIPSEC_A_POLICY_ACTION);
		break;
	case KW_IF_ID:
		p->if_id = arg_u32(a, k->name);
		p->set |= BIT(KIPSEC_A_POLICY_IF_ID);
		break;
	case KW_TMPL:
		p->set |= BIT(KIPSEC_A_POLICY_TEMPLATE);
		break;
	default:
		arg_selector(a, k, &p->sel);
		p->set |= BIT(KIPSEC_A_POLICY_SELECTOR);
		break;
	}
}

void policy_parse(struct args *a, unsigned int cmd, struct policy *p)
{
	const struct policy_keyword *k;
	bool in_tmpl = false;
	const char *w;

	memset(p, 0, sizeof(*p));
	while ((w = args_next(a))) {
		if (in_tmpl && arg_template(a, w, &p->tmpl))
			continue;
		k = policy_keyword(w, cmd);
		if (!k)
			unknown_keyword(a, w);
		in_tmpl = k->kw == KW_TMPL;
		policy_parse_kw(a, k, p);
	}
}

/* ---- commands ---- */

struct show_ctx {
	const struct opts *o;
	struct json j;
};

static int policy_show_cb(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *ctx = data;
	struct policy p;

	policy_decode(nlh, &p);
	if (ctx->o->json)
		policy_json(&ctx->j, NULL, &p);
	else
		policy_print(stdout, &p);
	return MNL_CB_OK;
}

static int policy_id_cb(const struct nlmsghdr *nlh, void *data)
{
	policy_decode(nlh, data);
	return MNL_CB_OK;
}

static int policy_request(struct args *a, unsigned int cmd, uint8_t nlcmd,
			  struct policy *p, mnl_cb_t cb, void *data)
{
	struct nlmsghdr *nlh;
	struct nl nl;
	int ret;

	if (genl_open(&nl))
		return EXIT_FAIL;
	nlh = genl_msg(&nl, nlcmd, cmd ? 0 : NLM_F_DUMP);
	policy_put(nlh, p);
	ret = nl_do(&nl, nlh, a->command, cb, data);
	nl_close(&nl);
	return ret ? EXIT_FAIL : EXIT_OK;
}

static int policy_add(struct args *a, const struct opts *o)
{
	struct policy p, reply = { 0 };
	struct json j;
	int ret;

	policy_parse(a, P_ADD, &p);
	if (!HAS(&p, KIPSEC_A_POLICY_ACTION)) {
		p.action = KIPSEC_ACTION_PROTECT;	/* the documented default */
		p.set |= BIT(KIPSEC_A_POLICY_ACTION);
	}
	ret = policy_request(a, P_ADD, KIPSEC_CMD_POLICY_NEW, &p, policy_id_cb,
			     &reply);
	if (ret)
		return ret;
	if (!HAS(&reply, KIPSEC_A_POLICY_ID)) {
		errx_kipsec("%s: the kernel's reply has no id", a->command);
		return EXIT_FAIL;
	}
	if (o->json) {
		json_init(&j, stdout);
		json_open_obj(&j, NULL);
		json_uint(&j, "id", reply.id);
		json_close_obj(&j);
	} else {
		printf("%u\n", reply.id);
	}
	return EXIT_OK;
}

static int policy_simple(struct args *a, unsigned int cmd, uint8_t nlcmd)
{
	struct policy p;

	policy_parse(a, cmd, &p);
	return policy_request(a, cmd, nlcmd, &p, NULL, NULL);
}

static int policy_del(struct args *a, const struct opts *o)
{
	(void)o;
	return policy_simple(a, P_DEL, KIPSEC_CMD_POLICY_DEL);
}

static int policy_flush(struct args *a, const struct opts *o)
{
	(void)o;
	return policy_simple(a, P_FLUSH, KIPSEC_CMD_POLICY_FLUSH);
}

/* get (cmd P_GET) and show (cmd 0, a dump) print alike. */
static int policy_print_request(struct args *a, const struct opts *o,
				unsigned int cmd)
{
	struct show_ctx ctx = { .o = o };
	struct policy p;
	int ret;

	policy_parse(a, cmd, &p);
	json_init(&ctx.j, stdout);
	if (o->json && !cmd)
		json_open_arr(&ctx.j, NULL);
	ret = policy_request(a, cmd, KIPSEC_CMD_POLICY_GET, &p,
			     policy_show_cb, &ctx);
	if (o->json && !cmd)
		json_close_arr(&ctx.j);
	return ret;
}

static int policy_get(struct args *a, const struct opts *o)
{
	return policy_print_request(a, o, P_GET);
}

static int policy_show(struct args *a, const struct opts *o)
{
	return policy_print_request(a, o, 0);
}

static void policy_usage(FILE *f)
{
	fputs("Usage: kipsec [-j] policy add dir DIR [SELECTOR] [priority N] [action ACTION]\n"
	      "                 [if_id N] [TEMPLATE]\n"
	      "       kipsec policy del { id N | dir DIR [SELECTOR] [if_id N] }\n"
	      "       kipsec [-j] policy get id N\n"
	      "       kipsec [-j] policy [ show ]\n"
	      "       kipsec policy flush [dir DIR]\n"
	      "DIR := in | out | fwd\n"
	      "ACTION := protect | bypass | discard      (default protect)\n"
	      "SELECTOR := [src PREFIX] [dst PREFIX] [proto IPPROTO] [sport PORTS]\n"
	      "            [dport PORTS] [type N [code N]]\n"
	      "PREFIX := ADDR[/LEN]        PORTS := N[-M]\n"
	      "IPPROTO := tcp | udp | icmp | ipv6-icmp | sctp | udplite | NUMBER\n"
	      "TEMPLATE := tmpl proto { esp | ah } mode { tunnel | transport } [reqid N]\n"
	      "            [src ADDR dst ADDR]   (after the selector)\n",
	      f);
}

static const struct command policy_cmds[] = {
	{ "add", policy_add },
	{ "del", policy_del },
	{ "delete", policy_del },
	{ "get", policy_get },
	{ "show", policy_show },
	{ "list", policy_show },
	{ "flush", policy_flush },
};

const struct object policy_object = {
	"policy", policy_cmds, ARRAY_SIZE(policy_cmds), "show", policy_usage,
};
