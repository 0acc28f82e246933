// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec(8): global options, the network namespace switch, and dispatch
 * to the objects (sa, policy, limits, stats, link, monitor).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipsec.h"

static const struct object *const objects[] = {
	&sa_object, &policy_object, &limits_object, &stats_object,
	&encap_object, &link_object, &monitor_object, &ike_object, &up_object,
	&down_object, &rekey_object, &status_object, &reload_object,
};

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: kipsec [OPTIONS] OBJECT { COMMAND | help }\n"
	      "       kipsec help | -h\n"
	      "OBJECT := { sa | policy | limits | stats | encap | link | monitor |\n"
	      "            ike | up | down | rekey | status | reload }\n"
	      "       kipsec [OPTIONS] -b[atch] FILE\n"
	      "OPTIONS := { -j[son] | -s[tats] | -n[etns] NETNS | -C|--control SOCKET |\n"
	      "             -h[elp] }\n"
	      "  -j and -s may also follow the command; -n must come first.\n"
	      "  -batch runs one command per line of FILE (- for stdin) and\n"
	      "  stops at the first that fails.\n\n",
	      f);
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		objects[i]->usage(f);
		fputc('\n', f);
	}
	fputs("Numbers are decimal or 0x-prefixed hex. See kipsec(8).\n", f);
}

static __attribute__((noreturn)) void global_usage_die(const char *what,
						       const char *word)
{
	fprintf(stderr, "kipsec: %s \"%s\"\nTry 'kipsec help'.\n", what, word);
	exit(EXIT_USAGE);
}

/* -j, -s, or both run together ("-js"); false if w is not one of them. */
static bool flag_option(const char *w, struct opts *o)
{
	const char *c;

	if (!strcmp(w, "--json") || !strcmp(w, "-json")) {
		o->json = true;
		return true;
	}
	if (!strcmp(w, "--stats") || !strcmp(w, "-stats")) {
		o->stats = true;
		return true;
	}
	if (w[0] != '-' || !w[1])
		return false;
	for (c = w + 1; *c; c++)
		if (*c != 'j' && *c != 's')
			return false;
	for (c = w + 1; *c; c++) {
		if (*c == 'j')
			o->json = true;
		else
			o->stats = true;
	}
	return true;
}

/*
 * Options before the object, then the rest of the words minus -j/-s, which
 * `ip` users also write after the command ("kipsec monitor -j"). No value
 * starts with '-', so removing them is unambiguous.
 */
static int parse_options(int argc, char **argv, struct opts *o)
{
	int i = 1, out;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *w = argv[i];

		if (flag_option(w, o))
			continue;
		if (!strcmp(w, "-h") || !strcmp(w, "--help") ||
		    !strcmp(w, "-help")) {
			usage(stdout);
			exit(EXIT_OK);
		}
		if (!strcmp(w, "-n") || !strcmp(w, "--netns") ||
		    !strcmp(w, "-netns")) {
			if (++i == argc)
				global_usage_die("missing value after", w);
			o->netns = argv[i];
			continue;
		}
		if (!strcmp(w, "-C") || !strcmp(w, "--control")) {
			if (++i == argc)
				global_usage_die("missing value after", w);
			o->control = argv[i];
			continue;
		}
		if (!strcmp(w, "-b") || !strcmp(w, "--batch") ||
		    !strcmp(w, "-batch")) {
			if (++i == argc)
				global_usage_die("missing value after", w);
			o->batch = argv[i];
			continue;
		}
		global_usage_die("unknown option", w);
	}
	/* the object moves to argv[1] */
	for (out = 1; i < argc; i++)
		if (!flag_option(argv[i], o))
			argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}

/* As "ip -n NAME": a name under /run/netns, or a path to a netns file. */
static int enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errx_kipsec("netns %s: %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		errx_kipsec("netns %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* argv[1] is the object; argv[argc] is NULL. */
static int run_command(int argc, char **argv, const struct opts *o)
{
	struct args a = { .argc = argc, .argv = argv, .i = 1 };
	const char *word = args_next(&a);
	size_t i;

	if (!word || !strcmp(word, "help")) {
		usage(word ? stdout : stderr);
		return word ? EXIT_OK : EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(word, objects[i]->name))
			return object_run(objects[i], &a, o);
	global_usage_die("unknown object", word);
}

#define BATCH_MAX_WORDS 128

/*
 * One line of a batch: -j and -s may stand anywhere on it, as on the
 * command line, and count for that line alone.
 */
static int run_batch_line(int argc, char **argv, const struct opts *o)
{
	struct opts line = *o;
	int i, out = 1;

	for (i = 1; i < argc; i++)
		if (!flag_option(argv[i], &line))
			argv[out++] = argv[i];
	argv[out] = NULL;
	return run_command(out, argv, &line);
}

/* One command per line, words split at blanks; # starts a comment line. */
static int run_batch(const char *path, const struct opts *o)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *argv[BATCH_MAX_WORDS + 2], *line = NULL, *word, *save;
	unsigned long lineno = 0;
	size_t cap = 0;
	int argc, ret = EXIT_OK;

	if (!f) {
		errx_kipsec("batch %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	while (ret == EXIT_OK && getline(&line, &cap, f) >= 0) {
		lineno++;
		argc = 1;
		argv[0] = "kipsec";
		for (word = strtok_r(line, " \t\r\n", &save);
		     word && argc <= BATCH_MAX_WORDS;
		     word = strtok_r(NULL, " \t\r\n", &save))
			argv[argc++] = word;
		argv[argc] = NULL;
		if (argc == 1 || argv[1][0] == '#')
			continue;
		ret = run_batch_line(argc, argv, o);
		if (ret != EXIT_OK)
			errx_kipsec("batch %s:%lu: command failed", path,
				    lineno);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	argc = parse_options(argc, argv, &o);
	if (o.netns && enter_netns(o.netns))
		return EXIT_FAIL;
	if (o.batch)
		return run_batch(o.batch, &o);
	return run_command(argc, argv, &o);
}
