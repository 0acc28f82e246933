// SPDX-License-Identifier: GPL-2.0
/*
 * An iproute2 plugin for the kipsec link type, so that stock `ip` can
 * create and show kipsec links with their attributes:
 *
 *	ip link add ipsec0 type kipsec [if_id N] [underlay DEV]
 *	ip -d link show ipsec0	->  ... kipsec if_id N underlay_ifindex M
 *
 * ip loads $IP_LIB_DIR/link_<kind>.so (Debian: /usr/lib/x86_64-linux-gnu/ip)
 * and looks up <kind>_link_util in it. iproute2 ships no header for
 * plugins, so the declarations used are repeated here as iproute2 6.1 (the
 * one in Debian 12) has them; the struct's leading members have not
 * changed since plugins exist.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/kipsec.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* from iproute2's json_print.h and color.h */
enum output_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 4 };
#define COLOR_NONE 6

int addattr32(struct nlmsghdr *n, int maxlen, int type, uint32_t data);
int get_u32(uint32_t *val, const char *arg, int base);
unsigned int ll_name_to_index(const char *name);
int print_color_uint(enum output_type t, int color, const char *key,
		     const char *fmt, uint64_t value);

/* the size of ip's request buffer that plugins append to */
#define REQ_MAX 1024

static void kipsec_print_help(struct link_util *lu __attribute__((unused)),
			      int argc __attribute__((unused)),
			      char **argv __attribute__((unused)), FILE *f)
{
	fputs("Usage: ... kipsec [ if_id IF_ID ] [ underlay DEVICE ]\n"
	      "\n"
	      "IF_ID: 1-4294967295; SAs and policies with it belong to the\n"
	      "       link (default: the lowest unused in the namespace)\n"
	      "DEVICE: where outer packets leave (default: route lookup)\n",
	      f);
}

static int kipsec_parse_opt(struct link_util *lu, int argc, char **argv,
			    struct nlmsghdr *n)
{
	uint32_t val;

	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "if_id") && argc > 1) {
			argc--, argv++;
			if (get_u32(&val, *argv, 0) || !val) {
				fprintf(stderr, "kipsec: invalid if_id \"%s\"\n",
					*argv);
				return -1;
			}
			addattr32(n, REQ_MAX, KIPSEC_A_LINK_IF_ID, val);
		} else if (!strcmp(*argv, "underlay") && argc > 1) {
			argc--, argv++;
			val = ll_name_to_index(*argv);
			if (!val) {
				fprintf(stderr, "kipsec: no device \"%s\"\n",
					*argv);
				return -1;
			}
			addattr32(n, REQ_MAX, KIPSEC_A_LINK_UNDERLAY_IFINDEX,
				  val);
		} else {
			if (strcmp(*argv, "help"))
				fprintf(stderr, "kipsec: unknown option \"%s\"\n",
					*argv);
			kipsec_print_help(lu, 0, NULL, stderr);
			return -1;
		}
	}
	return 0;
}

static void kipsec_print_u32(struct rtattr *attr, const char *key,
			     const char *fmt)
{
	if (attr && RTA_PAYLOAD(attr) == sizeof(uint32_t))
		print_color_uint(PRINT_ANY, COLOR_NONE, key, fmt,
				 *(uint32_t *)RTA_DATA(attr));
}

/* ip prints through its own output context (text or JSON), not to f */
static void kipsec_print_opt(struct link_util *lu __attribute__((unused)),
			     FILE *f __attribute__((unused)),
			     struct rtattr *tb[])
{
	if (!tb)
		return;
	kipsec_print_u32(tb[KIPSEC_A_LINK_IF_ID], "if_id", "if_id %u ");
	kipsec_print_u32(tb[KIPSEC_A_LINK_UNDERLAY_IFINDEX],
			 "underlay_ifindex", "underlay_ifindex %u ");
}

struct link_util kipsec_link_util = {
	.id = "kipsec",
	.maxattr = KIPSEC_A_LINK_MAX,
	.parse_opt = kipsec_parse_opt,
	.print_opt = kipsec_print_opt,
	.print_help = kipsec_print_help,
};
