// SPDX-License-Identifier: GPL-2.0
/*
 * A streaming JSON writer: just enough for -j. It tracks, per nesting
 * level, whether a comma is due, so callers emit members in any order
 * without bookkeeping. Output is compact (one line per document), which is
 * what jq and `monitor -j` line readers want.
 */
#include <inttypes.h>

#include "kipsec.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
}

/* RFC 8259 section 7: quote, backslash and control characters. */
void json_write_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* The comma and "key": that precede every value. */
static void json_member(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		json_write_string(j->f, key);
		fputc(':', j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_member(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	if (!j->depth) {
		fputc('\n', j->f);	/* a finished document ends its line */
		j->need_comma[0] = false;	/* and the next is not a member */
	}
}

void json_open_obj(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_close_obj(struct json *j)
{
	json_close(j, '}');
}

void json_open_arr(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_close_arr(struct json *j)
{
	json_close(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	json_member(j, key);
	json_write_string(j->f, val);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	json_member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}
