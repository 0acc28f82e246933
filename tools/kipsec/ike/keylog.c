// SPDX-License-Identifier: GPL-2.0
/*
 * Wireshark key files (see keylog.h). A UAT file is one record a line,
 * fields separated by commas; a string field is double-quoted and an
 * enum field is stored as its name, which must be spelt exactly as
 * Wireshark's value_string has it, case included, or the line is refused
 * with "invalid value". The names below are Wireshark 4.0's:
 *
 * ikev2_decryption_table (epan/dissectors/packet-isakmp.c, ikev2_uat_flds):
 *	SPIi, SPIr, SK_ei, SK_er, "encryption", SK_ai, SK_ar, "integrity"
 * SPIs and keys are byte fields, written as plain hex; the names come
 * from vs_ikev2_encr_algs and vs_ikev2_auth_algs. Wireshark refuses a key
 * whose length is not the one its algorithm wants (ikev2_uat_data_update_cb),
 * and an AEAD must be paired with integrity "NONE [RFC4306]".
 *
 * ikev1_decryption_table (packet-isakmp.c, ikev1_uat_flds):
 *	initiator's cookie, encryption key
 * Both byte fields, plain hex. ikev1_uat_data_update_cb wants the cookie
 * 8 bytes and a key; the length the cipher needs is checked only when
 * decrypting (prepare_decrypt_params, and libgcrypt's setkey in
 * decrypt_payload), where a wrong one decrypts nothing without a word.
 *
 * esp_sa (epan/dissectors/packet-ipsec.c, esp_uat_flds):
 *	"IPv4|IPv6", "src", "dst", "SPI", "encryption", "key",
 *	"authentication", "key"
 * All are strings. SPI is parsed with strtoul(, 0), so "0x%08x"; a key is
 * hex only with a "0x" prefix, text otherwise (compute_ascii_key), and
 * "0x" alone is no key. The names come from esp_encryption_type_vals and
 * esp_authentication_type_vals; AES-GCM must have authentication "NULL".
 * Wireshark sizes AES from the key's length less the 4-byte salt or
 * nonce of AES-CTR and AES-GCM, so one name serves every key size.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "keylog.h"

/* Two 8-byte SPIs, four keys in hex, two names: well under this. */
#define LINE_MAX_LEN	1024

/*
 * One algorithm and its Wireshark name. bits is the Key Length attribute
 * the name is for, 0 for any. An AEAD names the integrity to write with
 * it, since Wireshark has its own rule for that. nokey: Wireshark wants
 * no key with this name (it checks lengths in the IKEv2 table) although
 * we have one.
 */
struct ws_alg {
	uint16_t id;
	uint16_t bits;
	const char *name;
	const char *aead_integ;
	bool nokey;
};

/*
 * Wireshark 4.0 has no ChaCha20-Poly1305 for IKEv2. "NULL" with 16 bytes
 * of unchecked ICV is the nearest it accepts: it shows the ciphertext as
 * it is (its last byte taken for a Pad Length, most often "too big"),
 * the tag split off right. NULL takes no key, so the line has none.
 */
#define IKE_ANY_128	"ANY 128-bits of Authentication [No Checking]"
#define IKE_NO_INTEG	"NONE [RFC4306]"

static const struct ws_alg ws_ike_encr[] = {
	{ IKE_ENCR_3DES, 0, "3DES [RFC2451]", NULL, false },
	{ IKE_ENCR_AES_CBC, 128, "AES-CBC-128 [RFC3602]", NULL, false },
	{ IKE_ENCR_AES_CBC, 192, "AES-CBC-192 [RFC3602]", NULL, false },
	{ IKE_ENCR_AES_CBC, 256, "AES-CBC-256 [RFC3602]", NULL, false },
	{ IKE_ENCR_AES_CTR, 128, "AES-CTR-128 [RFC5930]", NULL, false },
	{ IKE_ENCR_AES_CTR, 192, "AES-CTR-192 [RFC5930]", NULL, false },
	{ IKE_ENCR_AES_CTR, 256, "AES-CTR-256 [RFC5930]", NULL, false },
	{ IKE_ENCR_AES_GCM_8, 128, "AES-GCM-128 with 8 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_8, 192, "AES-GCM-192 with 8 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_8, 256, "AES-GCM-256 with 8 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_12, 128, "AES-GCM-128 with 12 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_12, 192, "AES-GCM-192 with 12 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_12, 256, "AES-GCM-256 with 12 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_16, 128, "AES-GCM-128 with 16 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_16, 192, "AES-GCM-192 with 16 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_AES_GCM_16, 256, "AES-GCM-256 with 16 octet ICV [RFC5282]",
	  IKE_NO_INTEG, false },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, "NULL [RFC2410]", IKE_ANY_128, true },
};

/*
 * Wireshark 4.0 has no AES-XCBC or AES-CMAC for IKEv2: "ANY 96-bits"
 * still decrypts, leaving the 12-byte ICV unchecked. It takes no key.
 */
#define IKE_ANY_96	"ANY 96-bits of Authentication [No Checking]"

static const struct ws_alg ws_ike_integ[] = {
	{ IKE_INTEG_HMAC_SHA1_96, 0, "HMAC_SHA1_96 [RFC2404]", NULL, false },
	{ IKE_INTEG_HMAC_SHA2_256_128, 0, "HMAC_SHA2_256_128 [RFC4868]",
	  NULL, false },
	{ IKE_INTEG_HMAC_SHA2_384_192, 0, "HMAC_SHA2_384_192 [RFC4868]",
	  NULL, false },
	{ IKE_INTEG_HMAC_SHA2_512_256, 0, "HMAC_SHA2_512_256 [RFC4868]",
	  NULL, false },
	{ IKE_INTEG_AES_XCBC_96, 0, IKE_ANY_96, NULL, true },
	{ IKE_INTEG_AES_CMAC_96, 0, IKE_ANY_96, NULL, true },
};

/*
 * Wireshark 4.0 has no ChaCha20-Poly1305 for ESP either: "NULL" with an
 * unchecked 16-byte ICV shows the ciphertext as it is, the tag split off.
 * ESP does not check key lengths, so the key stays in the line for a
 * reader (later Wireshark releases have a name for it).
 */
static const struct ws_alg ws_esp_encr[] = {
	{ IKE_ENCR_3DES, 0, "TripleDES-CBC [RFC2451]", NULL, false },
	{ IKE_ENCR_AES_CBC, 0, "AES-CBC [RFC3602]", NULL, false },
	{ IKE_ENCR_AES_CTR, 0, "AES-CTR [RFC3686]", NULL, false },
	{ IKE_ENCR_AES_GCM_8, 0, "AES-GCM with 8 octet ICV [RFC4106]",
	  "NULL", false },
	{ IKE_ENCR_AES_GCM_12, 0, "AES-GCM with 12 octet ICV [RFC4106]",
	  "NULL", false },
	{ IKE_ENCR_AES_GCM_16, 0, "AES-GCM with 16 octet ICV [RFC4106]",
	  "NULL", false },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, "NULL",
	  "ANY 128 bit authentication [no checking]", false },
};

/* No AES-XCBC or AES-CMAC for ESP in 4.0: decrypt, ICV unchecked. */
#define ESP_ANY_96	"ANY 96 bit authentication [no checking]"

static const struct ws_alg ws_esp_integ[] = {
	{ IKE_INTEG_HMAC_SHA1_96, 0, "HMAC-SHA-1-96 [RFC2404]", NULL, false },
	{ IKE_INTEG_HMAC_SHA2_256_128, 0, "HMAC-SHA-256-128 [RFC4868]",
	  NULL, false },
	{ IKE_INTEG_HMAC_SHA2_384_192, 0, "HMAC-SHA-384-192 [RFC4868]",
	  NULL, false },
	{ IKE_INTEG_HMAC_SHA2_512_256, 0, "HMAC-SHA-512-256 [RFC4868]",
	  NULL, false },
	{ IKE_INTEG_AES_XCBC_96, 0, ESP_ANY_96, NULL, false },
	{ IKE_INTEG_AES_CMAC_96, 0, ESP_ANY_96, NULL, false },
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static const struct ws_alg *find(const struct ws_alg *t, size_t n,
				 uint16_t id, uint16_t bits)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id && (!t[i].bits || t[i].bits == bits))
			return &t[i];
	return NULL;
}

/* One UAT's names. */
struct ws_table {
	const struct ws_alg *encr, *integ;
	size_t n_encr, n_integ;
};

static const struct ws_table ws_ike = {
	ws_ike_encr, ws_ike_integ, N(ws_ike_encr), N(ws_ike_integ)
};

static const struct ws_table ws_esp = {
	ws_esp_encr, ws_esp_integ, N(ws_esp_encr), N(ws_esp_integ)
};

/*
 * The names of one SA's pair: an AEAD brings its own integrity and takes
 * no integrity transform; anything else needs one we know.
 */
static int names(const struct ws_table *t, uint16_t encr_id, uint16_t bits,
		 uint16_t integ_id, const struct ws_alg **encr,
		 const struct ws_alg **integ)
{
	*encr = find(t->encr, t->n_encr, encr_id, bits);
	*integ = NULL;
	if (!*encr)
		return -EINVAL;
	if ((*encr)->aead_integ)
		return integ_id == IKE_INTEG_NONE ? 0 : -EINVAL;
	*integ = find(t->integ, t->n_integ, integ_id, 0);
	return *integ ? 0 : -EINVAL;
}

/* Lower-case hex of len bytes at out, which has room for 2 * len + 1. */
static char *hex(char *out, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
	return out;
}

/*
 * Append line with one write(): O_APPEND keeps lines whole even if two
 * writers share the file. O_NOFOLLOW because the daemon runs as root and
 * the directory is the user's choice: a symbolic link planted there must
 * not lead our keys into some other file.
 */
static int append_line(const char *dir, const char *file, const char *line,
		       size_t len)
{
	char path[PATH_MAX];
	ssize_t w;
	int fd, n, err = 0;

	if (!dir)
		return -EINVAL;
	n = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -errno;
	w = write(fd, line, len);
	if (w < 0)
		err = -errno;
	else if ((size_t)w != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* snprintf's result into a line buffer, then the line to its file. */
static int emit(const char *dir, const char *file, char *line, int n)
{
	int err;

	if (n < 0 || n >= LINE_MAX_LEN)
		err = -EINVAL;
	else
		err = append_line(dir, file, line, (size_t)n);
	explicit_bzero(line, LINE_MAX_LEN);
	return err;
}

int ike_keylog_ike(const char *dir, const uint8_t spi_i[IKE_SPI_LEN],
		   const uint8_t spi_r[IKE_SPI_LEN],
		   const struct ike_sa_keys *k, uint16_t encr_id,
		   uint16_t encr_keybits, uint16_t integ_id)
{
	char si[2 * IKE_SPI_LEN + 1], sr[2 * IKE_SPI_LEN + 1];
	char ei[2 * IKE_ENCR_KEY_MAX + 1], er[2 * IKE_ENCR_KEY_MAX + 1];
	char ai[2 * IKE_INTEG_KEY_MAX + 1], ar[2 * IKE_INTEG_KEY_MAX + 1];
	const struct ws_alg *encr, *integ;
	size_t elen, alen;
	char line[LINE_MAX_LEN];
	int err;

	err = names(&ws_ike, encr_id, encr_keybits, integ_id, &encr, &integ);
	if (err)
		return err;
	elen = encr->nokey ? 0 : k->encr_len;
	alen = !integ || integ->nokey ? 0 : k->integ_len;
	if (elen > IKE_ENCR_KEY_MAX || alen > IKE_INTEG_KEY_MAX)
		return -EINVAL;
	err = emit(dir, IKE_KEYLOG_IKE_FILE, line,
		   snprintf(line, sizeof(line),
			    "%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"\n",
			    hex(si, spi_i, IKE_SPI_LEN),
			    hex(sr, spi_r, IKE_SPI_LEN),
			    hex(ei, k->sk_ei, elen), hex(er, k->sk_er, elen),
			    encr->name, hex(ai, k->sk_ai, alen),
			    hex(ar, k->sk_ar, alen),
			    integ ? integ->name : encr->aead_integ));
	explicit_bzero(ei, sizeof(ei));
	explicit_bzero(er, sizeof(er));
	explicit_bzero(ai, sizeof(ai));
	explicit_bzero(ar, sizeof(ar));
	return err;
}

/* The key lengths of the Phase 1 ciphers: AES-128, 3DES or AES-192, AES-256. */
static bool ike1_key_len_ok(size_t len)
{
	return len == 16 || len == 24 || len == 32;
}

int ike_keylog_ike1(const char *dir, const uint8_t cky_i[IKE_SPI_LEN],
		    const uint8_t *key, size_t key_len)
{
	char ck[2 * IKE_SPI_LEN + 1], ek[2 * IKE_ENCR_KEY_MAX + 1];
	char line[LINE_MAX_LEN];
	int err;

	if (!cky_i || !key || !ike1_key_len_ok(key_len))
		return -EINVAL;
	err = emit(dir, IKE_KEYLOG_IKE1_FILE, line,
		   snprintf(line, sizeof(line), "%s,%s\n",
			    hex(ck, cky_i, IKE_SPI_LEN),
			    hex(ek, key, key_len)));
	explicit_bzero(ek, sizeof(ek));
	return err;
}

int ike_keylog_esp(const char *dir, int family, const uint8_t *src,
		   const uint8_t *dst, uint32_t spi, uint16_t encr_id,
		   uint16_t encr_keybits, const uint8_t *ekey,
		   size_t ekey_len, uint16_t integ_id, const uint8_t *akey,
		   size_t akey_len)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	char ek[2 * IKE_ENCR_KEY_MAX + 1], ak[2 * IKE_INTEG_KEY_MAX + 1];
	const struct ws_alg *encr, *integ;
	char line[LINE_MAX_LEN];
	int err;

	err = names(&ws_esp, encr_id, encr_keybits, integ_id, &encr, &integ);
	if (err)
		return err;
	if ((family != AF_INET && family != AF_INET6) ||
	    !inet_ntop(family, src, s, sizeof(s)) ||
	    !inet_ntop(family, dst, d, sizeof(d)) ||
	    ekey_len > IKE_ENCR_KEY_MAX || akey_len > IKE_INTEG_KEY_MAX ||
	    (ekey_len && !ekey) || (akey_len && !akey))
		return -EINVAL;
	err = emit(dir, IKE_KEYLOG_ESP_FILE, line,
		   snprintf(line, sizeof(line),
			    "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"0x%s\","
			    "\"%s\",\"0x%s\"\n",
			    family == AF_INET ? "IPv4" : "IPv6", s, d, spi,
			    encr->name, hex(ek, ekey, ekey_len),
			    integ ? integ->name : encr->aead_integ,
			    hex(ak, akey, akey_len)));
	explicit_bzero(ek, sizeof(ek));
	explicit_bzero(ak, sizeof(ak));
	return err;
}
