// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ike/keylog.c. A well-formed line is not enough: the
 * names must be Wireshark's and the keys where it looks for them. So the
 * tests write key files with keylog.c into a fresh Wireshark configuration
 * directory, build a capture whose packets were encrypted with those keys,
 * and have the real tshark (Debian's, 4.0) decrypt it:
 *
 * - ESP: an ICMP echo in tunnel mode, encrypted here with OpenSSL as RFC
 *   4303, 3602, 3686, 4106 and 7634 say, one SA per algorithm pair. tshark
 *   must find the echo's sequence number inside and, with authentication
 *   checking on, call the ICV good (HMAC and AES-GCM).
 * - IKEv2: an INFORMATIONAL request and its response, each an SK payload
 *   holding one Notify, sealed by the daemon's own ike_sk_encrypt() with
 *   SK_ei/SK_ai and SK_er/SK_ar. tshark must read each Notify's type and
 *   raise no "Integrity Checksum Data is incorrect".
 * - IKEv1: a Main Mode with a pre-shared key and a Quick Mode's first
 *   message, keyed and encrypted by ike/v1/keys.c (ike1_sa_keys_derive(),
 *   ike1_ivs_init(), ike1_encrypt()). tshark must read the identities and
 *   hashes of messages 5 and 6 and of Quick Mode, and none of it before
 *   the key file is written.
 *
 * What Wireshark 4.0 cannot decrypt (ChaCha20-Poly1305) must load without
 * an error and stay undecrypted. Without tshark these tests fail: they are
 * the only proof that the files are right.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ike/crypto.h"
#include "ike/keylog.h"
#include "ike/v1/keys.h"

#define PKT_MAX		2048
#define IPV4_HDR	20
#define IPV6_HDR	40
#define UDP_HDR		8
#define ESP_HDR		8	/* SPI, sequence number */
#define ICMP_ID		0x4b49
#define NOTIFY_BASE	40960	/* private use status types: ours to pick */

static const uint8_t addr4_a[4] = { 192, 0, 2, 1 };	/* RFC 5737 */
static const uint8_t addr4_b[4] = { 192, 0, 2, 2 };
static const uint8_t addr6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t addr6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* ---- the temporary Wireshark configuration directory ---- */

struct tdir {
	char path[64];
};

static int dir_setup(void **state)
{
	struct tdir *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	strcpy(t->path, "/tmp/kipsec-keylog.XXXXXX");
	if (!mkdtemp(t->path)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int dir_teardown(void **state)
{
	struct tdir *t = *state;
	struct dirent *e;
	DIR *d = opendir(t->path);

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(t->path);
	free(t);
	return 0;
}

static void path_of(const struct tdir *t, const char *name, char *buf,
		    size_t size)
{
	assert_true((size_t)snprintf(buf, size, "%s/%s", t->path, name) < size);
}

/* The whole of a small file, NUL-terminated. */
static size_t slurp(const struct tdir *t, const char *name, char *buf,
		    size_t size)
{
	char path[128];
	size_t n;
	FILE *f;

	path_of(t, name, path, sizeof(path));
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/* Recognisable key bytes, different for every seed. */
static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 31 + i * 7 + 1);
}

/* ---- packets ---- */

static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* An IPv4 header before len bytes of payload already at p + IPV4_HDR. */
static size_t ipv4(uint8_t *p, const uint8_t *src, const uint8_t *dst,
		   uint8_t proto, size_t len)
{
	memset(p, 0, IPV4_HDR);
	p[0] = 0x45;
	put16(p + 2, (uint16_t)(IPV4_HDR + len));
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put16(p + 10, csum(p, IPV4_HDR));
	return IPV4_HDR + len;
}

static size_t ipv6(uint8_t *p, const uint8_t *src, const uint8_t *dst,
		   uint8_t proto, size_t len)
{
	memset(p, 0, IPV6_HDR);
	p[0] = 0x60;
	put16(p + 4, (uint16_t)len);
	p[6] = proto;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return IPV6_HDR + len;
}

/* The inner packet: 10.0.0.1 pings 10.0.0.2 with sequence number seq. */
static size_t icmp_echo(uint8_t *p, uint16_t seq)
{
	static const uint8_t in_a[4] = { 10, 0, 0, 1 };
	static const uint8_t in_b[4] = { 10, 0, 0, 2 };
	static const char data[] = "kipsec keylog test";
	uint8_t *icmp = p + IPV4_HDR;
	size_t len = 8 + sizeof(data);

	memset(icmp, 0, 8);
	icmp[0] = 8;	/* echo request */
	put16(icmp + 4, ICMP_ID);
	put16(icmp + 6, seq);
	memcpy(icmp + 8, data, sizeof(data));
	put16(icmp + 2, csum(icmp, len));
	return ipv4(p, in_a, in_b, 1 /* ICMP */, len);
}

/* A classic pcap file of raw IP packets (LINKTYPE_RAW). */
struct pcap {
	FILE *f;
	uint32_t n;
};

static void pcap_open(struct pcap *pc, const struct tdir *t)
{
	const uint32_t hdr[6] = { 0xa1b2c3d4, 2 | 4 << 16, 0, 0, 65535, 101 };
	char path[128];

	path_of(t, "cap.pcap", path, sizeof(path));
	pc->f = fopen(path, "w");
	assert_non_null(pc->f);
	pc->n = 0;
	assert_int_equal(fwrite(hdr, sizeof(hdr), 1, pc->f), 1);
}

static void pcap_add(struct pcap *pc, const uint8_t *p, size_t len)
{
	/* one frame a second, so that they are told apart at a glance */
	const uint32_t rec[4] = { 1000 + pc->n, 0, (uint32_t)len,
				  (uint32_t)len };

	pc->n++;
	assert_int_equal(fwrite(rec, sizeof(rec), 1, pc->f), 1);
	assert_int_equal(fwrite(p, len, 1, pc->f), 1);
}

static void pcap_close(struct pcap *pc)
{
	assert_int_equal(fclose(pc->f), 0);
}

/* ---- tshark ---- */

/* Fail, not skip: without tshark nothing here would be proven. */
static void require_tshark(void)
{
	char *path = getenv("PATH"), *copy, *dir, *save = NULL;
	char file[4096];
	bool found = false;

	copy = strdup(path ? path : "");
	assert_non_null(copy);
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/tshark", dir);
		found = access(file, X_OK) == 0;
	}
	free(copy);
	if (!found)
		fail_msg("tshark is not on PATH: these tests need it to prove "
			 "that Wireshark decrypts with our key files "
			 "(Debian package tshark)");
}

/* What tshark shows of one frame. */
struct shown {
	long icmp_seq;		/* -1: no ICMP inside */
	int icv_good, icv_bad;	/* ESP: 1 or 0 */
	long notify;		/* -1: no Notify read */
	char id_type[16];	/* IKEv1: ID types, comma-separated */
	char fqdn[64];		/* IKEv1: an ID_FQDN */
	bool hash;		/* IKEv1: a HASH payload read */
	char expert[512];
};

#define SHOWN_FIELDS	9

#define FRAMES_MAX	64

/*
 * Run tshark over cap.pcap with the directory as its configuration and
 * fill shown[] by frame number (from 1). Anything on its standard error
 * but the warning about running as root, such as "Error loading table",
 * fails the test: a refused line is a wrong line.
 */
static void run_tshark(const struct tdir *t, struct shown *shown,
		       unsigned int frames)
{
	char cmd[1024], line[2048], err[4096], *p, *f[SHOWN_FIELDS];
	unsigned int i, n = 0;
	FILE *out;

	require_tshark();
	assert_int_equal(setenv("WIRESHARK_CONFIG_DIR", t->path, 1), 0);
	snprintf(cmd, sizeof(cmd),
		 "tshark -n -r %s/cap.pcap "
		 "-o esp.enable_encryption_decode:TRUE "
		 "-o esp.enable_authentication_check:TRUE "
		 "-T fields -E separator=/t -e frame.number -e icmp.seq "
		 "-e esp.icv_good -e esp.icv_bad -e isakmp.notify.msgtype "
		 "-e isakmp.id.type -e isakmp.id.data.fqdn -e isakmp.hash "
		 "-e _ws.expert.message 2>%s/stderr", t->path, t->path);
	out = popen(cmd, "r");
	assert_non_null(out);
	while (fgets(line, sizeof(line), out)) {
		line[strcspn(line, "\n")] = '\0';
		p = line;
		for (i = 0; i < SHOWN_FIELDS; i++)
			f[i] = strsep(&p, "\t");
		assert_non_null(f[SHOWN_FIELDS - 1]);
		i = (unsigned int)strtoul(f[0], NULL, 10);
		assert_true(i >= 1 && i <= frames);
		shown[i].icmp_seq = *f[1] ? strtol(f[1], NULL, 10) : -1;
		shown[i].icv_good = atoi(f[2]);
		shown[i].icv_bad = atoi(f[3]);
		shown[i].notify = *f[4] ? strtol(f[4], NULL, 10) : -1;
		snprintf(shown[i].id_type, sizeof(shown[i].id_type), "%s",
			 f[5]);
		snprintf(shown[i].fqdn, sizeof(shown[i].fqdn), "%s", f[6]);
		shown[i].hash = *f[7] != '\0';
		snprintf(shown[i].expert, sizeof(shown[i].expert), "%s", f[8]);
		n++;
	}
	assert_int_equal(pclose(out), 0);
	assert_int_equal(n, frames);

	slurp(t, "stderr", err, sizeof(err));
	for (p = strtok(err, "\n"); p; p = strtok(NULL, "\n"))
		if (!strstr(p, "Running as user"))
			fail_msg("tshark: %s", p);
}

/* ---- ESP ---- */

enum mode { CBC, CTR, GCM, CHACHA };

/* An ESP cipher as its RFC defines it; key includes the salt or nonce. */
struct cipher {
	char evp[24];		/* OpenSSL's name */
	enum mode mode;
	size_t key, salt, iv, align, icv;
};

static struct cipher cipher_of(uint16_t encr, uint16_t bits)
{
	/* AES-CTR (RFC 3686), AES-GCM (RFC 4106): key | 4-byte salt */
	struct cipher c = { .key = bits / 8 + 4, .salt = 4, .iv = 8,
			    .align = 4 };

	switch (encr) {
	case IKE_ENCR_3DES:		/* RFC 2451 */
		return (struct cipher){ "DES-EDE3-CBC", CBC, 24, 0, 8, 8, 0 };
	case IKE_ENCR_AES_CBC:		/* RFC 3602 */
		c = (struct cipher){ "", CBC, bits / 8, 0, 16, 16, 0 };
		snprintf(c.evp, sizeof(c.evp), "AES-%u-CBC", bits);
		return c;
	case IKE_ENCR_AES_CTR:
		snprintf(c.evp, sizeof(c.evp), "AES-%u-CTR", bits);
		c.mode = CTR;
		return c;
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		snprintf(c.evp, sizeof(c.evp), "AES-%u-GCM", bits);
		c.mode = GCM;
		c.icv = encr == IKE_ENCR_AES_GCM_8 ? 8 :
			encr == IKE_ENCR_AES_GCM_12 ? 12 : 16;
		return c;
	default:			/* RFC 7634: key | 4-byte salt */
		return (struct cipher){ "ChaCha20-Poly1305", CHACHA, 36, 4,
					8, 4, 16 };
	}
}

/* ESP integrity: HMAC (RFC 2404, 4868) or, for XCBC and CMAC, none here. */
struct mac {
	const char *digest;
	size_t key, icv;
};

static struct mac mac_of(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96:
		return (struct mac){ "SHA1", 20, 12 };
	case IKE_INTEG_HMAC_SHA2_256_128:
		return (struct mac){ "SHA256", 32, 16 };
	case IKE_INTEG_HMAC_SHA2_384_192:
		return (struct mac){ "SHA384", 48, 24 };
	case IKE_INTEG_HMAC_SHA2_512_256:
		return (struct mac){ "SHA512", 64, 32 };
	case IKE_INTEG_AES_XCBC_96:
	case IKE_INTEG_AES_CMAC_96:
		return (struct mac){ NULL, 16, 12 };
	default:
		return (struct mac){ NULL, 0, 0 };
	}
}

struct esp_case {
	int family;
	uint16_t encr, bits, integ;
	bool decrypts;		/* by Wireshark 4.0 */
	bool checks;		/* the ICV, with authentication checking on */
};

/* Every Wireshark name keylog.c writes for ESP, at least once. */
static const struct esp_case esp_cases[] = {
	{ AF_INET, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE, true, true },
	{ AF_INET, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
	  true, true },
	{ AF_INET6, IKE_ENCR_AES_GCM_8, 256, IKE_INTEG_NONE, true, true },
	{ AF_INET6, IKE_ENCR_AES_GCM_12, 192, IKE_INTEG_NONE, true, true },
	{ AF_INET, IKE_ENCR_AES_CTR, 128, IKE_INTEG_HMAC_SHA1_96, true, true },
	{ AF_INET6, IKE_ENCR_AES_CTR, 256, IKE_INTEG_HMAC_SHA2_512_256,
	  true, true },
	{ AF_INET, IKE_ENCR_AES_CBC, 192, IKE_INTEG_HMAC_SHA2_384_192,
	  true, true },
	{ AF_INET, IKE_ENCR_AES_CBC, 256, IKE_INTEG_AES_XCBC_96, true, false },
	{ AF_INET, IKE_ENCR_3DES, 0, IKE_INTEG_AES_CMAC_96, true, false },
	{ AF_INET6, IKE_ENCR_AES_CTR, 192, IKE_INTEG_HMAC_SHA2_256_128,
	  true, true },
	{ AF_INET, IKE_ENCR_CHACHA20_POLY1305, 0, IKE_INTEG_NONE,
	  false, false },
};

#define N_ESP	(sizeof(esp_cases) / sizeof(esp_cases[0]))

static void evp_seal(const struct cipher *c, const uint8_t *key,
		     const uint8_t *iv, const uint8_t *aad, uint8_t *buf,
		     size_t len, uint8_t *tag)
{
	EVP_CIPHER *ciph = EVP_CIPHER_fetch(NULL, c->evp, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n, fin;

	assert_non_null(ciph);
	assert_non_null(ctx);
	assert_true(EVP_EncryptInit_ex2(ctx, ciph, key, iv, NULL));
	assert_true(EVP_CIPHER_CTX_set_padding(ctx, 0));
	if (tag)
		assert_true(EVP_EncryptUpdate(ctx, NULL, &n, aad, ESP_HDR));
	assert_true(EVP_EncryptUpdate(ctx, buf, &n, buf, (int)len));
	assert_true(EVP_EncryptFinal_ex(ctx, buf + n, &fin));
	assert_int_equal((size_t)(n + fin), len);
	if (tag)
		assert_true(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
						(int)c->icv, tag));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(ciph);
}

/*
 * The ESP packet (RFC 4303) of an inner IPv4 packet in tunnel mode at
 * out: SPI | seq | IV | encrypted (inner | padding | pad length | next
 * header) | ICV. Returns its length.
 */
static size_t esp_seal(const struct esp_case *ec, uint32_t spi,
		       const uint8_t *ekey, const uint8_t *akey,
		       const uint8_t *inner, size_t inner_len, uint8_t *out)
{
	struct cipher c = cipher_of(ec->encr, ec->bits);
	struct mac m = mac_of(ec->integ);
	uint8_t *iv = out + ESP_HDR, *ct = iv + c.iv, block[16], pad;
	uint8_t md[EVP_MAX_MD_SIZE];
	const uint8_t *salt = ekey + c.key - c.salt;
	size_t len, i;
	unsigned int mlen;

	put32(out, spi);
	put32(out + 4, 1);
	fill(iv, c.iv, spi);
	pad = (uint8_t)((c.align - (inner_len + 2) % c.align) % c.align);
	memcpy(ct, inner, inner_len);
	for (i = 0; i < pad; i++)
		ct[inner_len + i] = (uint8_t)(i + 1);
	ct[inner_len + pad] = pad;
	ct[inner_len + pad + 1] = 4;	/* IPv4 */
	len = inner_len + pad + 2;

	switch (c.mode) {
	case CBC:
		evp_seal(&c, ekey, iv, NULL, ct, len, NULL);
		break;
	case CTR:	/* counter block: nonce | IV | 1 (RFC 3686 section 4) */
		memcpy(block, salt, 4);
		memcpy(block + 4, iv, 8);
		put32(block + 12, 1);
		evp_seal(&c, ekey, block, NULL, ct, len, NULL);
		break;
	case GCM:	/* nonce: salt | IV, AAD: SPI | seq (RFC 4106) */
	case CHACHA:	/* the same (RFC 7634 section 2) */
		memcpy(block, salt, 4);
		memcpy(block + 4, iv, 8);
		evp_seal(&c, ekey, block, out, ct, len, ct + len);
		return ESP_HDR + c.iv + len + c.icv;
	}
	len += ESP_HDR + c.iv;
	if (m.digest) {
		assert_non_null(HMAC(EVP_get_digestbyname(m.digest), akey,
				     (int)m.key, out, len, md, &mlen));
		memcpy(out + len, md, m.icv);	/* truncated */
	} else {
		/* Wireshark does not check an XCBC or CMAC ICV: any will do */
		memset(out + len, 0, m.icv);
	}
	return len + m.icv;
}

/* Key files and capture for every case; case i's echo has sequence i+1. */
static void esp_build(const struct tdir *t)
{
	uint8_t inner[PKT_MAX], pkt[PKT_MAX], ekey[IKE_ENCR_KEY_MAX];
	uint8_t akey[IKE_INTEG_KEY_MAX];
	struct pcap pc;
	size_t i, len, inner_len;

	pcap_open(&pc, t);
	for (i = 0; i < N_ESP; i++) {
		const struct esp_case *ec = &esp_cases[i];
		struct cipher c = cipher_of(ec->encr, ec->bits);
		struct mac m = mac_of(ec->integ);
		bool v4 = ec->family == AF_INET;
		const uint8_t *src = v4 ? addr4_a : addr6_a;
		const uint8_t *dst = v4 ? addr4_b : addr6_b;
		size_t hdr = v4 ? IPV4_HDR : IPV6_HDR;
		uint32_t spi = 0xc0de0000 + (uint32_t)i;

		fill(ekey, c.key, (unsigned int)(2 * i));
		fill(akey, m.key, (unsigned int)(2 * i + 1));
		assert_int_equal(ike_keylog_esp(t->path, ec->family, src, dst,
						spi, ec->encr, ec->bits, ekey,
						c.key, ec->integ,
						m.key ? akey : NULL, m.key),
				 0);
		inner_len = icmp_echo(inner, (uint16_t)(i + 1));
		len = esp_seal(ec, spi, ekey, akey, inner, inner_len,
			       pkt + hdr);
		len = v4 ? ipv4(pkt, src, dst, 50, len) :
			   ipv6(pkt, src, dst, 50, len);
		pcap_add(&pc, pkt, len);
	}
	pcap_close(&pc);
}

static void test_esp_decrypts(void **state)
{
	struct shown shown[FRAMES_MAX];
	const struct tdir *t = *state;
	size_t i;

	esp_build(t);
	run_tshark(t, shown, N_ESP);
	for (i = 0; i < N_ESP; i++) {
		const struct esp_case *ec = &esp_cases[i];
		const struct shown *s = &shown[i + 1];

		long want = ec->decrypts ? (long)i + 1 : -1;

		if (s->icmp_seq != want || s->icv_good != ec->checks ||
		    s->icv_bad)
			fail_msg("ESP SA %zu (encr %u/%u, integ %u): tshark "
				 "shows echo %ld, ICV good %d bad %d; want "
				 "echo %ld, good %d", i, ec->encr, ec->bits,
				 ec->integ, s->icmp_seq, s->icv_good,
				 s->icv_bad, want, ec->checks);
	}
}

/* ---- IKEv2 ---- */

struct ike_case {
	uint16_t encr, bits, integ;
	bool decrypts;
};

/* Every Wireshark name keylog.c writes for IKEv2, at least once. */
static const struct ike_case ike_cases[] = {
	{ IKE_ENCR_3DES, 0, IKE_INTEG_HMAC_SHA1_96, true },
	{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128, true },
	{ IKE_ENCR_AES_CBC, 192, IKE_INTEG_HMAC_SHA2_384_192, true },
	{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256, true },
	{ IKE_ENCR_AES_CTR, 128, IKE_INTEG_AES_XCBC_96, true },
	{ IKE_ENCR_AES_CTR, 192, IKE_INTEG_AES_CMAC_96, true },
	{ IKE_ENCR_AES_CTR, 256, IKE_INTEG_HMAC_SHA2_256_128, true },
	{ IKE_ENCR_AES_GCM_8, 128, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_8, 192, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_8, 256, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_12, 128, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_12, 192, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_12, 256, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_16, 192, IKE_INTEG_NONE, true },
	{ IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, true },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, IKE_INTEG_NONE, false },
};

#define N_IKE	(sizeof(ike_cases) / sizeof(ike_cases[0]))

/*
 * An INFORMATIONAL message of the IKE SA holding one Notify of the given
 * type, sealed with the keys of its sender: SK_ei/SK_ai for the
 * initiator's request, SK_er/SK_ar for the response. Returns its length.
 */
static size_t ike_seal(const struct ike_case *ic, const struct ike_sa_keys *k,
		       const uint8_t *spi_i, const uint8_t *spi_r,
		       bool response, uint16_t notify, uint8_t *out)
{
	const struct ike_encr_alg *encr = ike_encr_find(ic->encr, ic->bits);
	const struct ike_integ_alg *integ = ike_integ_find(ic->integ);
	uint8_t plain[8] = { 0, 0, 0, 8, 0, 0 };	/* Notify, no SPI */
	struct ike_sk_ctx sk;
	size_t body;
	ssize_t n;

	assert_non_null(encr);
	assert_int_equal(ike_sk_init(&sk, encr, integ,
				     response ? k->sk_er : k->sk_ei,
				     response ? k->sk_ar : k->sk_ai), 0);
	put16(plain + 6, notify);
	body = ike_sk_len(&sk, sizeof(plain));

	memcpy(out, spi_i, IKE_SPI_LEN);
	memcpy(out + 8, spi_r, IKE_SPI_LEN);
	out[16] = IKE_PL_SK;
	out[17] = IKE_VERSION;
	out[18] = IKE_INFORMATIONAL;
	out[19] = response ? IKE_FLAG_RESPONSE : IKE_FLAG_INITIATOR;
	put32(out + 20, 1);	/* message ID */
	put32(out + 24, (uint32_t)(IKE_HDR_LEN + 4 + body));
	out[28] = IKE_PL_NOTIFY;
	out[29] = 0;
	put16(out + 30, (uint16_t)(4 + body));
	n = ike_sk_encrypt(&sk, out, IKE_HDR_LEN + 4, plain, sizeof(plain),
			   out + IKE_HDR_LEN + 4, PKT_MAX / 2);
	ike_sk_clear(&sk);
	assert_int_equal(n, (ssize_t)body);
	return IKE_HDR_LEN + 4 + body;
}

/* The message in UDP from port 500 to 500, over IPv4. */
static size_t ike_packet(uint8_t *pkt, const uint8_t *src, const uint8_t *dst,
			 size_t len)
{
	uint8_t *udp = pkt + IPV4_HDR;

	put16(udp, IKE_PORT);
	put16(udp + 2, IKE_PORT);
	put16(udp + 4, (uint16_t)(UDP_HDR + len));
	put16(udp + 6, 0);	/* no checksum: allowed over IPv4 */
	return ipv4(pkt, src, dst, 17 /* UDP */, UDP_HDR + len);
}

/* SA i: frames 2i+1 (request, Notify 2i) and 2i+2 (response, 2i+1). */
static void ike_build(const struct tdir *t)
{
	uint8_t pkt[PKT_MAX], spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	uint8_t *msg = pkt + IPV4_HDR + UDP_HDR;
	struct ike_sa_keys k;
	struct pcap pc;
	size_t i, len;
	unsigned int dir;

	pcap_open(&pc, t);
	for (i = 0; i < N_IKE; i++) {
		const struct ike_case *ic = &ike_cases[i];
		const struct ike_encr_alg *encr =
			ike_encr_find(ic->encr, ic->bits);
		const struct ike_integ_alg *integ = ike_integ_find(ic->integ);

		assert_non_null(encr);
		memset(&k, 0, sizeof(k));
		k.encr_len = encr->key_len;
		k.integ_len = integ ? integ->key_len : 0;
		fill(k.sk_ei, k.encr_len, (unsigned int)(4 * i));
		fill(k.sk_er, k.encr_len, (unsigned int)(4 * i + 1));
		fill(k.sk_ai, k.integ_len, (unsigned int)(4 * i + 2));
		fill(k.sk_ar, k.integ_len, (unsigned int)(4 * i + 3));
		fill(spi_i, IKE_SPI_LEN, (unsigned int)(100 + 2 * i));
		fill(spi_r, IKE_SPI_LEN, (unsigned int)(101 + 2 * i));
		assert_int_equal(ike_keylog_ike(t->path, spi_i, spi_r, &k,
						ic->encr, ic->bits, ic->integ),
				 0);
		for (dir = 0; dir < 2; dir++) {
			len = ike_seal(ic, &k, spi_i, spi_r, dir,
				       (uint16_t)(NOTIFY_BASE + 2 * i + dir),
				       msg);
			len = ike_packet(pkt, dir ? addr4_b : addr4_a,
					 dir ? addr4_a : addr4_b, len);
			pcap_add(&pc, pkt, len);
		}
	}
	pcap_close(&pc);
}

static void test_ike_decrypts(void **state)
{
	struct shown shown[FRAMES_MAX];
	const struct tdir *t = *state;
	size_t f;

	ike_build(t);
	run_tshark(t, shown, 2 * N_IKE);
	for (f = 0; f < 2 * N_IKE; f++) {
		const struct ike_case *ic = &ike_cases[f / 2];
		const struct shown *s = &shown[f + 1];

		long want = ic->decrypts ? (long)(NOTIFY_BASE + f) : -1;

		if (s->notify != want ||
		    strstr(s->expert, "Checksum Data is incorrect"))
			fail_msg("IKE SA %zu (encr %u/%u, integ %u) %s: "
				 "tshark shows Notify %ld, expert info \"%s\"; "
				 "want Notify %ld", f / 2, ic->encr, ic->bits,
				 ic->integ, f % 2 ? "response" : "request",
				 s->notify, s->expert, want);
	}
}

/* ---- IKEv1 ---- */

/*
 * ISAKMP's numbers (RFC 2408 section 3, RFC 2407 section 4). ike/v1/msg.h
 * has them, and an encoder, but it cannot share a file with
 * ike/v1/keys.h (both define the hash and cipher enums), and the keys are
 * what this test is about: the messages are built by hand.
 */
#define V1_HDR		28
#define V1_VERSION	0x10
#define V1_FLAG_E	0x01
#define V1_MAIN		2	/* "Identity Protection" */
#define V1_QUICK	32
#define V1_PL_SA	1
#define V1_PL_KE	4
#define V1_PL_ID	5
#define V1_PL_HASH	8
#define V1_PL_NONCE	10
#define V1_ID_FQDN	2
#define V1_ID_IPV4_SUBNET 4
#define V1_QM_MID	0x1a2b3c4d
#define V1_NONCE_LEN	16
#define V1_KE_MAX	256	/* MODP 2048 */
#define V1_BODY_MAX	128	/* an SA or ID payload's body */
#define V1_FRAMES	7	/* per SA: Main Mode 1 to 6, Quick Mode 1 */

struct ike1_case {
	uint16_t encr, bits, hash, group;
	size_t ke_len;		/* the group's public value */
};

/*
 * Every Phase 1 key length, made both ways appendix B has: cut from
 * SKEYID_e (AES-128 with SHA-1, AES-192 with SHA-256) or expanded beyond
 * it (3DES and AES-256 with SHA-1). Groups 2, 5 and 14.
 */
static const struct ike1_case ike1_cases[] = {
	{ IKE1_ENCR_AES_CBC, 128, IKE1_HASH_SHA1, 14, 256 },
	{ IKE1_ENCR_3DES_CBC, 0, IKE1_HASH_SHA1, 2, 128 },
	{ IKE1_ENCR_AES_CBC, 192, IKE1_HASH_SHA2_256, 14, 256 },
	{ IKE1_ENCR_AES_CBC, 256, IKE1_HASH_SHA1, 5, 192 },
};

#define N_IKE1	(sizeof(ike1_cases) / sizeof(ike1_cases[0]))

/*
 * One ISAKMP SA as both ends know it. g^xy is any bytes: Wireshark never
 * sees it, only the key made from it and the KE payloads it makes the
 * IVs from.
 */
struct v1sa {
	const struct ike1_case *c;
	size_t i;		/* its index in ike1_cases */
	uint8_t cky_i[IKE1_COOKIE_LEN], cky_r[IKE1_COOKIE_LEN];
	uint8_t ni[V1_NONCE_LEN], nr[V1_NONCE_LEN];
	uint8_t gxi[V1_KE_MAX], gxr[V1_KE_MAX], gxy[V1_KE_MAX];
	uint8_t sai[V1_BODY_MAX];	/* SAi_b */
	size_t sai_len;
	struct ike1_sa_keys k;
	struct ike1_ivs ivs;
	struct pcap *pc;
};

/* A message in the making, in its packet: header, then payloads. */
struct v1msg {
	uint8_t pkt[PKT_MAX];
	uint8_t *p;		/* the ISAKMP header */
	size_t len;
	uint32_t mid;
	uint8_t *next;		/* the Next Payload field to fill in */
};

static void v1_start(struct v1msg *m, const struct v1sa *sa, bool cky_r,
		     uint8_t exchange, uint32_t mid)
{
	m->p = m->pkt + IPV4_HDR + UDP_HDR;
	memset(m->p, 0, V1_HDR);
	memcpy(m->p, sa->cky_i, IKE1_COOKIE_LEN);
	if (cky_r)
		memcpy(m->p + IKE1_COOKIE_LEN, sa->cky_r, IKE1_COOKIE_LEN);
	m->p[17] = V1_VERSION;
	m->p[18] = exchange;
	put32(m->p + 20, mid);
	m->len = V1_HDR;
	m->mid = mid;
	m->next = m->p + 16;
}

/* Append a payload (body NULL: zeros); returns where its body went. */
static uint8_t *v1_add(struct v1msg *m, uint8_t type, const uint8_t *body,
		       size_t len)
{
	uint8_t *pl = m->p + m->len;

	assert_true(m->len + 4 + len <= PKT_MAX / 2);
	*m->next = type;
	pl[0] = 0;
	pl[1] = 0;
	put16(pl + 2, (uint16_t)(4 + len));
	if (body)
		memcpy(pl + 4, body, len);
	else
		memset(pl + 4, 0, len);
	m->next = pl;
	m->len += 4 + len;
	return pl + 4;
}

/* Encrypt the payloads with the SA's key, in their exchange's IV chain. */
static void v1_seal(struct v1msg *m, struct v1sa *sa)
{
	ssize_t n = ike1_encrypt(&sa->ivs, sa->k.enc_key, m->mid,
				 m->p + V1_HDR, m->len - V1_HDR,
				 m->p + V1_HDR, PKT_MAX / 2 - V1_HDR);

	assert_true(n > 0);
	m->p[19] |= V1_FLAG_E;
	m->len = V1_HDR + (size_t)n;
}

/* The initiator is 192.0.2.1, as Wireshark learns from message 1. */
static void v1_send(struct v1msg *m, const struct v1sa *sa, bool initiator)
{
	put32(m->p + 24, (uint32_t)m->len);
	pcap_add(sa->pc, m->pkt,
		 ike_packet(m->pkt, initiator ? addr4_a : addr4_b,
			    initiator ? addr4_b : addr4_a, m->len));
}

/*
 * An SA payload's body with one proposal of one transform, its
 * attributes all basic (type, value): Phase 1's (ISAKMP, no SPI) or
 * Quick Mode's (ESP, a 4-byte SPI).
 */
static size_t v1_sa_body(uint8_t *out, uint8_t proto, uint32_t spi,
			 uint8_t transform, const uint16_t (*attr)[2],
			 size_t n_attr)
{
	size_t spi_len = spi ? 4 : 0, tr_len = 8 + 4 * n_attr, i;
	uint8_t *prop = out + 8, *tr = prop + 8 + spi_len;

	put32(out, 1);			/* DOI: IPsec */
	put32(out + 4, 1);		/* situation: identity only */
	memset(prop, 0, 8);
	put16(prop + 2, (uint16_t)(8 + spi_len + tr_len));
	prop[4] = 1;			/* proposal number */
	prop[5] = proto;
	prop[6] = (uint8_t)spi_len;
	prop[7] = 1;			/* transforms */
	if (spi)
		put32(prop + 8, spi);
	memset(tr, 0, 8);
	put16(tr + 2, (uint16_t)tr_len);
	tr[4] = 1;			/* transform number */
	tr[5] = transform;
	for (i = 0; i < n_attr; i++) {
		put16(tr + 8 + 4 * i, (uint16_t)(0x8000 | attr[i][0]));
		put16(tr + 10 + 4 * i, attr[i][1]);
	}
	return 16 + spi_len + tr_len;
}

/* Phase 1: the case's cipher and hash, PSK, its group, 8 hours. */
static size_t v1_p1_sa(uint8_t *out, const struct ike1_case *c)
{
	const uint16_t attr[][2] = {
		{ 1, c->encr }, { 2, c->hash }, { 3, 1 /* PSK */ },
		{ 4, c->group }, { 11, 1 /* seconds */ }, { 12, 28800 },
		{ 14, c->bits },	/* last: AES only */
	};

	return v1_sa_body(out, 1 /* ISAKMP */, 0, 1 /* KEY_IKE */, attr,
			  c->bits ? 7 : 6);
}

/* Quick Mode: ESP AES-CBC-128 with HMAC-SHA-1, tunnel mode, an hour. */
static size_t v1_qm_sa(uint8_t *out)
{
	static const uint16_t attr[][2] = {
		{ 1, 1 /* seconds */ }, { 2, 3600 }, { 4, 1 /* tunnel */ },
		{ 5, 2 /* HMAC-SHA */ }, { 6, 128 },
	};

	return v1_sa_body(out, 3 /* ESP */, 0xc0ffee01, 12 /* AES-CBC */,
			  attr, 5);
}

static size_t v1_id(uint8_t *out, uint8_t type, const void *data, size_t len)
{
	out[0] = type;
	out[1] = 0;		/* protocol and port: any */
	put16(out + 2, 0);
	memcpy(out + 4, data, len);
	return 4 + len;
}

/* Main Mode's identities: one FQDN per end and per SA. */
static void v1_fqdn(char *out, size_t size, size_t i, bool initiator)
{
	snprintf(out, size, "%s%zu.kipsec.test",
		 initiator ? "initiator" : "responder", i);
}

/* Case i's cookies, nonces, KE values, keys and Phase 1 IV. */
static void v1sa_init(struct v1sa *sa, size_t i, struct pcap *pc)
{
	static const char psk[] = "kipsec keylog psk";
	const struct ike1_case *c = &ike1_cases[i];
	const struct ike_prf_alg *prf = ike1_hash_find(c->hash);
	const struct ike_encr_alg *encr = ike1_encr_find(c->encr, c->bits);
	unsigned int seed = (unsigned int)(200 + 8 * i);
	struct ike1_kdf_in in;

	assert_non_null(prf);
	assert_non_null(encr);
	memset(sa, 0, sizeof(*sa));
	sa->c = c;
	sa->i = i;
	sa->pc = pc;
	fill(sa->cky_i, IKE1_COOKIE_LEN, seed);
	fill(sa->cky_r, IKE1_COOKIE_LEN, seed + 1);
	fill(sa->ni, V1_NONCE_LEN, seed + 2);
	fill(sa->nr, V1_NONCE_LEN, seed + 3);
	fill(sa->gxi, c->ke_len, seed + 4);
	fill(sa->gxr, c->ke_len, seed + 5);
	fill(sa->gxy, c->ke_len, seed + 6);
	in = (struct ike1_kdf_in){
		.ni = sa->ni, .nr = sa->nr,
		.ni_len = V1_NONCE_LEN, .nr_len = V1_NONCE_LEN,
		.gxy = sa->gxy, .gxy_len = c->ke_len,
		.cky_i = sa->cky_i, .cky_r = sa->cky_r,
		.psk = (const uint8_t *)psk, .psk_len = sizeof(psk) - 1,
	};
	assert_int_equal(ike1_sa_keys_derive(&sa->k, prf, encr, IKE1_SKEYID_PSK,
					     &in), 0);
	assert_int_equal(ike1_ivs_init(&sa->ivs, prf, encr, sa->gxi,
				       c->ke_len, sa->gxr, c->ke_len), 0);
}

/*
 * Main Mode 1 to 4, in the clear: the SA offered and taken (whence
 * Wireshark's cipher and hash), then KE and nonce each way (whence its
 * Phase 1 IV).
 */
static void v1_main_clear(struct v1sa *sa)
{
	struct v1msg m;
	unsigned int r;

	sa->sai_len = v1_p1_sa(sa->sai, sa->c);
	for (r = 0; r < 2; r++) {
		v1_start(&m, sa, r, V1_MAIN, 0);
		v1_add(&m, V1_PL_SA, sa->sai, sa->sai_len);
		v1_send(&m, sa, !r);
	}
	for (r = 0; r < 2; r++) {
		v1_start(&m, sa, true, V1_MAIN, 0);
		v1_add(&m, V1_PL_KE, r ? sa->gxr : sa->gxi, sa->c->ke_len);
		v1_add(&m, V1_PL_NONCE, r ? sa->nr : sa->ni, V1_NONCE_LEN);
		v1_send(&m, sa, !r);
	}
}

/* Main Mode 5 and 6: IDii | HASH_I, then IDir | HASH_R, encrypted. */
static void v1_main_auth(struct v1sa *sa)
{
	uint8_t id[V1_BODY_MAX], hash[IKE_PRF_OUT_MAX];
	struct ike1_auth_in in = {
		.gxi = sa->gxi, .gxr = sa->gxr,
		.gxi_len = sa->c->ke_len, .gxr_len = sa->c->ke_len,
		.cky_i = sa->cky_i, .cky_r = sa->cky_r,
		.sai_b = sa->sai, .sai_len = sa->sai_len, .id_b = id,
	};
	struct v1msg m;
	char fqdn[64];
	unsigned int r;

	for (r = 0; r < 2; r++) {
		v1_fqdn(fqdn, sizeof(fqdn), sa->i, !r);
		in.id_len = v1_id(id, V1_ID_FQDN, fqdn, strlen(fqdn));
		assert_int_equal(r ? ike1_hash_r(&sa->k, &in, hash) :
				     ike1_hash_i(&sa->k, &in, hash), 0);
		v1_start(&m, sa, true, V1_MAIN, 0);
		v1_add(&m, V1_PL_ID, id, in.id_len);
		v1_add(&m, V1_PL_HASH, hash, sa->k.prf->out_len);
		v1_seal(&m, sa);
		v1_send(&m, sa, !r);
	}
}

/*
 * Quick Mode 1: HASH(1) | SA | Ni | IDci | IDcr, encrypted in its own IV
 * chain, which starts from the last block of Main Mode message 6.
 */
static void v1_quick(struct v1sa *sa)
{
	static const uint8_t net_i[8] = { 10, 1, 0, 0, 255, 255, 255, 0 };
	static const uint8_t net_r[8] = { 10, 2, 0, 0, 255, 255, 255, 0 };
	uint8_t body[V1_BODY_MAX], *hash;
	struct v1msg m;
	size_t after;

	v1_start(&m, sa, true, V1_QUICK, V1_QM_MID);
	hash = v1_add(&m, V1_PL_HASH, NULL, sa->k.prf->out_len);
	after = m.len;
	v1_add(&m, V1_PL_SA, body, v1_qm_sa(body));
	fill(body, V1_NONCE_LEN, (unsigned int)sa->i);
	v1_add(&m, V1_PL_NONCE, body, V1_NONCE_LEN);
	v1_add(&m, V1_PL_ID, body,
	       v1_id(body, V1_ID_IPV4_SUBNET, net_i, sizeof(net_i)));
	v1_add(&m, V1_PL_ID, body,
	       v1_id(body, V1_ID_IPV4_SUBNET, net_r, sizeof(net_r)));
	assert_int_equal(ike1_hash_msg(&sa->k, V1_QM_MID, m.p + after,
				       m.len - after, hash), 0);
	v1_seal(&m, sa);
	v1_send(&m, sa, true);
}

/* SA i: frames 7i+1 to 7i+7. The keys stay in sas[] for the key file. */
static void ike1_build(const struct tdir *t, struct v1sa *sas)
{
	struct pcap pc;
	size_t i;

	pcap_open(&pc, t);
	for (i = 0; i < N_IKE1; i++) {
		v1sa_init(&sas[i], i, &pc);
		v1_main_clear(&sas[i]);
		v1_main_auth(&sas[i]);
		v1_quick(&sas[i]);
	}
	pcap_close(&pc);
}

/* Frame f shows these (the empty strings and no HASH: nothing inside). */
static void v1_expect(const struct shown *s, size_t f, const char *id_type,
		      const char *fqdn, bool hash)
{
	if (strcmp(s->id_type, id_type) || strcmp(s->fqdn, fqdn) ||
	    s->hash != hash || *s->expert)
		fail_msg("IKEv1 frame %zu: tshark shows ID type \"%s\", FQDN "
			 "\"%s\", HASH %d, expert info \"%s\"; want ID type "
			 "\"%s\", FQDN \"%s\", HASH %d", f, s->id_type, s->fqdn,
			 s->hash, s->expert, id_type, fqdn, hash);
}

/* The encrypted frames of every SA, read with the key file or not. */
static void ike1_check(const struct shown *shown, bool keyed)
{
	char fqdn[64];
	size_t i, f;
	unsigned int r;

	for (i = 0; i < N_IKE1; i++) {
		f = V1_FRAMES * i + 5;		/* Main Mode 5 */
		for (r = 0; r < 2; r++, f++) {
			v1_fqdn(fqdn, sizeof(fqdn), i, !r);
			v1_expect(&shown[f], f, keyed ? "2" : "",
				  keyed ? fqdn : "", keyed);
		}
		v1_expect(&shown[f], f, keyed ? "4,4" : "", "", keyed);
	}
}

static void test_ike1_decrypts(void **state)
{
	struct shown shown[FRAMES_MAX];
	struct v1sa sas[N_IKE1];
	const struct tdir *t = *state;
	size_t i;

	ike1_build(t, sas);
	run_tshark(t, shown, V1_FRAMES * N_IKE1);
	ike1_check(shown, false);
	for (i = 0; i < N_IKE1; i++)
		assert_int_equal(ike_keylog_ike1(t->path, sas[i].cky_i,
						 sas[i].k.enc_key,
						 sas[i].k.enc_len), 0);
	run_tshark(t, shown, V1_FRAMES * N_IKE1);
	ike1_check(shown, true);
}

/* ---- the files themselves ---- */

/* The exact text, for a reader of this test: what Wireshark was shown. */
static void test_line_format(void **state)
{
	const struct tdir *t = *state;
	uint8_t spi_i[IKE_SPI_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t spi_r[IKE_SPI_LEN] = { 0xf1, 0xf2, 0xf3, 0xf4,
				       0xf5, 0xf6, 0xf7, 0xf8 };
	uint8_t ekey[20], akey[32];
	struct ike_sa_keys k;
	char buf[2048], path[128];
	struct stat st;

	memset(&k, 0, sizeof(k));
	k.encr_len = 20;
	memset(k.sk_ei, 0xe1, 20);
	memset(k.sk_er, 0xe2, 20);
	assert_int_equal(ike_keylog_ike(t->path, spi_i, spi_r, &k,
					IKE_ENCR_AES_GCM_16, 128,
					IKE_INTEG_NONE), 0);
	k.encr_len = 16;
	k.integ_len = 32;
	memset(k.sk_ai, 0xa1, 32);
	memset(k.sk_ar, 0xa2, 32);
	assert_int_equal(ike_keylog_ike(t->path, spi_i, spi_r, &k,
					IKE_ENCR_AES_CBC, 128,
					IKE_INTEG_HMAC_SHA2_256_128), 0);
	slurp(t, IKE_KEYLOG_IKE_FILE, buf, sizeof(buf));
	assert_string_equal(buf,
		"0102030405060708,f1f2f3f4f5f6f7f8,"
		"e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1,"
		"e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2,"
		"\"AES-GCM-128 with 16 octet ICV [RFC5282]\",,,"
		"\"NONE [RFC4306]\"\n"
		"0102030405060708,f1f2f3f4f5f6f7f8,"
		"e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1,"
		"e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2,"
		"\"AES-CBC-128 [RFC3602]\","
		"a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
		"a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1,"
		"a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"
		"a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2,"
		"\"HMAC_SHA2_256_128 [RFC4868]\"\n");

	memset(ekey, 0xee, sizeof(ekey));
	memset(akey, 0xaa, sizeof(akey));
	assert_int_equal(ike_keylog_esp(t->path, AF_INET, addr4_a, addr4_b,
					0xc1, IKE_ENCR_AES_GCM_16, 128, ekey,
					20, IKE_INTEG_NONE, NULL, 0), 0);
	assert_int_equal(ike_keylog_esp(t->path, AF_INET6, addr6_b, addr6_a,
					0xc2000001, IKE_ENCR_AES_CBC, 128,
					ekey, 16, IKE_INTEG_HMAC_SHA2_256_128,
					akey, 32), 0);
	slurp(t, IKE_KEYLOG_ESP_FILE, buf, sizeof(buf));
	assert_string_equal(buf,
		"\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x000000c1\","
		"\"AES-GCM with 16 octet ICV [RFC4106]\","
		"\"0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\","
		"\"NULL\",\"0x\"\n"
		"\"IPv6\",\"2001:db8::2\",\"2001:db8::1\",\"0xc2000001\","
		"\"AES-CBC [RFC3602]\","
		"\"0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\","
		"\"HMAC-SHA-256-128 [RFC4868]\","
		"\"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n");

	/* the cookie and the key: Wireshark has the algorithms already */
	assert_int_equal(ike_keylog_ike1(t->path, spi_i, ekey, 16), 0);
	assert_int_equal(ike_keylog_ike1(t->path, spi_r, akey, 24), 0);
	slurp(t, IKE_KEYLOG_IKE1_FILE, buf, sizeof(buf));
	assert_string_equal(buf,
		"0102030405060708,eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\n"
		"f1f2f3f4f5f6f7f8,"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");

	/* they hold secrets */
	path_of(t, IKE_KEYLOG_IKE1_FILE, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	path_of(t, IKE_KEYLOG_IKE_FILE, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	path_of(t, IKE_KEYLOG_ESP_FILE, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_refused(void **state)
{
	const struct tdir *t = *state;
	uint8_t spi[IKE_SPI_LEN] = { 1 }, key[IKE_ENCR_KEY_MAX] = { 0 };
	struct ike_sa_keys k;
	char path[128];

	memset(&k, 0, sizeof(k));
	k.encr_len = 16;
	k.integ_len = 32;
	/* not ours: AES-CCM, an AES key size of no standard */
	assert_int_equal(ike_keylog_ike(t->path, spi, spi, &k,
					IKE_ENCR_AES_CCM_16, 128,
					IKE_INTEG_NONE), -EINVAL);
	assert_int_equal(ike_keylog_ike(t->path, spi, spi, &k,
					IKE_ENCR_AES_CBC, 100,
					IKE_INTEG_HMAC_SHA2_256_128), -EINVAL);
	/* an AEAD with an integrity transform, a cipher without one */
	assert_int_equal(ike_keylog_ike(t->path, spi, spi, &k,
					IKE_ENCR_AES_GCM_16, 128,
					IKE_INTEG_HMAC_SHA2_256_128), -EINVAL);
	assert_int_equal(ike_keylog_esp(t->path, AF_INET, addr4_a, addr4_b, 1,
					IKE_ENCR_AES_CBC, 128, key, 16,
					IKE_INTEG_NONE, NULL, 0), -EINVAL);
	assert_int_equal(ike_keylog_esp(t->path, AF_UNIX, addr4_a, addr4_b, 1,
					IKE_ENCR_AES_GCM_16, 128, key, 20,
					IKE_INTEG_NONE, NULL, 0), -EINVAL);
	/*
	 * IKEv1: SKEYID_e of SHA-1 (20 bytes) passed for the key, which is
	 * the mistake the length check is for; no key at all.
	 */
	assert_int_equal(ike_keylog_ike1(t->path, spi, key, 20), -EINVAL);
	assert_int_equal(ike_keylog_ike1(t->path, spi, key, 0), -EINVAL);
	assert_int_equal(ike_keylog_ike1(t->path, spi, NULL, 16), -EINVAL);
	/* nothing was written */
	path_of(t, IKE_KEYLOG_IKE1_FILE, path, sizeof(path));
	assert_int_equal(access(path, F_OK), -1);
	path_of(t, IKE_KEYLOG_IKE_FILE, path, sizeof(path));
	assert_int_equal(access(path, F_OK), -1);
	path_of(t, IKE_KEYLOG_ESP_FILE, path, sizeof(path));
	assert_int_equal(access(path, F_OK), -1);
	/* and a directory that is not there is the caller's to hear of */
	assert_int_equal(ike_keylog_esp("/nonexistent/kipsec", AF_INET,
					addr4_a, addr4_b, 1,
					IKE_ENCR_AES_GCM_16, 128, key, 20,
					IKE_INTEG_NONE, NULL, 0), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_esp_decrypts, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_ike_decrypts, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_ike1_decrypts, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_line_format, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_refused, dir_setup,
						dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
