// SPDX-License-Identifier: GPL-2.0
/*
 * Algorithm names and IANA IKEv2 transform IDs, as listed in
 * Documentation/netlink.rst. Only names and IDs live here: key lengths and
 * ICVs are the kernel's to check, so the tool cannot drift from it.
 */
#include <string.h>

#include "kipsec.h"

const struct alg alg_table[] = {
	/* transform type 1, encryption */
	{ "des-cbc",		  2, ALG_ENC, true },
	{ "3des-cbc",		  3, ALG_ENC, true },
	{ "null",		 11, ALG_ENC, false },
	{ "aes-cbc",		 12, ALG_ENC, false },
	{ "aes-ctr",		 13, ALG_ENC, false },
	{ "aes-ccm-8",		 14, ALG_ENC, false },
	{ "aes-ccm-12",		 15, ALG_ENC, false },
	{ "aes-ccm-16",		 16, ALG_ENC, false },
	{ "aes-gcm-8",		 18, ALG_ENC, false },
	{ "aes-gcm-12",		 19, ALG_ENC, false },
	{ "aes-gcm-16",		 20, ALG_ENC, false },
	{ "aes-gmac",		 21, ALG_ENC, false },
	{ "chacha20-poly1305",	 28, ALG_ENC, false },
	/* transform type 3, integrity */
	{ "hmac-md5-96",	  1, ALG_AUTH, true },
	{ "hmac-sha1-96",	  2, ALG_AUTH, false },
	{ "aes-xcbc-96",	  5, ALG_AUTH, false },
	{ "aes-cmac-96",	  8, ALG_AUTH, false },
	{ "hmac-sha2-256-128",	 12, ALG_AUTH, false },
	{ "hmac-sha2-384-192",	 13, ALG_AUTH, false },
	{ "hmac-sha2-512-256",	 14, ALG_AUTH, false },
};
const size_t alg_count = ARRAY_SIZE(alg_table);

const struct alg *alg_by_name(enum alg_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < alg_count; i++)
		if (alg_table[i].kind == kind &&
		    !strcmp(alg_table[i].name, name))
			return &alg_table[i];
	return NULL;
}

const struct alg *alg_by_id(enum alg_kind kind, uint16_t id)
{
	size_t i;

	for (i = 0; i < alg_count; i++)
		if (alg_table[i].kind == kind && alg_table[i].id == id)
			return &alg_table[i];
	return NULL;
}

/*
 * A name from the table or any 16-bit number: an ID kipsec does not know
 * yet is for the kernel to refuse (EOPNOTSUPP), not for the tool.
 */
int parse_alg(enum alg_kind kind, const char *s, uint16_t *id)
{
	const struct alg *alg = alg_by_name(kind, s);

	if (alg) {
		*id = alg->id;
		return 0;
	}
	return parse_u16(s, id);
}
