// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for ike/cert.c. The PKI is made at setup with OpenSSL's own
 * calls (X509_sign(), X509V3 extensions) in a temporary directory laid
 * out as swanctl's. What cert.c signs is checked with plain EVP calls and
 * against the AlgorithmIdentifier bytes of RFC 7427 appendix A; what it
 * verifies is signed here the same independent way. Where strongSwan's
 * pki(1) is installed, the last tests check both directions against
 * strongSwan's own code: certificates pki signs are verified as AUTH
 * data, and certificates signed with ike_auth_sign() must pass
 * pki --verify. Without pki those tests are skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kipsec.h"
#include "ike/cert.h"

#define PKI_TOOL	"/usr/bin/pki"
#define WHY		1024

/* ---- helpers ---- */

/* Hex as the RFCs print it, spaces allowed. Returns the number of bytes. */
static size_t unhex(const char *s, uint8_t *buf, size_t size)
{
	char byte[3] = { 0 };
	size_t n = 0;

	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		assert_true(isxdigit((unsigned char)s[0]) &&
			    isxdigit((unsigned char)s[1]));
		assert_true(n < size);
		byte[0] = s[0];
		byte[1] = s[1];
		buf[n++] = strtoul(byte, NULL, 16);
		s += 2;
	}
	return n;
}

#define HEX(s, buf)	unhex(s, buf, sizeof(buf))

/* The temporary directory and what setup made in it. */
struct pki {
	char dir[64];
	char cacerts_rsa[1][32], cacerts_both[2][32];
	EVP_PKEY *rsa_ca_key, *ec_ca_key, *other_ca_key, *im_ca_key;
	EVP_PKEY *sun_key, *sun2_key, *moon_key, *p384_key, *p521_key;
	EVP_PKEY *ed_key, *ed2_key, *other_key, *misc_key, *notca_key;
	X509 *rsa_ca, *ec_ca, *other_ca, *im_ca;
	X509 *sun, *sun2, *moon, *p384, *p521, *ed, *ed2, *other, *leaf;
	X509 *expired, *future, *enc, *nosan, *notca, *under;
	struct ike_local_cred *c_sun, *c_moon, *c_p384, *c_p521, *c_ed;
	bool have_pki;
};

static struct pki pki;

static void path_of(const char *rel, char *buf, size_t size)
{
	assert_true((size_t)snprintf(buf, size, "%s/%s", pki.dir, rel) < size);
}

static void write_file(const char *rel, const void *p, size_t len)
{
	char path[512];
	FILE *f;

	path_of(rel, path, sizeof(path));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static BIO *bio_for(const char *rel)
{
	char path[512];
	BIO *b;

	path_of(rel, path, sizeof(path));
	b = BIO_new_file(path, "wb");
	assert_non_null(b);
	return b;
}

static void write_cert(const char *rel, X509 *x, bool pem)
{
	BIO *b = bio_for(rel);

	assert_true(pem ? PEM_write_bio_X509(b, x) : i2d_X509_bio(b, x));
	BIO_free(b);
}

enum key_form { PKCS8_PEM, PKCS8_DER, TRAD_PEM, TRAD_DER, ENCRYPTED };

static void write_key(const char *rel, EVP_PKEY *k, enum key_form form)
{
	BIO *b = bio_for(rel);
	int ok = 0;

	switch (form) {
	case PKCS8_PEM:
		ok = PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
		break;
	case PKCS8_DER:
		ok = i2d_PKCS8PrivateKey_bio(b, k, NULL, NULL, 0, NULL, NULL);
		break;
	case TRAD_PEM:
		ok = PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL, 0,
							  NULL, NULL);
		break;
	case TRAD_DER:
		ok = i2d_PrivateKey_bio(b, k);
		break;
	case ENCRYPTED:
		ok = PEM_write_bio_PKCS8PrivateKey(b, k, EVP_aes_128_cbc(),
						   "secret", 6, NULL, NULL);
		break;
	}
	assert_true(ok);
	BIO_free(b);
}

static EVP_PKEY *gen_rsa(unsigned int bits)
{
	EVP_PKEY *k = EVP_RSA_gen(bits);

	assert_non_null(k);
	return k;
}

static EVP_PKEY *gen_ec(const char *curve)
{
	EVP_PKEY *k = EVP_EC_gen(curve);

	assert_non_null(k);
	return k;
}

static EVP_PKEY *gen_ed25519(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	assert_non_null(k);
	return k;
}

/* C=CH, O=o, CN=cn, in OpenSSL's default string types (UTF8String). */
static X509_NAME *make_name(const char *o, const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	assert_non_null(n);
	assert_true(X509_NAME_add_entry_by_txt(n, "C", MBSTRING_UTF8,
			(const unsigned char *)"CH", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
			(const unsigned char *)o, -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
			(const unsigned char *)cn, -1, -1, 0));
	return n;
}

struct spec {
	const char *o, *cn;
	const char *san;	/* X509V3 configuration syntax */
	const char *ku;		/* keyUsage of an end entity */
	bool ca;
	const char *from, *until;	/* default: yesterday, in a year */
};

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(e);
	assert_true(X509_add_ext(x, e, -1));
	X509_EXTENSION_free(e);
}

static void set_time(ASN1_TIME *t, const char *s, long offset)
{
	if (s)
		assert_true(ASN1_TIME_set_string_X509(t, s));
	else
		assert_non_null(X509_gmtime_adj(t, offset));
}

/* Everything but the signature; issuer NULL for a self-signed one. */
static X509 *cert_unsigned(const struct spec *s, EVP_PKEY *key, X509 *issuer)
{
	static long serial = 1;
	X509_NAME *n = make_name(s->o, s->cn);
	X509 *x = X509_new();

	assert_non_null(x);
	assert_true(X509_set_version(x, X509_VERSION_3));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), serial++));
	assert_true(X509_set_subject_name(x, n));
	assert_true(X509_set_issuer_name(x, issuer ?
					 X509_get_subject_name(issuer) : n));
	X509_NAME_free(n);
	set_time(X509_getm_notBefore(x), s->from, -86400);
	set_time(X509_getm_notAfter(x), s->until, 365 * 86400L);
	assert_true(X509_set_pubkey(x, key));
	add_ext(x, x, NID_subject_key_identifier, "hash");
	add_ext(x, issuer ? issuer : x, NID_authority_key_identifier,
		"keyid:always");
	if (s->ca) {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
	} else if (s->ku) {
		add_ext(x, x, NID_key_usage, s->ku);
	}
	if (s->san)
		add_ext(x, x, NID_subject_alt_name, s->san);
	return x;
}

static X509 *make_cert(const struct spec *s, EVP_PKEY *key, X509 *issuer,
		       EVP_PKEY *issuer_key)
{
	X509 *x = cert_unsigned(s, key, issuer);
	EVP_PKEY *signer = issuer ? issuer_key : key;
	bool ed = EVP_PKEY_get_base_id(signer) == EVP_PKEY_ED25519;

	assert_true(X509_sign(x, signer, ed ? NULL : EVP_sha256()) > 0);
	return x;
}

static X509 *ee(const char *cn, const char *san, EVP_PKEY *key, X509 *issuer,
		EVP_PKEY *issuer_key)
{
	const struct spec s = { "strongSwan Test", cn, san, NULL, false, NULL,
				NULL };

	return make_cert(&s, key, issuer, issuer_key);
}

static X509 *ca(const char *o, const char *cn, EVP_PKEY *key, X509 *issuer,
		EVP_PKEY *issuer_key)
{
	const struct spec s = { o, cn, NULL, NULL, true, NULL, NULL };

	return make_cert(&s, key, issuer, issuer_key);
}

static void make_dirs(void)
{
	static const char *const dirs[] = {
		"x509", "x509ca", "private", "private/old", "rsa", "ecdsa",
		"pkcs8", "sw",
	};
	char path[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		path_of(dirs[i], path, sizeof(path));
		assert_int_equal(mkdir(path, 0700), 0);
	}
}

static void make_cas(void)
{
	pki.rsa_ca_key = gen_rsa(2048);
	pki.ec_ca_key = gen_ec("P-256");
	pki.other_ca_key = gen_ec("P-256");
	pki.im_ca_key = gen_ec("P-256");
	pki.rsa_ca = ca("strongSwan Test", "strongSwan RSA CA", pki.rsa_ca_key,
			NULL, NULL);
	pki.ec_ca = ca("strongSwan Test", "strongSwan ECDSA CA", pki.ec_ca_key,
		       NULL, NULL);
	pki.other_ca = ca("Other", "Other CA", pki.other_ca_key, NULL, NULL);
	pki.im_ca = ca("strongSwan Test", "strongSwan Intermediate CA",
		       pki.im_ca_key, pki.rsa_ca, pki.rsa_ca_key);
	write_cert("x509ca/rsaCa.pem", pki.rsa_ca, true);
	write_cert("x509ca/ecCa.der", pki.ec_ca, false);
	write_cert("x509ca/otherCa.pem", pki.other_ca, true);
	strcpy(pki.cacerts_rsa[0], "rsaCa.pem");
	strcpy(pki.cacerts_both[0], "rsaCa.pem");
	strcpy(pki.cacerts_both[1], "ecCa.der");
}

static void make_ees(void)
{
	const struct spec expired = { "strongSwan Test", "expired.test", NULL,
		NULL, false, "20190101000000Z", "20200101000000Z" };
	const struct spec future = { "strongSwan Test", "future.test", NULL,
		NULL, false, "20300101000000Z", "20310101000000Z" };
	const struct spec enc = { "strongSwan Test", "enc.test", NULL,
		"critical,keyEncipherment", false, NULL, NULL };
	const struct spec notca = { "strongSwan Test", "notca.test", NULL,
		NULL, false, NULL, NULL };

	pki.sun_key = gen_rsa(2048);
	pki.sun2_key = gen_rsa(2048);
	pki.moon_key = gen_ec("P-256");
	pki.p384_key = gen_ec("P-384");
	pki.p521_key = gen_ec("P-521");
	pki.ed_key = gen_ed25519();
	pki.ed2_key = gen_ed25519();
	pki.other_key = gen_ec("P-256");
	pki.misc_key = gen_ec("P-256");
	pki.notca_key = gen_ec("P-256");
	pki.sun = ee("sun.test",
		     "DNS:sun.test,email:sun@test,IP:192.0.2.2,IP:2001:db8::2",
		     pki.sun_key, pki.rsa_ca, pki.rsa_ca_key);
	pki.sun2 = ee("sun2.test", "DNS:sun2.test", pki.sun2_key, pki.rsa_ca,
		      pki.rsa_ca_key);
	pki.moon = ee("moon.test", "DNS:moon.test", pki.moon_key, pki.ec_ca,
		      pki.ec_ca_key);
	pki.p384 = ee("p384.test", "DNS:p384.test", pki.p384_key, pki.ec_ca,
		      pki.ec_ca_key);
	pki.p521 = ee("p521.test", "DNS:p521.test", pki.p521_key, pki.ec_ca,
		      pki.ec_ca_key);
	pki.ed = ee("ed.test", "DNS:ed.test", pki.ed_key, pki.ec_ca,
		    pki.ec_ca_key);
	pki.ed2 = ee("ed2.test", "DNS:ed2.test", pki.ed2_key, pki.ec_ca,
		     pki.ec_ca_key);
	pki.other = make_cert(&(struct spec){ "Other", "other.test",
			"DNS:other.test", NULL, false, NULL, NULL },
			pki.other_key, pki.other_ca, pki.other_ca_key);
	pki.leaf = ee("leaf.test", "DNS:leaf.test", pki.misc_key, pki.im_ca,
		      pki.im_ca_key);
	pki.expired = make_cert(&expired, pki.misc_key, pki.rsa_ca,
				pki.rsa_ca_key);
	pki.future = make_cert(&future, pki.misc_key, pki.rsa_ca,
			       pki.rsa_ca_key);
	pki.enc = make_cert(&enc, pki.misc_key, pki.ec_ca, pki.ec_ca_key);
	pki.nosan = ee("nosan.test", NULL, pki.misc_key, pki.ec_ca,
		       pki.ec_ca_key);
	pki.notca = make_cert(&notca, pki.notca_key, pki.rsa_ca,
			      pki.rsa_ca_key);
	pki.under = ee("under.test", NULL, pki.misc_key, pki.notca,
		       pki.notca_key);
}

/*
 * Every format swanctl reads, one per directory, so that the search for a
 * key goes through all of them. The key directories hold 8 regular
 * files; private/old is a directory and .hidden is skipped.
 */
static void write_files(void)
{
	static const char readme[] = "not a key\n";

	write_cert("x509/sunCert.pem", pki.sun, true);
	write_cert("x509/sun2Cert.pem", pki.sun2, true);
	write_cert("x509/moonCert.der", pki.moon, false);
	write_cert("x509/p384Cert.pem", pki.p384, true);
	write_cert("x509/p521Cert.der", pki.p521, false);
	write_cert("x509/edCert.pem", pki.ed, true);
	write_cert("x509/otherCert.pem", pki.other, true);
	write_key("private/sunKey.pem", pki.sun_key, PKCS8_PEM);
	write_key("private/otherKey.pem", pki.other_key, ENCRYPTED);
	write_file("private/README", readme, sizeof(readme) - 1);
	write_file("private/.hidden", readme, sizeof(readme) - 1);
	write_key("rsa/sun2Key.pem", pki.sun2_key, TRAD_PEM);
	write_key("ecdsa/moonKey.der", pki.moon_key, TRAD_DER);
	write_key("ecdsa/p384Key.pem", pki.p384_key, TRAD_PEM);
	write_key("pkcs8/p521Key.der", pki.p521_key, PKCS8_DER);
	write_key("pkcs8/edKey.pem", pki.ed_key, PKCS8_PEM);
}

static struct ike_local_cred *cred(const char *cert)
{
	char why[WHY] = "";
	struct ike_local_cred *lc = ike_local_cred_load(pki.dir, cert, NULL,
							why, sizeof(why));

	if (!lc)
		print_error("%s: %s\n", cert, why);
	assert_non_null(lc);
	return lc;
}

static int setup(void **state)
{
	static const char conf_text[] =
		"pki { load = random pem pkcs1 pkcs8 x509 openssl sha1 sha2 }\n";
	char conf[600];

	(void)state;
	strcpy(pki.dir, "/tmp/test_ike_cert.XXXXXX");
	if (!mkdtemp(pki.dir))
		return -1;
	make_dirs();
	make_cas();
	make_ees();
	write_files();
	pki.c_sun = cred("sunCert.pem");
	pki.c_moon = cred("moonCert.der");
	pki.c_p384 = cred("p384Cert.pem");
	pki.c_p521 = cred("p521Cert.der");
	pki.c_ed = cred("edCert.pem");
	pki.have_pki = !access(PKI_TOOL, X_OK);
	/* a quiet plugin list for pki alone, as pki.sh does */
	path_of("sw/pki.conf", conf, sizeof(conf));
	write_file("sw/pki.conf", conf_text, sizeof(conf_text) - 1);
	setenv("STRONGSWAN_CONF", conf, 1);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	EVP_PKEY *keys[] = {
		pki.rsa_ca_key, pki.ec_ca_key, pki.other_ca_key, pki.im_ca_key,
		pki.sun_key, pki.sun2_key, pki.moon_key, pki.p384_key,
		pki.p521_key, pki.ed_key, pki.ed2_key, pki.other_key,
		pki.misc_key, pki.notca_key,
	};
	X509 *certs[] = {
		pki.rsa_ca, pki.ec_ca, pki.other_ca, pki.im_ca, pki.sun,
		pki.sun2, pki.moon, pki.p384, pki.p521, pki.ed, pki.ed2,
		pki.other, pki.leaf, pki.expired, pki.future, pki.enc,
		pki.nosan, pki.notca, pki.under,
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		EVP_PKEY_free(keys[i]);
	for (i = 0; i < ARRAY_SIZE(certs); i++)
		X509_free(certs[i]);
	ike_local_cred_free(pki.c_sun);
	ike_local_cred_free(pki.c_moon);
	ike_local_cred_free(pki.c_p384);
	ike_local_cred_free(pki.c_p521);
	ike_local_cred_free(pki.c_ed);
	return nftw(pki.dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A certificate of the fixture as the peer's CERT payload brings it. */
static struct ike_cert *peer_cert(X509 *x)
{
	uint8_t *der = NULL;
	int len = i2d_X509(x, &der);
	char why[WHY];
	struct ike_cert *c;

	assert_true(len > 0);
	c = ike_cert_from_der(der, len, why, sizeof(why));
	OPENSSL_free(der);
	assert_non_null(c);
	return c;
}

static struct ike_ca_store *store_of(char (*paths)[32], size_t n)
{
	char *v[4], why[WHY] = "";
	struct ike_ca_store *cas;
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = paths[i];
	cas = ike_ca_store_load(pki.dir, v, n, why, sizeof(why));
	if (!cas)
		print_error("%s\n", why);
	assert_non_null(cas);
	return cas;
}

static size_t name_der(const X509_NAME *n, uint8_t *buf, size_t size)
{
	int len = i2d_X509_NAME(n, NULL);

	assert_true(len > 0 && (size_t)len <= size);
	i2d_X509_NAME(n, &buf);
	return len;
}

static void id_der(X509 *x, uint8_t *buf, size_t size, size_t *len)
{
	*len = name_der(X509_get_subject_name(x), buf, size);
}

/* ---- loading ---- */

static void test_cert_load(void **state)
{
	char dir[512], path[512], why[WHY], text[256], want[600];
	struct ike_cert *c;
	uint8_t *der = NULL;
	const uint8_t *got;
	size_t len;
	int n;

	(void)state;
	path_of("x509", dir, sizeof(dir));
	c = ike_cert_load(dir, "sunCert.pem", why, sizeof(why));
	assert_non_null(c);
	assert_string_equal(ike_cert_subject_text(c, text, sizeof(text)),
			    "C=CH, O=strongSwan Test, CN=sun.test");
	n = i2d_X509(pki.sun, &der);
	got = ike_cert_der(c, &len);
	assert_int_equal(len, n);
	assert_memory_equal(got, der, n);
	OPENSSL_free(der);
	ike_cert_free(c);

	/* DER, and an absolute path that ignores the directory */
	path_of("x509/moonCert.der", path, sizeof(path));
	c = ike_cert_load("/nonexistent", path, why, sizeof(why));
	assert_non_null(c);
	assert_string_equal(ike_cert_subject_text(c, text, sizeof(text)),
			    "C=CH, O=strongSwan Test, CN=moon.test");
	ike_cert_free(c);

	assert_null(ike_cert_load(dir, "nope.pem", why, sizeof(why)));
	snprintf(want, sizeof(want),
		 "cannot open %s/nope.pem: No such file or directory", dir);
	assert_string_equal(why, want);

	assert_null(ike_cert_load(pki.dir, "private/README", why,
				  sizeof(why)));
	snprintf(want, sizeof(want),
		 "%s/private/README is neither a PEM nor a DER X.509 certificate",
		 pki.dir);
	assert_string_equal(why, want);
}

static void test_cert_from_der(void **state)
{
	char why[WHY], text[256];
	uint8_t *der = NULL, *longer;
	struct ike_cert *c;
	int n = i2d_X509(pki.moon, &der);

	(void)state;
	c = ike_cert_from_der(der, n, why, sizeof(why));
	assert_non_null(c);
	assert_string_equal(ike_cert_subject_text(c, text, sizeof(text)),
			    "C=CH, O=strongSwan Test, CN=moon.test");
	ike_cert_free(c);

	/* one byte more, or one less, is not a certificate */
	longer = malloc(n + 1);
	assert_non_null(longer);
	memcpy(longer, der, n);
	longer[n] = 0;
	assert_null(ike_cert_from_der(longer, n + 1, why, sizeof(why)));
	snprintf(text, sizeof(text),
		 "the CERT payload's %d bytes are not one DER X.509 certificate",
		 n + 1);
	assert_string_equal(why, text);
	assert_null(ike_cert_from_der(der, n - 1, why, sizeof(why)));
	free(longer);
	OPENSSL_free(der);
}

/* Each key in its directory and format, found by its public key. */
static void test_key_search(void **state)
{
	static const char *const certs[] = {
		"sunCert.pem", "sun2Cert.pem", "moonCert.der", "p384Cert.pem",
		"p521Cert.der", "edCert.pem",
	};
	struct ike_local_cred *lc;
	char why[WHY];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(certs); i++) {
		lc = ike_local_cred_load(pki.dir, certs[i], NULL, why,
					 sizeof(why));
		if (!lc)
			print_error("%s: %s\n", certs[i], why);
		assert_non_null(lc);
		ike_local_cred_free(lc);
	}
}

static void test_key_named(void **state)
{
	char path[512], why[WHY], want[1024];
	struct ike_local_cred *lc;

	(void)state;
	lc = ike_local_cred_load(pki.dir, "sunCert.pem", "sunKey.pem", why,
				 sizeof(why));
	assert_non_null(lc);
	ike_local_cred_free(lc);

	path_of("rsa/sun2Key.pem", path, sizeof(path));
	assert_null(ike_local_cred_load(pki.dir, "sunCert.pem", path, why,
					sizeof(why)));
	snprintf(want, sizeof(want),
		 "private key %s is not the key of certificate C=CH, O=strongSwan Test, CN=sun.test",
		 path);
	assert_string_equal(why, want);

	/* encrypted: refused without asking for a passphrase */
	assert_null(ike_local_cred_load(pki.dir, "otherCert.pem",
					"otherKey.pem", why, sizeof(why)));
	snprintf(want, sizeof(want),
		 "%s/private/otherKey.pem is not a private key we can read (PKCS#1, SEC 1 or PKCS#8, PEM or DER, not encrypted)",
		 pki.dir);
	assert_string_equal(why, want);
}

static void test_key_missing(void **state)
{
	char why[WHY], want[1024];

	(void)state;
	assert_null(ike_local_cred_load(pki.dir, "otherCert.pem", NULL, why,
					sizeof(why)));
	snprintf(want, sizeof(want),
		 "no private key in %s/{private,rsa,ecdsa,pkcs8} is the key of certificate C=CH, O=Other, CN=other.test (8 files tried)",
		 pki.dir);
	assert_string_equal(why, want);
}

static void test_key_unusable(void **state)
{
	EVP_PKEY *weak_rsa = gen_rsa(1024), *p224 = gen_ec("P-224");
	X509 *a = ee("weak.test", NULL, weak_rsa, pki.rsa_ca, pki.rsa_ca_key);
	X509 *b = ee("p224.test", NULL, p224, pki.ec_ca, pki.ec_ca_key);
	char why[WHY];

	(void)state;
	write_cert("x509/weakCert.pem", a, true);
	write_cert("x509/p224Cert.pem", b, true);
	assert_null(ike_local_cred_load(pki.dir, "weakCert.pem", NULL, why,
					sizeof(why)));
	assert_string_equal(why, "certificate C=CH, O=strongSwan Test, CN=weak.test has an RSA key of 1024 bits: we sign with 2048 to 8192");
	assert_null(ike_local_cred_load(pki.dir, "p224Cert.pem", NULL, why,
					sizeof(why)));
	assert_string_equal(why, "certificate C=CH, O=strongSwan Test, CN=p224.test has a key we cannot sign with (ECDSA secp224r1): we sign with RSA, ECDSA on P-256, P-384 or P-521, and Ed25519");
	X509_free(a);
	X509_free(b);
	EVP_PKEY_free(weak_rsa);
	EVP_PKEY_free(p224);
}

/* ---- distinguished names ---- */

static void test_dn_text(void **state)
{
	X509_NAME *n = make_name("M\xc3\xbcller AG", "sun.test");
	uint8_t der[IKE_DN_MAX], bad[] = { 0x30, 0x03, 0x31, 0x01 };
	char text[256];
	size_t len;

	(void)state;
	id_der(pki.sun, der, sizeof(der), &len);
	assert_string_equal(ike_dn_text(der, len, text, sizeof(text)),
			    "C=CH, O=strongSwan Test, CN=sun.test");
	assert_string_equal(ike_dn_text(bad, sizeof(bad), text, sizeof(text)),
			    "(invalid ID_DER_ASN1_DN)");

	/* strongSwan's names (E), dotted OIDs, '?' for what is not ASCII */
	assert_true(X509_NAME_add_entry_by_txt(n, "emailAddress", MBSTRING_ASC,
			(const unsigned char *)"sun@test", -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(n, "1.2.3.4", MBSTRING_ASC,
			(const unsigned char *)"x", -1, -1, 0));
	len = name_der(n, der, sizeof(der));
	assert_string_equal(ike_dn_text(der, len, text, sizeof(text)),
			    "C=CH, O=M??ller AG, CN=sun.test, E=sun@test, 1.2.3.4=x");
	/* cut short, never past the buffer */
	assert_string_equal(ike_dn_text(der, len, text, 8), "C=CH, O");
	X509_NAME_free(n);
}

static void test_dn_from_text(void **state)
{
	/* three RDNs, PrintableString each, as strongSwan's atodn() makes */
	static const char sun_dn[] =
		"303a 310b 3009 0603 550406 1302 4348"
		" 3118 3016 0603 55040a 130f 7374726f6e675377616e2054657374"
		" 3111 300f 0603 550403 1308 73756e2e74657374";
	/* E= is an IA5String */
	static const char email_dn[] =
		"3019 3117 3015 0609 2a864886f70d010901 1608 73756e4074657374";
	uint8_t der[IKE_DN_MAX], want[128];
	size_t n = HEX(sun_dn, want);
	char why[WHY];
	ssize_t len;

	(void)state;
	len = ike_dn_from_text("C=CH, O=strongSwan Test, CN=sun.test", der,
			       sizeof(der), why, sizeof(why));
	assert_int_equal(len, n);
	assert_memory_equal(der, want, n);
	len = ike_dn_from_text("/C=CH/O=strongSwan Test/CN=sun.test", der,
			       sizeof(der), why, sizeof(why));
	assert_int_equal(len, n);
	assert_memory_equal(der, want, n);
	len = ike_dn_from_text("  c = CH ,O=strongSwan Test,, cn = sun.test ,",
			       der, sizeof(der), why, sizeof(why));
	assert_int_equal(len, n);
	assert_memory_equal(der, want, n);

	n = HEX(email_dn, want);
	len = ike_dn_from_text("E=sun@test", der, sizeof(der), why,
			       sizeof(why));
	assert_int_equal(len, n);
	assert_memory_equal(der, want, n);

	/* UTF8String where PrintableString cannot say it: '_', non-ASCII */
	len = ike_dn_from_text("CN=a_b", der, sizeof(der), why, sizeof(why));
	assert_int_equal(len, 16);
	assert_int_equal(der[11], V_ASN1_UTF8STRING);
	len = ike_dn_from_text("CN=M\xc3\xbcller", der, sizeof(der), why,
			       sizeof(why));
	assert_int_equal(der[11], V_ASN1_UTF8STRING);

	assert_int_equal(ike_dn_from_text("C=CH, XY=1", der, sizeof(der), why,
					  sizeof(why)), -1);
	assert_string_equal(why, "unknown DN attribute 'XY' (we know C, ST, L, O, OU, CN, E, SN, S, G, I, T, D, N, DC, UID, dnQualifier, ID, UN, UA)");
	assert_int_equal(ike_dn_from_text("C=CH, CN", der, sizeof(der), why,
					  sizeof(why)), -1);
	assert_string_equal(why, "'CN' has no '=' (a DN is written C=CH, O=..., CN=...)");
	assert_int_equal(ike_dn_from_text(" , ", der, sizeof(der), why,
					  sizeof(why)), -1);
	assert_string_equal(why, "' , ' is not a DN: it has no attribute");
	assert_int_equal(ike_dn_from_text("C=CH, O=strongSwan Test", der, 10,
					  why, sizeof(why)), -1);
	assert_string_equal(why, "DN 'C=CH, O=strongSwan Test' is longer than 10 bytes");
}

/* ---- identities ---- */

static void check_id(struct ike_cert *c, uint8_t type, const void *id,
		     size_t len, int rc, const char *why_want)
{
	char why[WHY] = "";

	assert_int_equal(ike_cert_id_check(c, type, id, len, why, sizeof(why)),
			 rc);
	if (why_want)
		assert_string_equal(why, why_want);
}

static void test_id_san(void **state)
{
	struct ike_cert *sun = peer_cert(pki.sun);
	struct ike_cert *nosan = peer_cert(pki.nosan);
	const uint8_t v4[] = { 192, 0, 2, 2 }, v4x[] = { 192, 0, 2, 9 };
	const uint8_t v6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
			       0, 0, 0, 2 };

	(void)state;
	check_id(sun, IKE_ID_FQDN, "sun.test", 8, 0, NULL);
	check_id(sun, IKE_ID_FQDN, "SUN.Test", 8, 0, NULL);
	check_id(sun, IKE_ID_RFC822_ADDR, "sun@test", 8, 0, NULL);
	check_id(sun, IKE_ID_IPV4_ADDR, v4, 4, 0, NULL);
	check_id(sun, IKE_ID_IPV6_ADDR, v6, 16, 0, NULL);
	check_id(sun, IKE_ID_FQDN, "moon.test", 9, IKE_CERT_EID,
		 "certificate C=CH, O=strongSwan Test, CN=sun.test has no subjectAltName DNS:moon.test (it has DNS:sun.test, email:sun@test, IP:192.0.2.2, IP:2001:db8::2)");
	check_id(sun, IKE_ID_FQDN, "sun.tes", 7, IKE_CERT_EID, NULL);
	check_id(sun, IKE_ID_RFC822_ADDR, "sun.test", 8, IKE_CERT_EID, NULL);
	check_id(sun, IKE_ID_IPV4_ADDR, v4x, 4, IKE_CERT_EID,
		 "certificate C=CH, O=strongSwan Test, CN=sun.test has no subjectAltName IP:192.0.2.9 (it has DNS:sun.test, email:sun@test, IP:192.0.2.2, IP:2001:db8::2)");
	/* a CN is not a subjectAltName, for strongSwan either */
	check_id(nosan, IKE_ID_FQDN, "nosan.test", 10, IKE_CERT_EID,
		 "certificate C=CH, O=strongSwan Test, CN=nosan.test has no subjectAltName DNS:nosan.test (it has none)");
	check_id(sun, IKE_ID_IPV4_ADDR, v4, 3, IKE_CERT_EMALFORMED,
		 "an identity of type 1 cannot have 3 bytes");
	check_id(sun, IKE_ID_KEY_ID, "x", 1, IKE_CERT_EUNSUPP,
		 "an identity of type 11 cannot be checked against a certificate: we do DNs, FQDNs, RFC 822 and IP addresses");
	ike_cert_free(sun);
	ike_cert_free(nosan);
}

static void test_id_dn(void **state)
{
	struct ike_cert *sun = peer_cert(pki.sun);
	uint8_t der[IKE_DN_MAX];
	char why[WHY];
	ssize_t n;
	size_t len;

	(void)state;
	id_der(pki.sun, der, sizeof(der), &len);
	check_id(sun, IKE_ID_DER_ASN1_DN, der, len, 0, NULL);
	/* PrintableString from the configuration, UTF8String in the cert */
	n = ike_dn_from_text("C=CH, O=strongswan test, CN=SUN.test", der,
			     sizeof(der), why, sizeof(why));
	assert_true(n > 0);
	check_id(sun, IKE_ID_DER_ASN1_DN, der, n, 0, NULL);
	id_der(pki.moon, der, sizeof(der), &len);
	check_id(sun, IKE_ID_DER_ASN1_DN, der, len, IKE_CERT_EID,
		 "identity C=CH, O=strongSwan Test, CN=moon.test is not the subject of certificate C=CH, O=strongSwan Test, CN=sun.test");
	check_id(sun, IKE_ID_DER_ASN1_DN, der, len - 1, IKE_CERT_EMALFORMED,
		 NULL);
	ike_cert_free(sun);
}

/* A directoryName subjectAltName stands for a DN, as in strongSwan. */
static void test_id_dirname(void **state)
{
	const struct spec s = { "strongSwan Test", "dir.test", NULL, NULL,
				false, NULL, NULL };
	X509_NAME *alias = make_name("strongSwan Test", "alias.test");
	GENERAL_NAMES *sans = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *g = GENERAL_NAME_new();
	X509 *x = cert_unsigned(&s, pki.misc_key, NULL);
	struct ike_cert *c;
	uint8_t der[IKE_DN_MAX];
	size_t len;

	(void)state;
	assert_non_null(sans);
	assert_non_null(g);
	GENERAL_NAME_set0_value(g, GEN_DIRNAME, X509_NAME_dup(alias));
	assert_true(sk_GENERAL_NAME_push(sans, g));
	assert_true(X509_add1_ext_i2d(x, NID_subject_alt_name, sans, 0,
				      X509V3_ADD_DEFAULT) == 1);
	assert_true(X509_sign(x, pki.misc_key, EVP_sha256()) > 0);
	c = peer_cert(x);
	len = name_der(alias, der, sizeof(der));
	check_id(c, IKE_ID_DER_ASN1_DN, der, len, 0, NULL);
	id_der(x, der, sizeof(der), &len);
	check_id(c, IKE_ID_DER_ASN1_DN, der, len, 0, NULL);
	id_der(pki.moon, der, sizeof(der), &len);
	check_id(c, IKE_ID_DER_ASN1_DN, der, len, IKE_CERT_EID, NULL);
	check_id(c, IKE_ID_FQDN, "alias.test", 10, IKE_CERT_EID,
		 "certificate C=CH, O=strongSwan Test, CN=dir.test has no subjectAltName DNS:alias.test (it has dirName:C=CH, O=strongSwan Test, CN=alias.test)");
	ike_cert_free(c);
	GENERAL_NAMES_free(sans);
	X509_NAME_free(alias);
	X509_free(x);
}

/* ---- chains ---- */

static void check_chain(X509 *x, X509 **im, size_t n_im,
			char (*cas_paths)[32], size_t n_cas, int rc,
			const char *why_want)
{
	struct ike_ca_store *cas = store_of(cas_paths, n_cas);
	struct ike_cert *c = peer_cert(x), *ims[4];
	char why[WHY] = "";
	size_t i;

	for (i = 0; i < n_im; i++)
		ims[i] = peer_cert(im[i]);
	assert_int_equal(ike_cert_verify_chain(cas,
			 c, (const struct ike_cert *const *)ims, n_im, why,
			 sizeof(why)), rc);
	if (why_want)
		assert_string_equal(why, why_want);
	for (i = 0; i < n_im; i++)
		ike_cert_free(ims[i]);
	ike_cert_free(c);
	ike_ca_store_free(cas);
}

#define WE_TRUST_BOTH "(we trust C=CH, O=strongSwan Test, CN=strongSwan RSA CA; C=CH, O=strongSwan Test, CN=strongSwan ECDSA CA)"

static void test_chain_good(void **state)
{
	(void)state;
	check_chain(pki.sun, NULL, 0, pki.cacerts_both, 2, 0, NULL);
	check_chain(pki.moon, NULL, 0, pki.cacerts_both, 2, 0, NULL);
	check_chain(pki.ed, NULL, 0, pki.cacerts_both, 2, 0, NULL);
	check_chain(pki.p521, NULL, 0, pki.cacerts_both, 2, 0, NULL);
	check_chain(pki.sun, NULL, 0, pki.cacerts_rsa, 1, 0, NULL);
}

static void test_chain_dates(void **state)
{
	(void)state;
	check_chain(pki.expired, NULL, 0, pki.cacerts_both, 2,
		    IKE_CERT_EUNTRUSTED,
		    "certificate C=CH, O=strongSwan Test, CN=expired.test expired on 2020-01-01 00:00:00 UTC");
	check_chain(pki.future, NULL, 0, pki.cacerts_both, 2,
		    IKE_CERT_EUNTRUSTED,
		    "certificate C=CH, O=strongSwan Test, CN=future.test is not valid until 2030-01-01 00:00:00 UTC");
}

static void test_chain_wrong_ca(void **state)
{
	X509 *root = pki.other_ca;

	(void)state;
	check_chain(pki.other, NULL, 0, pki.cacerts_both, 2,
		    IKE_CERT_EUNTRUSTED,
		    "issuer C=CH, O=Other, CN=Other CA of C=CH, O=Other, CN=other.test is not among the configured CA certificates " WE_TRUST_BOTH);
	check_chain(pki.moon, NULL, 0, pki.cacerts_rsa, 1, IKE_CERT_EUNTRUSTED,
		    "issuer C=CH, O=strongSwan Test, CN=strongSwan ECDSA CA of C=CH, O=strongSwan Test, CN=moon.test is not among the configured CA certificates (we trust C=CH, O=strongSwan Test, CN=strongSwan RSA CA)");
	check_chain(pki.moon, NULL, 0, NULL, 0, IKE_CERT_EUNTRUSTED,
		    "issuer C=CH, O=strongSwan Test, CN=strongSwan ECDSA CA of C=CH, O=strongSwan Test, CN=moon.test is not among the configured CA certificates (we trust none: no cacerts are configured)");
	/* the peer sends its own root: still not ours */
	check_chain(pki.other, &root, 1, pki.cacerts_both, 2,
		    IKE_CERT_EUNTRUSTED,
		    "the peer's chain ends at the self-signed C=CH, O=Other, CN=Other CA, which is not among the configured CA certificates " WE_TRUST_BOTH);
}

static void test_chain_intermediate(void **state)
{
	X509 *im[] = { pki.moon, pki.im_ca };
	char ec_only[1][32] = { "ecCa.der" };

	(void)state;
	check_chain(pki.leaf, NULL, 0, pki.cacerts_both, 2,
		    IKE_CERT_EUNTRUSTED,
		    "issuer C=CH, O=strongSwan Test, CN=strongSwan Intermediate CA of C=CH, O=strongSwan Test, CN=leaf.test is not among the configured CA certificates " WE_TRUST_BOTH);
	/* sent by the peer, after an unrelated certificate */
	check_chain(pki.leaf, im, 2, pki.cacerts_both, 2, 0, NULL);
	check_chain(pki.leaf, im + 1, 1, pki.cacerts_rsa, 1, 0, NULL);
	check_chain(pki.leaf, im + 1, 1, ec_only, 1, IKE_CERT_EUNTRUSTED,
		    "issuer C=CH, O=strongSwan Test, CN=strongSwan RSA CA of C=CH, O=strongSwan Test, CN=strongSwan Intermediate CA is not among the configured CA certificates (we trust C=CH, O=strongSwan Test, CN=strongSwan ECDSA CA)");
}

static void test_chain_constraints(void **state)
{
	(void)state;
	check_chain(pki.under, &pki.notca, 1, pki.cacerts_both, 2,
		    IKE_CERT_EUNTRUSTED,
		    "certificate C=CH, O=strongSwan Test, CN=notca.test issues certificates but is not a CA (its basicConstraints lack CA:TRUE)");
	check_chain(pki.enc, NULL, 0, pki.cacerts_both, 2, IKE_CERT_EUNTRUSTED,
		    "certificate C=CH, O=strongSwan Test, CN=enc.test has a keyUsage without digitalSignature: its key may not sign our AUTH");
}

/* ---- CERTREQ ---- */

/* SHA-1 of the SubjectPublicKeyInfo, from the key rather than the cert. */
static void spki_sha1(EVP_PKEY *k, uint8_t *out)
{
	uint8_t *der = NULL;
	int n = i2d_PUBKEY(k, &der);

	assert_true(n > 0);
	SHA1(der, n, out);
	OPENSSL_free(der);
}

static void test_certreq(void **state)
{
	struct ike_ca_store *cas = store_of(pki.cacerts_both, 2);
	uint8_t got[64], want[40];

	(void)state;
	spki_sha1(pki.rsa_ca_key, want);
	spki_sha1(pki.ec_ca_key, want + 20);
	assert_int_equal(ike_ca_store_certreq(cas, got, sizeof(got)), 40);
	assert_memory_equal(got, want, 40);
	assert_int_equal(ike_ca_store_certreq(cas, got, 39), IKE_CERT_EINVAL);
	ike_ca_store_free(cas);
}

/* ---- choosing a scheme ---- */

static int choose(struct ike_local_cred *lc, const char *hex, bool pss,
		  enum ike_sig_scheme *s, char *why)
{
	uint8_t data[32];
	size_t n = hex ? HEX(hex, data) : 0;

	return ike_sig_choose(lc, hex ? data : NULL, n, pss, s, why, WHY);
}

static void test_sig_hashes(void **state)
{
	static const uint8_t want[] = { 0, 2, 0, 3, 0, 4, 0, 5 };
	const uint8_t *p;
	size_t len;

	(void)state;
	p = ike_sig_hashes(&len);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(p, want, len);
}

static void test_choose(void **state)
{
	const char *all = "0002 0003 0004 0005";
	enum ike_sig_scheme s;
	char why[WHY];

	(void)state;
	assert_int_equal(choose(pki.c_sun, all, false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_SHA256);
	assert_int_equal(ike_sig_method(s), IKE_AUTH_DIGITAL_SIG);
	assert_int_equal(choose(pki.c_sun, all, true, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_PSS_SHA256);
	assert_int_equal(choose(pki.c_sun, "0004", false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_SHA512);
	assert_int_equal(choose(pki.c_moon, "0003 0004", false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_ECDSA_SHA384);
	assert_int_equal(choose(pki.c_p384, all, false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_ECDSA_SHA384);
	assert_int_equal(choose(pki.c_p521, all, false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_ECDSA_SHA512);
	assert_int_equal(choose(pki.c_ed, all, false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_ED25519);
}

/* Above 3072 bits strongSwan prefers SHA-384, yet signs with SHA-256. */
static void test_choose_rsa_large(void **state)
{
	EVP_PKEY *key = gen_rsa(3104);
	X509 *x = ee("big.test", NULL, key, pki.rsa_ca, pki.rsa_ca_key);
	struct ike_local_cred *lc;
	char cert[512], keyp[512], why[WHY];
	enum ike_sig_scheme s;

	(void)state;
	write_cert("sw/bigCert.pem", x, true);
	write_key("sw/bigKey.pem", key, TRAD_PEM);
	path_of("sw/bigCert.pem", cert, sizeof(cert));
	path_of("sw/bigKey.pem", keyp, sizeof(keyp));
	lc = ike_local_cred_load(pki.dir, cert, keyp, why, sizeof(why));
	assert_non_null(lc);
	assert_int_equal(choose(lc, "0002 0003 0004", false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_SHA384);
	assert_int_equal(choose(lc, "0002 0003 0004", true, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_PSS_SHA384);
	assert_int_equal(choose(lc, "0002", false, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_SHA256);
	assert_int_equal(choose(lc, "0002", true, &s, why), 0);
	assert_int_equal(s, IKE_SIG_RSA_SHA256);
	assert_int_equal(choose(lc, "0001", true, &s, why), IKE_CERT_EUNSUPP);
	assert_string_equal(why, "the peer's SIGNATURE_HASH_ALGORITHMS (SHA1) has none of the hashes our RSA 3104-bit key signs with (SHA2_384, SHA2_512, SHA2_256)");
	ike_local_cred_free(lc);
	X509_free(x);
	EVP_PKEY_free(key);
}

static void test_choose_classic(void **state)
{
	enum ike_sig_scheme s;
	char why[WHY];

	(void)state;
	assert_int_equal(choose(pki.c_sun, NULL, true, &s, why), 0);
	assert_int_equal(ike_sig_method(s), IKE_AUTH_RSA_SIG);
	assert_int_equal(choose(pki.c_moon, NULL, false, &s, why), 0);
	assert_int_equal(ike_sig_method(s), IKE_AUTH_ECDSA_256);
	assert_int_equal(choose(pki.c_p384, NULL, false, &s, why), 0);
	assert_int_equal(ike_sig_method(s), IKE_AUTH_ECDSA_384);
	assert_int_equal(choose(pki.c_p521, NULL, false, &s, why), 0);
	assert_int_equal(ike_sig_method(s), IKE_AUTH_ECDSA_521);
	assert_int_equal(choose(pki.c_ed, NULL, false, &s, why),
			 IKE_CERT_EUNSUPP);
	assert_string_equal(why, "the peer sent no SIGNATURE_HASH_ALGORITHMS, so it cannot verify RFC 7427 signatures, the only ones our Ed25519 key makes");
}

static void test_choose_none(void **state)
{
	enum ike_sig_scheme s;
	char why[WHY];

	(void)state;
	assert_int_equal(choose(pki.c_p384, "0002", false, &s, why),
			 IKE_CERT_EUNSUPP);
	assert_string_equal(why, "the peer's SIGNATURE_HASH_ALGORITHMS (SHA2_256) has none of the hashes our ECDSA P-384 key signs with (SHA2_384, SHA2_512)");
	assert_int_equal(choose(pki.c_ed, "0002 0003 0004", false, &s, why),
			 IKE_CERT_EUNSUPP);
	assert_string_equal(why, "the peer's SIGNATURE_HASH_ALGORITHMS (SHA2_256, SHA2_384, SHA2_512) has none of the hashes our Ed25519 key signs with (IDENTITY)");
	assert_int_equal(choose(pki.c_sun, "0001 1234", false, &s, why),
			 IKE_CERT_EUNSUPP);
	assert_string_equal(why, "the peer's SIGNATURE_HASH_ALGORITHMS (SHA1, 4660) has none of the hashes our RSA 2048-bit key signs with (SHA2_256, SHA2_384, SHA2_512)");
	assert_int_equal(choose(pki.c_sun, "", false, &s, why),
			 IKE_CERT_EUNSUPP);
	assert_int_equal(choose(pki.c_sun, "000200", false, &s, why),
			 IKE_CERT_EMALFORMED);
	assert_string_equal(why, "the peer's SIGNATURE_HASH_ALGORITHMS has 3 bytes, not two per hash");
	assert_int_equal(s, IKE_SIG_NONE);
}

/* ---- signatures: what cert.c makes, checked independently ---- */

/* A scheme as the tests know it, from the RFCs rather than from cert.c. */
struct scheme_ref {
	enum ike_sig_scheme id;
	struct ike_local_cred **lc;
	EVP_PKEY **key;
	X509 **cert;
	X509 **other;		/* a certificate with another key of its type */
	const char *md;		/* NULL: Ed25519 */
	int pad;		/* RSA padding; 0 for the others */
	int curve_len;		/* classic ECDSA: bytes of r and of s */
	const char *algid;	/* RFC 7427 appendix A; NULL: classic */
};

/*
 * The AlgorithmIdentifiers RFC 7427 appendix A lists: PKCS#1 v1.5 with
 * NULL parameters, ECDSA without, RSASSA-PSS with the hash (and NULL),
 * MGF1 over the same hash and a salt as long as it (SHA-384 and SHA-512
 * are the SHA-256 bytes with their OIDs and salts 48 and 64). Ed25519 is
 * RFC 8410's, as RFC 8420 uses it. test_pki_signs checks that strongSwan
 * writes the very same bytes.
 */
#define A_PSS(n, salt) "3041 0609 2a864886f70d01010a 3034" \
	" a00f 300d 0609 60864801650304020" n " 0500" \
	" a11c 301a 0609 2a864886f70d010108 300d 0609 60864801650304020" n \
	" 0500 a203 0201 " salt

static const struct scheme_ref refs[] = {
	{ IKE_SIG_RSA_SHA256, &pki.c_sun, &pki.sun_key, &pki.sun, &pki.sun2,
	  "SHA256", RSA_PKCS1_PADDING, 0, "300d 0609 2a864886f70d01010b 0500" },
	{ IKE_SIG_RSA_SHA384, &pki.c_sun, &pki.sun_key, &pki.sun, &pki.sun2,
	  "SHA384", RSA_PKCS1_PADDING, 0, "300d 0609 2a864886f70d01010c 0500" },
	{ IKE_SIG_RSA_SHA512, &pki.c_sun, &pki.sun_key, &pki.sun, &pki.sun2,
	  "SHA512", RSA_PKCS1_PADDING, 0, "300d 0609 2a864886f70d01010d 0500" },
	{ IKE_SIG_RSA_PSS_SHA256, &pki.c_sun, &pki.sun_key, &pki.sun,
	  &pki.sun2, "SHA256", RSA_PKCS1_PSS_PADDING, 0, A_PSS("1", "20") },
	{ IKE_SIG_RSA_PSS_SHA384, &pki.c_sun, &pki.sun_key, &pki.sun,
	  &pki.sun2, "SHA384", RSA_PKCS1_PSS_PADDING, 0, A_PSS("2", "30") },
	{ IKE_SIG_RSA_PSS_SHA512, &pki.c_sun, &pki.sun_key, &pki.sun,
	  &pki.sun2, "SHA512", RSA_PKCS1_PSS_PADDING, 0, A_PSS("3", "40") },
	{ IKE_SIG_ECDSA_SHA256, &pki.c_moon, &pki.moon_key, &pki.moon,
	  &pki.other, "SHA256", 0, 0, "300a 0608 2a8648ce3d040302" },
	{ IKE_SIG_ECDSA_SHA384, &pki.c_moon, &pki.moon_key, &pki.moon,
	  &pki.other, "SHA384", 0, 0, "300a 0608 2a8648ce3d040303" },
	{ IKE_SIG_ECDSA_SHA512, &pki.c_p384, &pki.p384_key, &pki.p384,
	  &pki.other, "SHA512", 0, 0, "300a 0608 2a8648ce3d040304" },
	{ IKE_SIG_ED25519, &pki.c_ed, &pki.ed_key, &pki.ed, &pki.ed2, NULL, 0,
	  0, "3005 0603 2b6570" },
	{ IKE_SIG_RSA_SIG, &pki.c_sun, &pki.sun_key, &pki.sun, &pki.sun2,
	  "SHA1", RSA_PKCS1_PADDING, 0, NULL },
	{ IKE_SIG_ECDSA_256, &pki.c_moon, &pki.moon_key, &pki.moon, &pki.other,
	  "SHA256", 0, 32, NULL },
	{ IKE_SIG_ECDSA_384, &pki.c_p384, &pki.p384_key, &pki.p384, NULL,
	  "SHA384", 0, 48, NULL },
	{ IKE_SIG_ECDSA_521, &pki.c_p521, &pki.p521_key, &pki.p521, NULL,
	  "SHA512", 0, 66, NULL },
};

static EVP_MD_CTX *raw_ctx(const struct scheme_ref *r, EVP_PKEY *k,
			   bool sign, const char *mgf1, int salt)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;

	assert_non_null(ctx);
	if (sign)
		assert_int_equal(EVP_DigestSignInit_ex(ctx, &pctx, r->md, NULL,
						       NULL, k, NULL), 1);
	else
		assert_int_equal(EVP_DigestVerifyInit_ex(ctx, &pctx, r->md,
							 NULL, NULL, k, NULL),
				 1);
	if (r->pad)
		assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx, r->pad) > 0);
	if (r->pad == RSA_PKCS1_PSS_PADDING) {
		assert_true(EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mgf1,
							      NULL) > 0);
		assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) > 0);
	}
	return ctx;
}

static int md_len(const char *md)
{
	EVP_MD *m = EVP_MD_fetch(NULL, md, NULL);
	int n = EVP_MD_get_size(m);

	EVP_MD_free(m);
	return n;
}

static bool raw_verify(const struct scheme_ref *r, const uint8_t *sig,
		       size_t n, const uint8_t *msg, size_t len)
{
	EVP_PKEY *pub = X509_get0_pubkey(*r->cert);
	EVP_MD_CTX *ctx = raw_ctx(r, pub, false, r->md,
				  r->pad == RSA_PKCS1_PSS_PADDING ?
				  md_len(r->md) : 0);
	bool ok = EVP_DigestVerify(ctx, sig, n, msg, len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok;
}

static size_t raw_sign(const struct scheme_ref *r, const char *mgf1, int salt,
		       const uint8_t *msg, size_t len, uint8_t *sig,
		       size_t size)
{
	EVP_MD_CTX *ctx = raw_ctx(r, *r->key, true, mgf1, salt);
	size_t n = size;

	assert_int_equal(EVP_DigestSign(ctx, sig, &n, msg, len), 1);
	EVP_MD_CTX_free(ctx);
	return n;
}

/* RFC 4754's r | s, from OpenSSL's DER, by hand. */
static size_t der_to_rs(const uint8_t *der, size_t n, int flen, uint8_t *out)
{
	const uint8_t *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, n);

	assert_non_null(sig);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, flen), flen);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + flen, flen),
			 flen);
	ECDSA_SIG_free(sig);
	return 2 * flen;
}

static size_t rs_to_der(const uint8_t *rs, int flen, uint8_t *out)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	int n;

	assert_non_null(sig);
	assert_true(ECDSA_SIG_set0(sig, BN_bin2bn(rs, flen, NULL),
				   BN_bin2bn(rs + flen, flen, NULL)));
	n = i2d_ECDSA_SIG(sig, &out);
	assert_true(n > 0);
	ECDSA_SIG_free(sig);
	return n;
}

static void verify_ok(const struct scheme_ref *r, X509 *x, uint8_t method,
		      const uint8_t *auth, size_t n, const uint8_t *msg,
		      size_t len, int rc)
{
	struct ike_cert *c = peer_cert(x);
	enum ike_sig_scheme used;
	char why[WHY] = "";
	int got = ike_auth_verify(c, method, auth, n, msg, len, &used, why,
				  sizeof(why));

	if (got != rc)
		print_error("%s: %s\n", ike_sig_name(r->id), why);
	assert_int_equal(got, rc);
	if (!rc)
		assert_int_equal(used, r->id);
	ike_cert_free(c);
}

/* Sign with cert.c, verify with cert.c, tamper, wrong key, wrong type. */
static void test_sign_verify(void **state)
{
	uint8_t msg[300], auth[IKE_AUTH_SIG_MAX];
	enum ike_sig_scheme used;
	struct ike_cert *c;
	char why[WHY];
	ssize_t n;
	size_t i;

	(void)state;
	assert_int_equal(RAND_bytes(msg, sizeof(msg)), 1);
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		const struct scheme_ref *r = &refs[i];
		uint8_t m = ike_sig_method(r->id);

		n = ike_auth_sign(*r->lc, r->id, msg, sizeof(msg), auth,
				  sizeof(auth));
		assert_true(n > 0);
		verify_ok(r, *r->cert, m, auth, n, msg, sizeof(msg), 0);
		msg[7] ^= 1;
		verify_ok(r, *r->cert, m, auth, n, msg, sizeof(msg),
			  IKE_CERT_EBADSIG);
		msg[7] ^= 1;
		auth[n - 1] ^= 0x40;
		verify_ok(r, *r->cert, m, auth, n, msg, sizeof(msg),
			  IKE_CERT_EBADSIG);
		auth[n - 1] ^= 0x40;
		if (r->other)
			verify_ok(r, *r->other, m, auth, n, msg, sizeof(msg),
				  IKE_CERT_EBADSIG);
	}

	c = peer_cert(pki.sun);
	n = ike_auth_sign(pki.c_sun, IKE_SIG_RSA_SHA256, msg, sizeof(msg),
			  auth, sizeof(auth));
	assert_int_equal(ike_auth_verify(c, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
					 sizeof(msg), &used, why, sizeof(why)),
			 0);
	ike_cert_free(c);
	c = peer_cert(pki.moon);
	assert_int_equal(ike_auth_verify(c, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
					 sizeof(msg), &used, why, sizeof(why)),
			 IKE_CERT_EKEYTYPE);
	assert_string_equal(why, "the AUTH is sha256WithRSAEncryption, which certificate C=CH, O=strongSwan Test, CN=moon.test's ECDSA P-256 key cannot make");
	ike_cert_free(c);
	c = peer_cert(pki.sun);
	assert_int_equal(ike_auth_verify(c, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
					 sizeof(msg) - 1, &used, why,
					 sizeof(why)), IKE_CERT_EBADSIG);
	assert_string_equal(why, "the sha256WithRSAEncryption signature does not verify with the key of certificate C=CH, O=strongSwan Test, CN=sun.test");
	assert_int_equal(used, IKE_SIG_NONE);
	ike_cert_free(c);
}

static void test_sign_refused(void **state)
{
	uint8_t msg[16] = { 0 }, auth[IKE_AUTH_SIG_MAX];

	(void)state;
	assert_int_equal(ike_auth_sign(pki.c_moon, IKE_SIG_RSA_SHA256, msg,
				       sizeof(msg), auth, sizeof(auth)),
			 IKE_CERT_EKEYTYPE);
	assert_int_equal(ike_auth_sign(pki.c_moon, IKE_SIG_ECDSA_384, msg,
				       sizeof(msg), auth, sizeof(auth)),
			 IKE_CERT_EKEYTYPE);
	assert_int_equal(ike_auth_sign(pki.c_sun, IKE_SIG_ED25519, msg,
				       sizeof(msg), auth, sizeof(auth)),
			 IKE_CERT_EKEYTYPE);
	assert_int_equal(ike_auth_sign(pki.c_sun, IKE_SIG_RSA_SHA256, msg,
				       sizeof(msg), auth, 200),
			 IKE_CERT_EINVAL);
	assert_int_equal(ike_auth_sign(pki.c_sun, IKE_SIG_NONE, msg,
				       sizeof(msg), auth, sizeof(auth)),
			 IKE_CERT_EINVAL);
}

/* What cert.c signs has RFC 7427's bytes and verifies with plain EVP. */
static void test_sign_bytes(void **state)
{
	uint8_t msg[100], auth[IKE_AUTH_SIG_MAX], algid[80], der[160];
	size_t i, alen;
	ssize_t n;

	(void)state;
	assert_int_equal(RAND_bytes(msg, sizeof(msg)), 1);
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		const struct scheme_ref *r = &refs[i];
		const uint8_t *sig = auth;
		size_t sig_len;

		n = ike_auth_sign(*r->lc, r->id, msg, sizeof(msg), auth,
				  sizeof(auth));
		assert_true(n > 0);
		sig_len = n;
		if (r->algid) {
			alen = HEX(r->algid, algid);
			assert_int_equal(auth[0], alen);
			assert_memory_equal(auth + 1, algid, alen);
			sig = auth + 1 + alen;
			sig_len = n - 1 - alen;
		}
		if (r->curve_len) {
			assert_int_equal(sig_len, 2 * r->curve_len);
			sig_len = rs_to_der(sig, r->curve_len, der);
			sig = der;
		}
		assert_true(raw_verify(r, sig, sig_len, msg, sizeof(msg)));
	}
}

/* AUTH data made here with plain EVP and RFC 7427's bytes. */
static size_t build_auth(const struct scheme_ref *r, const char *algid,
			 const char *mgf1, int salt, const uint8_t *msg,
			 size_t len, uint8_t *auth, size_t size)
{
	uint8_t sig[1100];
	size_t off = 0, n;

	n = raw_sign(r, mgf1, salt, msg, len, sig, sizeof(sig));
	if (algid) {
		off = 1 + unhex(algid, auth + 1, size - 1);
		auth[0] = off - 1;
	}
	if (r->curve_len)
		return off + der_to_rs(sig, n, r->curve_len, auth + off);
	assert_true(off + n <= size);
	memcpy(auth + off, sig, n);
	return off + n;
}

static void test_verify_independent(void **state)
{
	uint8_t msg[200], auth[IKE_AUTH_SIG_MAX];
	size_t i, n;

	(void)state;
	assert_int_equal(RAND_bytes(msg, sizeof(msg)), 1);
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		const struct scheme_ref *r = &refs[i];
		int salt = r->pad == RSA_PKCS1_PSS_PADDING ? md_len(r->md) : 0;

		n = build_auth(r, r->algid, r->md, salt, msg, sizeof(msg),
			       auth, sizeof(auth));
		verify_ok(r, *r->cert, ike_sig_method(r->id), auth, n, msg,
			  sizeof(msg), 0);
	}
}

/* RSASSA-PSS as other implementations may write it. */
static void test_verify_pss_params(void **state)
{
	const struct scheme_ref *pss256 = &refs[3];
	uint8_t msg[64], auth[IKE_AUTH_SIG_MAX];
	char why[WHY];
	struct ike_cert *c = peer_cert(pki.sun);
	enum ike_sig_scheme used;
	size_t n;

	(void)state;
	assert_int_equal(pss256->id, IKE_SIG_RSA_PSS_SHA256);
	assert_int_equal(RAND_bytes(msg, sizeof(msg)), 1);
	/* salt 20 */
	n = build_auth(pss256, A_PSS("1", "14"), "SHA256", 20, msg,
		       sizeof(msg), auth, sizeof(auth));
	verify_ok(pss256, pki.sun, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
		  sizeof(msg), 0);
	/* no saltLength: its default, 20 */
	n = build_auth(pss256, "303c 0609 2a864886f70d01010a 302f"
		       " a00f 300d 0609 608648016503040201 0500"
		       " a11c 301a 0609 2a864886f70d010108 300d 0609"
		       " 608648016503040201 0500", "SHA256", 20, msg,
		       sizeof(msg), auth, sizeof(auth));
	verify_ok(pss256, pki.sun, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
		  sizeof(msg), 0);
	/* SHA-256 with MGF1-SHA-512 and a salt of 0 */
	n = build_auth(pss256, "3041 0609 2a864886f70d01010a 3034"
		       " a00f 300d 0609 608648016503040201 0500"
		       " a11c 301a 0609 2a864886f70d010108 300d 0609"
		       " 608648016503040203 0500 a203 0201 00", "SHA512", 0,
		       msg, sizeof(msg), auth, sizeof(auth));
	verify_ok(pss256, pki.sun, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
		  sizeof(msg), 0);
	/* the same signature claimed with a salt of 32 */
	auth[auth[0]] = 0x20;
	verify_ok(pss256, pki.sun, IKE_AUTH_DIGITAL_SIG, auth, n, msg,
		  sizeof(msg), IKE_CERT_EBADSIG);
	/* every default: SHA-1 */
	n = unhex("0f 300d 0609 2a864886f70d01010a 3000", auth, sizeof(auth));
	memset(auth + n, 0, 256);
	assert_int_equal(ike_auth_verify(c, IKE_AUTH_DIGITAL_SIG, auth, n + 256,
					 msg, sizeof(msg), &used, why,
					 sizeof(why)), IKE_CERT_EUNSUPP);
	assert_string_equal(why, "RSASSA-PSS with SHA-1 is not accepted (we accept SHA-256, SHA-384, SHA-512)");
	/* no parameters at all */
	n = unhex("0d 300b 0609 2a864886f70d01010a", auth, sizeof(auth));
	assert_int_equal(ike_auth_verify(c, IKE_AUTH_DIGITAL_SIG, auth, n + 256,
					 msg, sizeof(msg), &used, why,
					 sizeof(why)), IKE_CERT_EMALFORMED);
	ike_cert_free(c);
}

static void check_verify(X509 *x, uint8_t method, const char *hex,
			 size_t zeros, int rc, const char *why_want)
{
	uint8_t auth[IKE_AUTH_SIG_MAX] = { 0 }, msg[8] = { 0 };
	struct ike_cert *c = peer_cert(x);
	size_t n = hex ? unhex(hex, auth, sizeof(auth)) : 0;
	enum ike_sig_scheme used;
	char why[WHY] = "";

	assert_true(n + zeros <= sizeof(auth));
	assert_int_equal(ike_auth_verify(c, method, auth, n + zeros, msg,
					 sizeof(msg), &used, why, sizeof(why)),
			 rc);
	if (why_want)
		assert_string_equal(why, why_want);
	assert_int_equal(used, IKE_SIG_NONE);
	ike_cert_free(c);
}

static void test_verify_malformed(void **state)
{
	(void)state;
	check_verify(pki.sun, IKE_AUTH_DIGITAL_SIG, NULL, 0,
		     IKE_CERT_EMALFORMED,
		     "AUTH data of 0 bytes cannot hold the AlgorithmIdentifier of 0 bytes it announces");
	check_verify(pki.sun, IKE_AUTH_DIGITAL_SIG, "c8", 9,
		     IKE_CERT_EMALFORMED,
		     "AUTH data of 10 bytes cannot hold the AlgorithmIdentifier of 200 bytes it announces");
	check_verify(pki.sun, IKE_AUTH_DIGITAL_SIG, "03 3005 00", 10,
		     IKE_CERT_EMALFORMED,
		     "the AUTH data's 3-byte AlgorithmIdentifier is not DER");
	check_verify(pki.sun, IKE_AUTH_DIGITAL_SIG, "07 3005 06032a0304", 256,
		     IKE_CERT_EUNSUPP,
		     "signature algorithm 1.2.3.4 is not accepted (we accept RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-2, ECDSA with SHA-2, Ed25519)");
	check_verify(pki.sun, IKE_AUTH_DIGITAL_SIG,
		     "0f 300d 0609 2a864886f70d010105 0500", 256,
		     IKE_CERT_EUNSUPP,
		     "signature algorithm sha1WithRSAEncryption is not accepted (we accept RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-2, ECDSA with SHA-2, Ed25519)");
	check_verify(pki.sun, IKE_AUTH_DIGITAL_SIG,
		     "0f 300d 0609 2a864886f70d01010b 0500", 255,
		     IKE_CERT_EMALFORMED,
		     "the sha256WithRSAEncryption signature has 255 bytes instead of 256");
	check_verify(pki.moon, IKE_AUTH_DIGITAL_SIG,
		     "0c 300a 0608 2a8648ce3d040302 010203", 0,
		     IKE_CERT_EMALFORMED,
		     "the ECDSA signature is not a DER Ecdsa-Sig-Value");
	check_verify(pki.moon, IKE_AUTH_DIGITAL_SIG,
		     "0f 300d 0608 2a8648ce3d040302 020100", 8,
		     IKE_CERT_EMALFORMED,
		     "the AlgorithmIdentifier of ecdsa-with-SHA256 has parameters");
	check_verify(pki.ed, IKE_AUTH_DIGITAL_SIG, "07 3005 0603 2b6570", 63,
		     IKE_CERT_EMALFORMED,
		     "the Ed25519 signature has 63 bytes instead of 64");
	check_verify(pki.moon, IKE_AUTH_ECDSA_256, NULL, 63,
		     IKE_CERT_EMALFORMED,
		     "the ECDSA_256 (P-256 with SHA-256) signature has 63 bytes instead of 64");
	check_verify(pki.sun, IKE_AUTH_PSK, NULL, 32, IKE_CERT_EUNSUPP,
		     "AUTH method 2 is not one we verify with a certificate (we do 1, 9, 10, 11 and 14)");
	check_verify(pki.p384, IKE_AUTH_ECDSA_256, NULL, 64, IKE_CERT_EKEYTYPE,
		     "the AUTH is ECDSA_256 (P-256 with SHA-256), which certificate C=CH, O=strongSwan Test, CN=p384.test's ECDSA P-384 key cannot make");
	check_verify(pki.moon, IKE_AUTH_RSA_SIG, NULL, 256, IKE_CERT_EKEYTYPE,
		     NULL);
	/* well-formed, but not a signature of these octets */
	check_verify(pki.moon, IKE_AUTH_ECDSA_256, "01", 63, IKE_CERT_EBADSIG,
		     "the ECDSA_256 (P-256 with SHA-256) signature does not verify with the key of certificate C=CH, O=strongSwan Test, CN=moon.test");
}

/* ---- strongSwan's pki(1): both directions ---- */

static void run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	if (system(cmd))
		fail_msg("failed: %s", cmd);
}

/* One DER TLV at p: the length of its header and of the whole. */
static void tlv(const uint8_t *p, size_t avail, size_t *hdr, size_t *total)
{
	size_t len, i, n;

	assert_true(avail >= 2);
	if (p[1] < 0x80) {
		*hdr = 2;
		len = p[1];
	} else {
		n = p[1] & 0x7f;
		assert_true(n >= 1 && n <= 3 && avail >= 2 + n);
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		*hdr = 2 + n;
	}
	*total = *hdr + len;
	assert_true(*total <= avail);
}

struct cert_parts {
	const uint8_t *tbs, *algid, *sig;
	size_t tbs_len, algid_len, sig_len;
};

/* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, BIT STRING } */
static void cert_split(const uint8_t *der, size_t len, struct cert_parts *cp)
{
	size_t hdr, total, at;

	tlv(der, len, &hdr, &total);
	at = hdr;
	cp->tbs = der + at;
	tlv(der + at, len - at, &hdr, &cp->tbs_len);
	at += cp->tbs_len;
	cp->algid = der + at;
	tlv(der + at, len - at, &hdr, &cp->algid_len);
	at += cp->algid_len;
	tlv(der + at, len - at, &hdr, &total);
	assert_int_equal(der[at], 0x03);
	assert_int_equal(der[at + hdr], 0);	/* no unused bits */
	cp->sig = der + at + hdr + 1;
	cp->sig_len = total - hdr - 1;
}

static size_t read_all(const char *rel, uint8_t *buf, size_t size)
{
	char path[512];
	FILE *f;
	size_t n;

	path_of(rel, path, sizeof(path));
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, size, f);
	assert_true(n > 0 && n < size);
	fclose(f);
	return n;
}

static void test_pki_dn(void **state)
{
	static const char dn[] =
		"C=CH, O=strongSwan Test, OU=\xc3\x9cmlaut Dept, CN=sun.test, E=sun@test";
	uint8_t der[IKE_DN_MAX], ours[IKE_DN_MAX];
	char why[WHY], text[256];
	struct ike_cert *c;
	ssize_t n, m;

	(void)state;
	if (!pki.have_pki)
		skip();
	run("cd %s/sw && " PKI_TOOL " --gen --type ecdsa --size 256 > dnKey.der 2>/dev/null && "
	    PKI_TOOL " --self --in dnKey.der --type ecdsa --dn '%s' --san sun.test > dnCert.der 2>/dev/null",
	    pki.dir, dn);
	n = read_all("sw/dnCert.der", der, sizeof(der));
	c = ike_cert_from_der(der, n, why, sizeof(why));
	assert_non_null(c);
	n = ike_cert_subject_der(c, der, sizeof(der));
	m = ike_dn_from_text(dn, ours, sizeof(ours), why, sizeof(why));
	assert_true(n > 0);
	assert_int_equal(m, n);
	assert_memory_equal(ours, der, n);
	assert_string_equal(ike_cert_subject_text(c, text, sizeof(text)),
			    "C=CH, O=strongSwan Test, OU=??mlaut Dept, CN=sun.test, E=sun@test");
	check_id(c, IKE_ID_FQDN, "sun.test", 8, 0, NULL);
	ike_cert_free(c);
}

/*
 * strongSwan signs its certificates with signature_params_build()'s
 * AlgorithmIdentifiers: each must be the one we send, and its signature
 * over the TBSCertificate must verify as AUTH data.
 */
static void pki_signed(const char *key, const char *type, const char *opts,
		       enum ike_sig_scheme want)
{
	uint8_t der[4096], auth[IKE_AUTH_SIG_MAX + 16], ours[IKE_AUTH_SIG_MAX];
	uint8_t msg[4] = { 0 };
	struct ike_local_cred *lc = NULL;
	enum ike_sig_scheme used;
	struct cert_parts cp;
	char why[WHY];
	struct ike_cert *c;
	ssize_t n;

	run("cd %s/sw && " PKI_TOOL " --self --in %s --type %s --dn 'CN=pki' %s > self.der 2>/dev/null",
	    pki.dir, key, type, opts);
	n = read_all("sw/self.der", der, sizeof(der));
	cert_split(der, n, &cp);
	c = ike_cert_from_der(der, n, why, sizeof(why));
	assert_non_null(c);
	auth[0] = cp.algid_len;
	memcpy(auth + 1, cp.algid, cp.algid_len);
	memcpy(auth + 1 + cp.algid_len, cp.sig, cp.sig_len);
	n = 1 + cp.algid_len + cp.sig_len;
	if (ike_auth_verify(c, IKE_AUTH_DIGITAL_SIG, auth, n, cp.tbs,
			    cp.tbs_len, &used, why, sizeof(why)))
		fail_msg("%s %s: %s", type, opts, why);
	assert_int_equal(used, want);
	ike_cert_free(c);

	/* byte for byte our AlgorithmIdentifier for that scheme */
	if (want == IKE_SIG_ED25519)
		lc = pki.c_ed;
	else if (!strcmp(type, "rsa"))
		lc = pki.c_sun;
	else
		lc = pki.c_moon;
	n = ike_auth_sign(lc, want, msg, sizeof(msg), ours, sizeof(ours));
	assert_true(n > 0);
	assert_int_equal(ours[0], cp.algid_len);
	assert_memory_equal(ours + 1, cp.algid, cp.algid_len);
}

static void test_pki_signs(void **state)
{
	(void)state;
	if (!pki.have_pki)
		skip();
	run("cd %s/sw && " PKI_TOOL " --gen --type rsa --size 2048 > rsa.der 2>/dev/null && "
	    PKI_TOOL " --gen --type ecdsa --size 256 > ec.der 2>/dev/null && "
	    PKI_TOOL " --gen --type ed25519 > ed.der 2>/dev/null", pki.dir);
	pki_signed("rsa.der", "rsa", "--rsa-padding pss --digest sha256",
		   IKE_SIG_RSA_PSS_SHA256);
	pki_signed("rsa.der", "rsa", "--rsa-padding pss --digest sha384",
		   IKE_SIG_RSA_PSS_SHA384);
	pki_signed("rsa.der", "rsa", "--rsa-padding pss --digest sha512",
		   IKE_SIG_RSA_PSS_SHA512);
	pki_signed("rsa.der", "rsa", "--rsa-padding pkcs1 --digest sha256",
		   IKE_SIG_RSA_SHA256);
	pki_signed("rsa.der", "rsa", "--rsa-padding pkcs1 --digest sha384",
		   IKE_SIG_RSA_SHA384);
	pki_signed("rsa.der", "rsa", "--rsa-padding pkcs1 --digest sha512",
		   IKE_SIG_RSA_SHA512);
	pki_signed("ec.der", "ecdsa", "--digest sha256", IKE_SIG_ECDSA_SHA256);
	pki_signed("ec.der", "ecdsa", "--digest sha384", IKE_SIG_ECDSA_SHA384);
	pki_signed("ec.der", "ecdsa", "--digest sha512", IKE_SIG_ECDSA_SHA512);
	pki_signed("ed.der", "ed25519", "", IKE_SIG_ED25519);
}

static size_t der_header(uint8_t tag, size_t len, uint8_t *out)
{
	out[0] = tag;
	if (len < 0x80) {
		out[1] = len;
		return 2;
	}
	if (len < 0x100) {
		out[1] = 0x81;
		out[2] = len;
		return 3;
	}
	out[1] = 0x82;
	out[2] = len >> 8;
	out[3] = len;
	return 4;
}

/*
 * A certificate whose signature ike_auth_sign() made: the TBS carries the
 * scheme's AlgorithmIdentifier, the issuer is a CA of the signing key.
 */
static size_t our_signed(const struct scheme_ref *r, X509 *issuer,
			 uint8_t *out, size_t size)
{
	const struct spec s = { "strongSwan Test", "signed.test", NULL, NULL,
				false, NULL, NULL };
	X509 *x = cert_unsigned(&s, pki.misc_key, issuer);
	uint8_t auth[IKE_AUTH_SIG_MAX], algid[80], *tbs = NULL, body[4096];
	const uint8_t *p = algid;
	X509_ALGOR *alg;
	size_t alen = HEX(r->algid, algid), blen, hlen;
	int tbs_len;
	ssize_t n;

	alg = d2i_X509_ALGOR(NULL, &p, alen);
	assert_non_null(alg);
	assert_true(X509_ALGOR_copy((X509_ALGOR *)X509_get0_tbs_sigalg(x),
				    alg));
	X509_ALGOR_free(alg);
	tbs_len = i2d_re_X509_tbs(x, &tbs);
	assert_true(tbs_len > 0);
	n = ike_auth_sign(*r->lc, r->id, tbs, tbs_len, auth, sizeof(auth));
	assert_true(n > 0);
	/* tbs | algid | BIT STRING { 0 unused bits | signature } */
	memcpy(body, tbs, tbs_len);
	blen = tbs_len;
	memcpy(body + blen, auth + 1, auth[0]);
	blen += auth[0];
	blen += der_header(0x03, n - auth[0], body + blen);
	body[blen++] = 0;
	memcpy(body + blen, auth + 1 + auth[0], n - 1 - auth[0]);
	blen += n - 1 - auth[0];
	hlen = der_header(0x30, blen, out);
	assert_true(hlen + blen <= size);
	memcpy(out + hlen, body, blen);
	OPENSSL_free(tbs);
	X509_free(x);
	return hlen + blen;
}

static void test_pki_verifies(void **state)
{
	uint8_t der[4096];
	size_t i, n;

	(void)state;
	if (!pki.have_pki)
		skip();
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		const struct scheme_ref *r = &refs[i];
		X509 *issuer;

		if (!r->algid)
			continue;	/* no AlgorithmIdentifier: not in X.509 */
		issuer = ca("strongSwan Test", ike_sig_name(r->id), *r->key,
			    NULL, NULL);
		write_cert("sw/issuer.der", issuer, false);
		n = our_signed(r, issuer, der, sizeof(der));
		write_file("sw/signed.der", der, n);
		run("cd %s/sw && " PKI_TOOL " --verify --in signed.der --cacert issuer.der >/dev/null 2>&1",
		    pki.dir);
		/* and pki does check: one bit off must fail */
		der[n - 3] ^= 1;
		write_file("sw/signed.der", der, n);
		run("cd %s/sw && ! " PKI_TOOL " --verify --in signed.der --cacert issuer.der >/dev/null 2>&1",
		    pki.dir);
		X509_free(issuer);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cert_load),
		cmocka_unit_test(test_cert_from_der),
		cmocka_unit_test(test_key_search),
		cmocka_unit_test(test_key_named),
		cmocka_unit_test(test_key_missing),
		cmocka_unit_test(test_key_unusable),
		cmocka_unit_test(test_dn_text),
		cmocka_unit_test(test_dn_from_text),
		cmocka_unit_test(test_id_san),
		cmocka_unit_test(test_id_dn),
		cmocka_unit_test(test_id_dirname),
		cmocka_unit_test(test_chain_good),
		cmocka_unit_test(test_chain_dates),
		cmocka_unit_test(test_chain_wrong_ca),
		cmocka_unit_test(test_chain_intermediate),
		cmocka_unit_test(test_chain_constraints),
		cmocka_unit_test(test_certreq),
		cmocka_unit_test(test_sig_hashes),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_choose_rsa_large),
		cmocka_unit_test(test_choose_classic),
		cmocka_unit_test(test_choose_none),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_sign_refused),
		cmocka_unit_test(test_sign_bytes),
		cmocka_unit_test(test_verify_independent),
		cmocka_unit_test(test_verify_pss_params),
		cmocka_unit_test(test_verify_malformed),
		cmocka_unit_test(test_pki_dn),
		cmocka_unit_test(test_pki_signs),
		cmocka_unit_test(test_pki_verifies),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
