// SPDX-License-Identifier: GPL-2.0
/*
 * The argument cursor every command parses with, and the one way to fail
 * on a bad word: name the command and the word, point at the help, exit 2.
 * Commands parse all their words before opening a socket, so exiting from
 * here never leaves anything half done.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kipsec.h"

const char *args_peek(const struct args *a)
{
	return a->i < a->argc ? a->argv[a->i] : NULL;
}

const char *args_next(struct args *a)
{
	return a->i < a->argc ? a->argv[a->i++] : NULL;
}

bool args_done(const struct args *a)
{
	return a->i >= a->argc;
}

void usage_die(const struct args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kipsec: %s: ", a->command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'kipsec %s help'.\n", a->object);
	exit(EXIT_USAGE);
}

void unknown_keyword(const struct args *a, const char *word)
{
	usage_die(a, "unknown keyword \"%s\"", word);
}

/* The word after keyword kw, which must exist. */
const char *arg_value(struct args *a, const char *kw)
{
	const char *v = args_next(a);

	if (!v)
		usage_die(a, "missing value after \"%s\"", kw);
	return v;
}

static __attribute__((noreturn))
void bad_value(const struct args *a, const char *kw, const char *v)
{
	usage_die(a, "invalid value \"%s\" for \"%s\"", v, kw);
}

uint64_t arg_u64(struct args *a, const char *kw)
{
	const char *v = arg_value(a, kw);
	uint64_t n;

	if (parse_u64(v, UINT64_MAX, &n))
		bad_value(a, kw, v);
	return n;
}

uint32_t arg_u32(struct args *a, const char *kw)
{
	const char *v = arg_value(a, kw);
	uint32_t n;

	if (parse_u32(v, &n))
		bad_value(a, kw, v);
	return n;
}

uint16_t arg_u16(struct args *a, const char *kw)
{
	const char *v = arg_value(a, kw);
	uint16_t n;

	if (parse_u16(v, &n))
		bad_value(a, kw, v);
	return n;
}

uint8_t arg_u8(struct args *a, const char *kw)
{
	const char *v = arg_value(a, kw);
	uint8_t n;

	if (parse_u8(v, &n))
		bad_value(a, kw, v);
	return n;
}

void arg_addr(struct args *a, const char *kw, struct addr *out)
{
	const char *v = arg_value(a, kw);

	if (parse_addr(v, out))
		bad_value(a, kw, v);
}

void arg_prefix(struct args *a, const char *kw, struct addr *out)
{
	const char *v = arg_value(a, kw);

	if (parse_prefix(v, out))
		bad_value(a, kw, v);
}

/* A name from tbl, or (if max is non-zero) a number up to max. */
unsigned int arg_enum(struct args *a, const char *kw,
		      const struct name_val *tbl, size_t n, unsigned int max)
{
	const char *v = arg_value(a, kw);
	unsigned int val;

	if (parse_enum(tbl, n, v, max, &val))
		bad_value(a, kw, v);
	return val;
}

void warnx_kipsec(const char *fmt, ...)
{
	va_list ap;

	fputs("kipsec: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void errx_kipsec(const char *fmt, ...)
{
	va_list ap;

	fputs("kipsec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* UTC, so output does not depend on the reader's TZ; "-" for never. */
const char *format_time(uint64_t secs, char *buf, size_t size)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (!secs || !gmtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "-");
	return buf;
}

/*
 * "kipsec OBJECT [COMMAND ...]": the object alone runs its default command,
 * "help" prints its usage, anything else must be one of its commands. A
 * command named "" is the object itself ("kipsec monitor").
 */
int object_run(const struct object *obj, struct args *a, const struct opts *o)
{
	static char command[64];
	const char *word = args_next(a);
	size_t i;

	a->object = obj->name;
	a->command = obj->name;
	if (word && obj->ncmds == 1 && !*obj->cmds[0].name &&
	    strcmp(word, "help") && strcmp(word, "-h") &&
	    strcmp(word, "--help")) {
		/* the object is its command ("up NAME"): the word is its */
		a->i--;
		return obj->cmds[0].run(a, o);
	}
	if (!word)
		word = obj->dflt;
	if (!strcmp(word, "help") || !strcmp(word, "-h") ||
	    !strcmp(word, "--help")) {
		obj->usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < obj->ncmds; i++) {
		if (strcmp(word, obj->cmds[i].name))
			continue;
		if (*word) {
			snprintf(command, sizeof(command), "%s %s",
				 obj->name, word);
			a->command = command;
		}
		return obj->cmds[i].run(a, o);
	}
	usage_die(a, "unknown command \"%s\"", word);
}
