// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate authentication on OpenSSL 3 (see cert.h). Parsing, chain
 * validation and signatures are OpenSSL's; what is ours is the choice of
 * algorithm (strongSwan's, so that both ends agree), the byte layout of
 * the AUTH data (RFC 7427, RFC 4754) and the sentences that say why.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "../kipsec.h"
#include "cert.h"

#define FILE_MAX	(1 << 20)	/* no certificate or key is larger */
#define PATH_LEN	4096
#define DN_TEXT		512		/* a DN for a message */
#define LIST_TEXT	1024		/* several of them */
#define RSA_MIN_BITS	2048		/* RFC 8247 section 4.1 */
#define RSA_MAX_BITS	8192		/* what IKE_AUTH_SIG_MAX holds */
#define SIG_MAX		(RSA_MAX_BITS / 8)	/* any signature we make */
#define ED25519_SIG_LEN	64

const char *ike_cert_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case IKE_CERT_EINVAL:
		return "invalid argument";
	case IKE_CERT_EFAIL:
		return "cryptographic library failure";
	case IKE_CERT_EBADSIG:
		return "the signature does not verify";
	case IKE_CERT_EUNSUPP:
		return "unsupported algorithm or identity";
	case IKE_CERT_EMALFORMED:
		return "malformed data";
	case IKE_CERT_EKEYTYPE:
		return "the algorithm does not fit the key";
	case IKE_CERT_EUNTRUSTED:
		return "the certificate chain does not validate";
	case IKE_CERT_EID:
		return "the identity is not the certificate's";
	}
	return "unknown error";
}

/* ---- text ---- */

/* snprintf at the end of buf; once buf is full, further calls do nothing. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len)
		*len = size;
	else
		*len += n;
}

/* Bytes from the wire or a certificate, with '?' for what is not ASCII. */
static void append_printable(char *buf, size_t size, size_t *len,
			     const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		append(buf, size, len, "%c",
		       p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?');
}

static const char *time_text(const ASN1_TIME *t, char *buf, size_t size)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, size, "(an invalid time)");
	return buf;
}

/* ---- distinguished names ---- */

/*
 * strongSwan's attribute names and the string type it encodes each in
 * (libstrongswan's x501rdns), those OpenSSL knows. The first name of a
 * NID is the one we print.
 */
struct rdn_name {
	const char *name;
	int nid;
	int type;
};

static const struct rdn_name rdn_names[] = {
	{ "UID", NID_userId, V_ASN1_PRINTABLESTRING },
	{ "DC", NID_domainComponent, V_ASN1_PRINTABLESTRING },
	{ "CN", NID_commonName, V_ASN1_PRINTABLESTRING },
	{ "S", NID_surname, V_ASN1_PRINTABLESTRING },
	{ "SN", NID_serialNumber, V_ASN1_PRINTABLESTRING },
	{ "serialNumber", NID_serialNumber, V_ASN1_PRINTABLESTRING },
	{ "C", NID_countryName, V_ASN1_PRINTABLESTRING },
	{ "L", NID_localityName, V_ASN1_PRINTABLESTRING },
	{ "ST", NID_stateOrProvinceName, V_ASN1_PRINTABLESTRING },
	{ "O", NID_organizationName, V_ASN1_PRINTABLESTRING },
	{ "OU", NID_organizationalUnitName, V_ASN1_PRINTABLESTRING },
	{ "T", NID_title, V_ASN1_PRINTABLESTRING },
	{ "D", NID_description, V_ASN1_PRINTABLESTRING },
	{ "N", NID_name, V_ASN1_PRINTABLESTRING },
	{ "G", NID_givenName, V_ASN1_PRINTABLESTRING },
	{ "I", NID_initials, V_ASN1_PRINTABLESTRING },
	{ "dnQualifier", NID_dnQualifier, V_ASN1_PRINTABLESTRING },
	{ "ID", NID_x500UniqueIdentifier, V_ASN1_PRINTABLESTRING },
	{ "E", NID_pkcs9_emailAddress, V_ASN1_IA5STRING },
	{ "Email", NID_pkcs9_emailAddress, V_ASN1_IA5STRING },
	{ "emailAddress", NID_pkcs9_emailAddress, V_ASN1_IA5STRING },
	{ "UN", NID_pkcs9_unstructuredName, V_ASN1_IA5STRING },
	{ "unstructuredName", NID_pkcs9_unstructuredName, V_ASN1_IA5STRING },
	{ "UA", NID_pkcs9_unstructuredAddress, V_ASN1_PRINTABLESTRING },
	{ "unstructuredAddress", NID_pkcs9_unstructuredAddress,
	  V_ASN1_PRINTABLESTRING },
};

static void append_attr_name(char *buf, size_t size, size_t *len,
			     const ASN1_OBJECT *obj)
{
	int nid = OBJ_obj2nid(obj);
	char oid[80];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rdn_names); i++) {
		if (rdn_names[i].nid == nid) {
			append(buf, size, len, "%s", rdn_names[i].name);
			return;
		}
	}
	OBJ_obj2txt(oid, sizeof(oid), obj, 1);
	append(buf, size, len, "%s", oid);
}

static void append_attr_value(char *buf, size_t size, size_t *len,
			      const ASN1_STRING *v)
{
	unsigned char *utf8 = NULL;
	int n = ASN1_STRING_to_UTF8(&utf8, v);

	if (n < 0) {
		append(buf, size, len, "(unreadable)");
		return;
	}
	append_printable(buf, size, len, utf8, n);
	OPENSSL_free(utf8);
}

/* As strongSwan prints a DN: every attribute in order, ", " between. */
static const char *name_text(const X509_NAME *n, char *buf, size_t size)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < X509_NAME_entry_count(n); i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);

		append(buf, size, &len, "%s", i ? ", " : "");
		append_attr_name(buf, size, &len, X509_NAME_ENTRY_get_object(e));
		append(buf, size, &len, "=");
		append_attr_value(buf, size, &len, X509_NAME_ENTRY_get_data(e));
	}
	return buf;
}

static ssize_t name_der(const X509_NAME *n, uint8_t *buf, size_t size)
{
	int len = i2d_X509_NAME(n, NULL);

	if (len <= 0)
		return IKE_CERT_EFAIL;
	if ((size_t)len > size)
		return IKE_CERT_EINVAL;
	i2d_X509_NAME(n, &buf);
	return len;
}

/* NULL unless der is exactly one DER Name. */
static X509_NAME *name_parse(const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	X509_NAME *n = d2i_X509_NAME(NULL, &p, len);

	if (n && p != der + len) {
		X509_NAME_free(n);
		n = NULL;
	}
	ERR_clear_error();
	return n;
}

const char *ike_dn_text(const uint8_t *der, size_t len, char *buf,
			size_t size)
{
	X509_NAME *n = name_parse(der, len);

	if (!n) {
		snprintf(buf, size, "(invalid ID_DER_ASN1_DN)");
		return buf;
	}
	name_text(n, buf, size);
	X509_NAME_free(n);
	return buf;
}

static const struct rdn_name *rdn_by_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rdn_names); i++)
		if (strlen(rdn_names[i].name) == len &&
		    !strncasecmp(rdn_names[i].name, s, len))
			return &rdn_names[i];
	return NULL;
}

/* X.680's PrintableString alphabet. */
static bool printable(const char *s, size_t len)
{
	static const char extra[] = " '()+,-./:=?";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (!(c < 0x80 && isalnum(c)) && !(c && strchr(extra, c)))
			return false;
	}
	return true;
}

static bool ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] > 0x7f)
			return false;
	return true;
}

/* strongSwan's choice, so that our DN encodes as the peer's does. */
static int rdn_type(const struct rdn_name *r, const char *v, size_t len)
{
	if (r->type == V_ASN1_PRINTABLESTRING && !printable(v, len))
		return V_ASN1_UTF8STRING;
	if (r->type == V_ASN1_IA5STRING && !ascii(v, len))
		return V_ASN1_UTF8STRING;
	return r->type;
}

/* s..end without the blanks around it. */
static const char *trim(const char *s, const char *end, size_t *len)
{
	while (s < end && isblank((unsigned char)*s))
		s++;
	while (end > s && isblank((unsigned char)end[-1]))
		end--;
	*len = end - s;
	return s;
}

/* One "key=value" of a DN, s..end. */
static int add_rdn(X509_NAME *n, const char *s, const char *end, char *why,
		   size_t size)
{
	const char *eq = memchr(s, '=', end - s);
	const struct rdn_name *r;
	const char *k, *v;
	size_t klen, vlen;

	if (!eq) {
		k = trim(s, end, &klen);
		snprintf(why, size, "'%.*s' has no '=' (a DN is written C=CH, O=..., CN=...)",
			 (int)klen, k);
		return -1;
	}
	k = trim(s, eq, &klen);
	v = trim(eq + 1, end, &vlen);
	r = rdn_by_name(k, klen);
	if (!r) {
		snprintf(why, size, "unknown DN attribute '%.*s' (we know C, ST, L, O, OU, CN, E, SN, S, G, I, T, D, N, DC, UID, dnQualifier, ID, UN, UA)",
			 (int)klen, k);
		return -1;
	}
	if (!X509_NAME_add_entry_by_NID(n, r->nid, rdn_type(r, v, vlen),
					(const unsigned char *)v, vlen, -1, 0)) {
		snprintf(why, size, "cannot encode %.*s=%.*s", (int)klen, k,
			 (int)vlen, v);
		return -1;
	}
	return 0;
}

ssize_t ike_dn_from_text(const char *s, uint8_t *der, size_t size, char *why,
			 size_t wsize)
{
	X509_NAME *n = X509_NAME_new();
	const char *text = s, *end;
	char sep = ',';
	ssize_t len = -1;
	size_t blank;

	if (!n) {
		snprintf(why, wsize, "out of memory");
		return -1;
	}
	if (*s == '/')
		sep = *s++;
	for (; *s; s = *end ? end + 1 : end) {
		end = strchrnul(s, sep);
		trim(s, end, &blank);
		if (blank && add_rdn(n, s, end, why, wsize))
			goto out;
	}
	if (!X509_NAME_entry_count(n)) {
		snprintf(why, wsize, "'%s' is not a DN: it has no attribute",
			 text);
		goto out;
	}
	len = name_der(n, der, size);
	if (len < 0) {
		snprintf(why, wsize, "DN '%s' is longer than %zu bytes", text,
			 size);
		len = -1;
	}
out:
	X509_NAME_free(n);
	ERR_clear_error();
	return len;
}

/* ---- files ---- */

struct blob {
	uint8_t *p;
	size_t len;
};

/* dir/path, or path when it is absolute. false if it does not fit. */
static bool resolve(const char *dir, const char *path, char *out, size_t size)
{
	int n;

	if (path[0] == '/')
		n = snprintf(out, size, "%s", path);
	else
		n = snprintf(out, size, "%s/%s", dir, path);
	return n >= 0 && (size_t)n < size;
}

static int read_file(const char *path, struct blob *b, char *why, size_t size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	int rc = -1;

	b->p = NULL;
	b->len = 0;
	if (!f) {
		snprintf(why, size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, size, "%s is not a regular file", path);
	} else if (st.st_size == 0) {
		snprintf(why, size, "%s is empty", path);
	} else if (st.st_size > FILE_MAX) {
		snprintf(why, size, "%s has %lld bytes, more than any certificate or key",
			 path, (long long)st.st_size);
	} else if (!(b->p = OPENSSL_malloc(st.st_size))) {
		snprintf(why, size, "out of memory");
	} else if (fread(b->p, 1, st.st_size, f) != (size_t)st.st_size) {
		snprintf(why, size, "cannot read %s: %s", path,
			 ferror(f) ? strerror(errno) : "it shrank");
	} else {
		b->len = st.st_size;
		rc = 0;
	}
	fclose(f);
	if (rc) {
		OPENSSL_free(b->p);
		b->p = NULL;
	}
	return rc;
}

/* Wiped: the blob may hold a private key. */
static void blob_free(struct blob *b)
{
	OPENSSL_clear_free(b->p, b->len);
	b->p = NULL;
	b->len = 0;
}

static bool is_pem(const struct blob *b)
{
	return memmem(b->p, b->len, "-----BEGIN ", 11) != NULL;
}

/* ---- certificates ---- */

struct ike_cert {
	X509 *x;
	uint8_t *der;		/* what our CERT payload carries */
	size_t der_len;
};

void ike_cert_free(struct ike_cert *c)
{
	if (!c)
		return;
	X509_free(c->x);
	OPENSSL_free(c->der);
	free(c);
}

/* Takes x, which is freed on failure. */
static struct ike_cert *cert_wrap(X509 *x)
{
	struct ike_cert *c = calloc(1, sizeof(*c));
	int n;

	if (!c) {
		X509_free(x);
		return NULL;
	}
	c->x = x;
	n = i2d_X509(x, &c->der);
	if (n <= 0) {
		ike_cert_free(c);
		return NULL;
	}
	c->der_len = n;
	return c;
}

/* NULL unless der is exactly one DER certificate. */
static X509 *x509_from_der(const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	X509 *x = d2i_X509(NULL, &p, len);

	if (x && p != der + len) {
		X509_free(x);
		x = NULL;
	}
	return x;
}

static X509 *x509_parse(const struct blob *b)
{
	X509 *x = NULL;
	BIO *bio;

	if (!is_pem(b))
		return x509_from_der(b->p, b->len);
	bio = BIO_new_mem_buf(b->p, b->len);
	if (bio)
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

struct ike_cert *ike_cert_load(const char *dir, const char *path, char *why,
			       size_t size)
{
	struct ike_cert *c = NULL;
	char full[PATH_LEN];
	struct blob b;
	X509 *x;

	if (!resolve(dir, path, full, sizeof(full))) {
		snprintf(why, size, "the path of certificate %s is too long",
			 path);
		return NULL;
	}
	if (read_file(full, &b, why, size))
		return NULL;
	x = x509_parse(&b);
	blob_free(&b);
	ERR_clear_error();
	if (!x)
		snprintf(why, size, "%s is neither a PEM nor a DER X.509 certificate",
			 full);
	else if (!(c = cert_wrap(x)))
		snprintf(why, size, "out of memory");
	return c;
}

struct ike_cert *ike_cert_from_der(const uint8_t *der, size_t len, char *why,
				   size_t size)
{
	struct ike_cert *c = NULL;
	X509 *x = x509_from_der(der, len);

	ERR_clear_error();
	if (!x)
		snprintf(why, size, "the CERT payload's %zu bytes are not one DER X.509 certificate",
			 len);
	else if (!(c = cert_wrap(x)))
		snprintf(why, size, "out of memory");
	return c;
}

const uint8_t *ike_cert_der(const struct ike_cert *c, size_t *len)
{
	*len = c->der_len;
	return c->der;
}

const char *ike_cert_subject_text(const struct ike_cert *c, char *buf,
				  size_t size)
{
	return name_text(X509_get_subject_name(c->x), buf, size);
}

ssize_t ike_cert_subject_der(const struct ike_cert *c, uint8_t *buf,
			     size_t size)
{
	return name_der(X509_get_subject_name(c->x), buf, size);
}

/* ---- identities ---- */

static bool mem_caseeq(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return false;
	return true;
}

/* Whether one subjectAltName is the identity (or, for GEN_DIRNAME, dn). */
static bool san_is(const GENERAL_NAME *g, int type, const uint8_t *id,
		   size_t len, const X509_NAME *dn)
{
	const ASN1_STRING *s;

	if (g->type != type)
		return false;
	switch (type) {
	case GEN_DNS:
	case GEN_EMAIL:
		s = g->d.ia5;
		return (size_t)ASN1_STRING_length(s) == len &&
		       mem_caseeq(ASN1_STRING_get0_data(s), id, len);
	case GEN_IPADD:
		s = g->d.ip;
		return (size_t)ASN1_STRING_length(s) == len &&
		       !memcmp(ASN1_STRING_get0_data(s), id, len);
	case GEN_DIRNAME:
		return !X509_NAME_cmp(g->d.dirn, dn);
	}
	return false;
}

static bool sans_have(const GENERAL_NAMES *sans, int type, const uint8_t *id,
		      size_t len, const X509_NAME *dn)
{
	int i;

	for (i = 0; i < sk_GENERAL_NAME_num(sans); i++)
		if (san_is(sk_GENERAL_NAME_value(sans, i), type, id, len, dn))
			return true;
	return false;
}

static void append_ip(char *buf, size_t size, size_t *len, const uint8_t *p,
		      size_t n)
{
	struct addr a = { 0 };
	char text[ADDR_STRLEN];

	if (n != 4 && n != 16) {
		append(buf, size, len, "IP:(%zu bytes)", n);
		return;
	}
	a.family = n == 4 ? AF_INET : AF_INET6;
	memcpy(a.bytes, p, n);
	append(buf, size, len, "IP:%s", format_addr(&a, text, sizeof(text)));
}

/* As OpenSSL and strongSwan's pki name them: DNS:, email:, IP:... */
static void append_san(char *buf, size_t size, size_t *len,
		       const GENERAL_NAME *g)
{
	char dn[DN_TEXT];

	switch (g->type) {
	case GEN_DNS:
	case GEN_EMAIL:
	case GEN_URI:
		append(buf, size, len, "%s:", g->type == GEN_DNS ? "DNS" :
		       g->type == GEN_EMAIL ? "email" : "URI");
		append_printable(buf, size, len,
				 ASN1_STRING_get0_data(g->d.ia5),
				 ASN1_STRING_length(g->d.ia5));
		break;
	case GEN_IPADD:
		append_ip(buf, size, len, ASN1_STRING_get0_data(g->d.ip),
			  ASN1_STRING_length(g->d.ip));
		break;
	case GEN_DIRNAME:
		append(buf, size, len, "dirName:%s",
		       name_text(g->d.dirn, dn, sizeof(dn)));
		break;
	default:
		append(buf, size, len, "(a name of type %d)", g->type);
	}
}

static void append_sans(char *buf, size_t size, size_t *len,
			const GENERAL_NAMES *sans)
{
	int i, n = sk_GENERAL_NAME_num(sans);

	if (n <= 0)
		append(buf, size, len, "none");
	for (i = 0; i < n; i++) {
		append(buf, size, len, "%s", i ? ", " : "");
		append_san(buf, size, len, sk_GENERAL_NAME_value(sans, i));
	}
}

static int dn_check(const X509 *x, const GENERAL_NAMES *sans,
		    const uint8_t *id, size_t len, char *why, size_t size)
{
	X509_NAME *n = name_parse(id, len);
	char a[DN_TEXT], b[DN_TEXT];
	int rc = 0;

	if (!n) {
		snprintf(why, size, "the ID_DER_ASN1_DN's %zu bytes are not a DER distinguished name",
			 len);
		return IKE_CERT_EMALFORMED;
	}
	if (X509_NAME_cmp(n, X509_get_subject_name(x)) &&
	    !sans_have(sans, GEN_DIRNAME, NULL, 0, n)) {
		snprintf(why, size, "identity %s is not the subject of certificate %s",
			 name_text(n, a, sizeof(a)),
			 name_text(X509_get_subject_name(x), b, sizeof(b)));
		rc = IKE_CERT_EID;
	}
	X509_NAME_free(n);
	return rc;
}

/* The subjectAltName type an ID type is found as; -1 for none. */
static int san_type(uint8_t id_type)
{
	switch (id_type) {
	case IKE_ID_FQDN:
		return GEN_DNS;
	case IKE_ID_RFC822_ADDR:
		return GEN_EMAIL;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		return GEN_IPADD;
	}
	return -1;
}

static bool id_len_ok(uint8_t type, size_t len)
{
	if (type == IKE_ID_IPV4_ADDR)
		return len == 4;
	if (type == IKE_ID_IPV6_ADDR)
		return len == 16;
	return len > 0;
}

static int san_check(const X509 *x, const GENERAL_NAMES *sans, uint8_t type,
		     const uint8_t *id, size_t len, char *why, size_t size)
{
	int gen = san_type(type);
	char dn[DN_TEXT];
	size_t n = 0;

	if (sans_have(sans, gen, id, len, NULL))
		return 0;
	append(why, size, &n, "certificate %s has no subjectAltName ",
	       name_text(X509_get_subject_name(x), dn, sizeof(dn)));
	if (gen == GEN_IPADD) {
		append_ip(why, size, &n, id, len);
	} else {
		append(why, size, &n, "%s:", gen == GEN_DNS ? "DNS" : "email");
		append_printable(why, size, &n, id, len);
	}
	append(why, size, &n, " (it has ");
	append_sans(why, size, &n, sans);
	append(why, size, &n, ")");
	return IKE_CERT_EID;
}

int ike_cert_id_check(const struct ike_cert *c, uint8_t type,
		      const uint8_t *id, size_t len, char *why, size_t size)
{
	GENERAL_NAMES *sans;
	int rc;

	if (type != IKE_ID_DER_ASN1_DN && san_type(type) < 0) {
		snprintf(why, size, "an identity of type %u cannot be checked against a certificate: we do DNs, FQDNs, RFC 822 and IP addresses",
			 type);
		return IKE_CERT_EUNSUPP;
	}
	if (!id_len_ok(type, len)) {
		snprintf(why, size, "an identity of type %u cannot have %zu bytes",
			 type, len);
		return IKE_CERT_EMALFORMED;
	}
	sans = X509_get_ext_d2i(c->x, NID_subject_alt_name, NULL, NULL);
	if (type == IKE_ID_DER_ASN1_DN)
		rc = dn_check(c->x, sans, id, len, why, size);
	else
		rc = san_check(c->x, sans, type, id, len, why, size);
	GENERAL_NAMES_free(sans);
	ERR_clear_error();
	return rc;
}

/* ---- keys ---- */

enum key_kind {
	KEY_OTHER,
	KEY_RSA,
	KEY_ECDSA,
	KEY_ED25519,
};

struct curve {
	const char *group;	/* OpenSSL's name */
	const char *name;
	int bits;
};

static const struct curve curves[] = {
	{ "prime256v1", "P-256", 256 },
	{ "secp384r1", "P-384", 384 },
	{ "secp521r1", "P-521", 521 },
};

static enum key_kind key_kind(const EVP_PKEY *k)
{
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_RSA:
		return KEY_RSA;
	case EVP_PKEY_EC:
		return KEY_ECDSA;
	case EVP_PKEY_ED25519:
		return KEY_ED25519;
	}
	return KEY_OTHER;
}

/* One of ours, or NULL for an EC key on another curve (or not EC). */
static const struct curve *key_curve(const EVP_PKEY *k)
{
	char group[64];
	size_t i;

	if (key_kind(k) != KEY_ECDSA ||
	    !EVP_PKEY_get_group_name(k, group, sizeof(group), NULL))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(curves); i++)
		if (!strcmp(curves[i].group, group) ||
		    !strcmp(curves[i].name, group))
			return &curves[i];
	return NULL;
}

/* What the schemes' key sizes compare with: modulus or curve bits. */
static int key_bits(const EVP_PKEY *k)
{
	const struct curve *c = key_curve(k);

	return c ? c->bits : EVP_PKEY_get_bits(k);
}

/* "RSA 3072-bit", "ECDSA P-256", "Ed25519", for messages. */
static const char *key_text(const EVP_PKEY *k, char *buf, size_t size)
{
	const struct curve *c = key_curve(k);
	const char *name;
	char group[32];

	switch (key_kind(k)) {
	case KEY_RSA:
		snprintf(buf, size, "RSA %d-bit", EVP_PKEY_get_bits(k));
		break;
	case KEY_ECDSA:
		if (c)
			snprintf(buf, size, "ECDSA %s", c->name);
		else if (EVP_PKEY_get_group_name(k, group, sizeof(group), NULL))
			snprintf(buf, size, "ECDSA %s", group);
		else
			snprintf(buf, size, "ECDSA");
		break;
	case KEY_ED25519:
		snprintf(buf, size, "Ed25519");
		break;
	default:
		name = OBJ_nid2sn(EVP_PKEY_get_base_id(k));
		snprintf(buf, size, "%s", name ? name : "unknown type");
	}
	return buf;
}

/* Whether we sign with such a key; what names the key for why. */
static int key_usable(const EVP_PKEY *k, const char *what, char *why,
		      size_t size)
{
	char t[64];
	int bits;

	switch (key_kind(k)) {
	case KEY_RSA:
		bits = EVP_PKEY_get_bits(k);
		if (bits >= RSA_MIN_BITS && bits <= RSA_MAX_BITS)
			return 0;
		snprintf(why, size, "%s has an RSA key of %d bits: we sign with %d to %d",
			 what, bits, RSA_MIN_BITS, RSA_MAX_BITS);
		return IKE_CERT_EUNSUPP;
	case KEY_ECDSA:
		if (key_curve(k))
			return 0;
		break;
	case KEY_ED25519:
		return 0;
	case KEY_OTHER:
		break;
	}
	snprintf(why, size, "%s has a key we cannot sign with (%s): we sign with RSA, ECDSA on P-256, P-384 or P-521, and Ed25519",
		 what, key_text(k, t, sizeof(t)));
	return IKE_CERT_EUNSUPP;
}

/* A PEM passphrase prompt would block the daemon: refuse instead. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* PKCS#1, SEC 1 or PKCS#8, PEM or DER. */
static EVP_PKEY *key_parse(const struct blob *b)
{
	const uint8_t *p = b->p;
	EVP_PKEY *k = NULL;
	BIO *bio;

	if (!is_pem(b)) {
		k = d2i_AutoPrivateKey(NULL, &p, b->len);
	} else {
		bio = BIO_new_mem_buf(b->p, b->len);
		if (bio)
			k = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
						    NULL);
		BIO_free(bio);
	}
	ERR_clear_error();
	return k;
}

static EVP_PKEY *key_load(const char *path, char *why, size_t size)
{
	struct blob b;
	EVP_PKEY *k;

	if (read_file(path, &b, why, size))
		return NULL;
	k = key_parse(&b);
	if (!k)
		snprintf(why, size, "%s is not a private key we can read (PKCS#1, SEC 1 or PKCS#8, PEM or DER, not encrypted)",
			 path);
	blob_free(&b);
	return k;
}

static EVP_PKEY *key_named(const char *base, const char *path,
			   EVP_PKEY *pub, const char *cert_dn, char *why,
			   size_t size)
{
	char dir[PATH_LEN], full[PATH_LEN];
	EVP_PKEY *k;

	if (!resolve(base, IKE_KEY_DIR, dir, sizeof(dir)) ||
	    !resolve(dir, path, full, sizeof(full))) {
		snprintf(why, size, "the path of private key %s is too long",
			 path);
		return NULL;
	}
	k = key_load(full, why, size);
	if (k && EVP_PKEY_eq(k, pub) != 1) {
		snprintf(why, size, "private key %s is not the key of certificate %s",
			 full, cert_dn);
		EVP_PKEY_free(k);
		k = NULL;
	}
	ERR_clear_error();
	return k;
}

static bool regular_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The key in dir whose public half is pub; tried counts the files read. */
static EVP_PKEY *key_in_dir(const char *dir, EVP_PKEY *pub, int *tried)
{
	struct dirent **ents;
	char path[PATH_LEN], ignored[256];
	EVP_PKEY *k, *found = NULL;
	int i, n = scandir(dir, &ents, NULL, alphasort);

	for (i = 0; i < n; i++) {
		if (!found && ents[i]->d_name[0] != '.' &&
		    resolve(dir, ents[i]->d_name, path, sizeof(path)) &&
		    regular_file(path)) {
			(*tried)++;
			k = key_load(path, ignored, sizeof(ignored));
			if (k && EVP_PKEY_eq(k, pub) == 1)
				found = k;
			else
				EVP_PKEY_free(k);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	ERR_clear_error();
	return found;
}

/* swanctl's key directories, in the order it loads them. */
static const char *const key_dirs[] = { "private", "rsa", "ecdsa", "pkcs8" };

static EVP_PKEY *key_search(const char *base, EVP_PKEY *pub,
			    const char *cert_dn, char *why, size_t size)
{
	char dir[PATH_LEN];
	EVP_PKEY *k = NULL;
	int tried = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(key_dirs) && !k; i++)
		if (resolve(base, key_dirs[i], dir, sizeof(dir)))
			k = key_in_dir(dir, pub, &tried);
	if (!k)
		snprintf(why, size, "no private key in %s/{private,rsa,ecdsa,pkcs8} is the key of certificate %s (%d files tried)",
			 base, cert_dn, tried);
	return k;
}

struct ike_local_cred {
	struct ike_cert *cert;
	EVP_PKEY *key;
};

void ike_local_cred_free(struct ike_local_cred *lc)
{
	if (!lc)
		return;
	ike_cert_free(lc->cert);
	EVP_PKEY_free(lc->key);
	free(lc);
}

struct ike_local_cred *ike_local_cred_load(const char *base, const char *cert,
					   const char *key, char *why,
					   size_t size)
{
	struct ike_local_cred *lc = calloc(1, sizeof(*lc));
	char dir[PATH_LEN], dn[DN_TEXT], what[DN_TEXT + 16];
	EVP_PKEY *pub;

	if (!lc) {
		snprintf(why, size, "out of memory");
		return NULL;
	}
	if (!resolve(base, IKE_CERT_DIR, dir, sizeof(dir))) {
		snprintf(why, size, "base directory %s is too long", base);
		goto fail;
	}
	lc->cert = ike_cert_load(dir, cert, why, size);
	if (!lc->cert)
		goto fail;
	pub = X509_get0_pubkey(lc->cert->x);
	ike_cert_subject_text(lc->cert, dn, sizeof(dn));
	snprintf(what, sizeof(what), "certificate %s", dn);
	if (!pub) {
		snprintf(why, size, "%s has a public key OpenSSL cannot read",
			 what);
		goto fail;
	}
	if (key_usable(pub, what, why, size))
		goto fail;
	if (key)
		lc->key = key_named(base, key, pub, dn, why, size);
	else
		lc->key = key_search(base, pub, dn, why, size);
	if (!lc->key)
		goto fail;
	return lc;
fail:
	ERR_clear_error();
	ike_local_cred_free(lc);
	return NULL;
}

const struct ike_cert *ike_local_cred_cert(const struct ike_local_cred *lc)
{
	return lc->cert;
}

/* ---- CAs and chains ---- */

struct ike_ca_store {
	X509_STORE *store;
	STACK_OF(X509) *certs;	/* in the order loaded: CERTREQ, messages */
};

void ike_ca_store_free(struct ike_ca_store *cas)
{
	if (!cas)
		return;
	X509_STORE_free(cas->store);
	sk_X509_pop_free(cas->certs, X509_free);
	free(cas);
}

static int ca_add(struct ike_ca_store *cas, X509 *x)
{
	if (!X509_STORE_add_cert(cas->store, x) || !X509_up_ref(x))
		return -1;
	if (!sk_X509_push(cas->certs, x)) {
		X509_free(x);
		return -1;
	}
	return 0;
}

struct ike_ca_store *ike_ca_store_load(const char *base,
				       char *const *paths, size_t n,
				       char *why, size_t size)
{
	struct ike_ca_store *cas = calloc(1, sizeof(*cas));
	struct ike_cert *c;
	char dir[PATH_LEN];
	size_t i;

	if (!cas || !(cas->store = X509_STORE_new()) ||
	    !(cas->certs = sk_X509_new_null())) {
		snprintf(why, size, "out of memory");
		goto fail;
	}
	if (!resolve(base, IKE_CA_DIR, dir, sizeof(dir))) {
		snprintf(why, size, "base directory %s is too long", base);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		c = ike_cert_load(dir, paths[i], why, size);
		if (!c)
			goto fail;
		if (ca_add(cas, c->x)) {
			snprintf(why, size, "out of memory");
			ike_cert_free(c);
			goto fail;
		}
		ike_cert_free(c);
	}
	return cas;
fail:
	ERR_clear_error();
	ike_ca_store_free(cas);
	return NULL;
}

/* RFC 7296 section 3.7: SHA-1 of the whole SubjectPublicKeyInfo. */
static int spki_sha1(const X509 *x, uint8_t *out)
{
	uint8_t *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	bool ok = len > 0 && EVP_Digest(der, len, out, NULL, EVP_sha1(), NULL);

	OPENSSL_free(der);
	return ok ? 0 : IKE_CERT_EFAIL;
}

ssize_t ike_ca_store_certreq(const struct ike_ca_store *cas, uint8_t *buf,
			     size_t size)
{
	int i, n = sk_X509_num(cas->certs);

	if ((size_t)n * IKE_CERTREQ_HASH_LEN > size)
		return IKE_CERT_EINVAL;
	for (i = 0; i < n; i++)
		if (spki_sha1(sk_X509_value(cas->certs, i),
			      buf + i * IKE_CERTREQ_HASH_LEN))
			return IKE_CERT_EFAIL;
	return (ssize_t)n * IKE_CERTREQ_HASH_LEN;
}

/* "CN=A CA; CN=B CA": DNs have commas, so a semicolon between them. */
static const char *trusted_text(const struct ike_ca_store *cas, char *buf,
				size_t size)
{
	int i, n = sk_X509_num(cas->certs);
	char dn[DN_TEXT];
	size_t len = 0;

	buf[0] = '\0';
	if (n <= 0)
		append(buf, size, &len, "none: no cacerts are configured");
	for (i = 0; i < n; i++)
		append(buf, size, &len, "%s%s", i ? "; " : "",
		       name_text(X509_get_subject_name(sk_X509_value(cas->certs,
								     i)),
				 dn, sizeof(dn)));
	return buf;
}

/* Why X509_verify_cert() refused, naming the certificate it stopped at. */
static void explain_chain(X509_STORE_CTX *ctx, const struct ike_ca_store *cas,
			  char *why, size_t size)
{
	int err = X509_STORE_CTX_get_error(ctx);
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);
	char dn[DN_TEXT], other[DN_TEXT], when[40], trusted[LIST_TEXT];

	if (!x) {
		snprintf(why, size, "the chain does not validate: %s",
			 X509_verify_cert_error_string(err));
		return;
	}
	name_text(X509_get_subject_name(x), dn, sizeof(dn));
	name_text(X509_get_issuer_name(x), other, sizeof(other));
	trusted_text(cas, trusted, sizeof(trusted));
	switch (err) {
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(why, size, "certificate %s is not valid until %s", dn,
			 time_text(X509_get0_notBefore(x), when, sizeof(when)));
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(why, size, "certificate %s expired on %s", dn,
			 time_text(X509_get0_notAfter(x), when, sizeof(when)));
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		snprintf(why, size, "issuer %s of %s is not among the configured CA certificates (we trust %s)",
			 other, dn, trusted);
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		snprintf(why, size, "certificate %s is self-signed and not among the configured CA certificates (we trust %s)",
			 dn, trusted);
		break;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		snprintf(why, size, "the peer's chain ends at the self-signed %s, which is not among the configured CA certificates (we trust %s)",
			 dn, trusted);
		break;
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		snprintf(why, size, "the signature on certificate %s does not verify with the key of its issuer %s",
			 dn, other);
		break;
	case X509_V_ERR_INVALID_CA:
		snprintf(why, size, "certificate %s issues certificates but is not a CA (its basicConstraints lack CA:TRUE)",
			 dn);
		break;
	case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
		snprintf(why, size, "CA certificate %s has a keyUsage without keyCertSign",
			 dn);
		break;
	default:
		snprintf(why, size, "certificate %s: %s", dn,
			 X509_verify_cert_error_string(err));
	}
}

/* RFC 4945 section 5.1.3.2: a keyUsage, if any, must allow signing. */
static int ee_key_usage(X509 *x, char *why, size_t size)
{
	uint32_t ku = X509_get_key_usage(x);
	char dn[DN_TEXT];

	if (ku == UINT32_MAX || ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))
		return 0;
	snprintf(why, size, "certificate %s has a keyUsage without digitalSignature: its key may not sign our AUTH",
		 name_text(X509_get_subject_name(x), dn, sizeof(dn)));
	return IKE_CERT_EUNTRUSTED;
}

int ike_cert_verify_chain(const struct ike_ca_store *cas,
			  const struct ike_cert *ee,
			  const struct ike_cert *const *im, size_t n_im,
			  char *why, size_t size)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *chain = sk_X509_new_null();
	int rc = IKE_CERT_EFAIL;
	size_t i;

	if (!ctx || !chain)
		goto out;
	for (i = 0; i < n_im; i++)
		if (!sk_X509_push(chain, im[i]->x))
			goto out;
	if (!X509_STORE_CTX_init(ctx, cas->store, ee->x, chain))
		goto out;
	if (X509_verify_cert(ctx) == 1) {
		rc = ee_key_usage(ee->x, why, size);
	} else if (X509_STORE_CTX_get_error(ctx) != X509_V_OK) {
		explain_chain(ctx, cas, why, size);
		rc = IKE_CERT_EUNTRUSTED;
	}
out:
	if (rc == IKE_CERT_EFAIL)
		snprintf(why, size, "out of memory validating the chain");
	X509_STORE_CTX_free(ctx);
	sk_X509_free(chain);	/* the certificates are the caller's */
	ERR_clear_error();
	return rc;
}

/* ---- signature schemes ---- */

/*
 * The AlgorithmIdentifiers of RFC 7427 appendix A, byte for byte what
 * strongSwan's signature_params_build() makes: NULL parameters for RSA,
 * none for ECDSA and Ed25519; for RSASSA-PSS the hash (with NULL), MGF1
 * with the same hash and a salt as long as the hash, trailerField left at
 * its default.
 */
#define OID_SHA2(n)	0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, \
			0x04, 0x02, (n)
#define OID_PKCS1(n)	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, \
			0x01, 0x01, (n)
#define ALGID_RSA(n)	{ 0x30, 0x0d, OID_PKCS1(n), 0x05, 0x00 }
#define ALGID_ECDSA(n)	{ 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, \
			  0x3d, 0x04, 0x03, (n) }
#define ALGID_PSS(n, salt) { 0x30, 0x41, OID_PKCS1(0x0a), 0x30, 0x34, \
			  0xa0, 0x0f, 0x30, 0x0d, OID_SHA2(n), 0x05, 0x00, \
			  0xa1, 0x1c, 0x30, 0x1a, OID_PKCS1(0x08), \
			  0x30, 0x0d, OID_SHA2(n), 0x05, 0x00, \
			  0xa2, 0x03, 0x02, 0x01, (salt) }

static const uint8_t algid_rsa256[] = ALGID_RSA(0x0b);
static const uint8_t algid_rsa384[] = ALGID_RSA(0x0c);
static const uint8_t algid_rsa512[] = ALGID_RSA(0x0d);
static const uint8_t algid_pss256[] = ALGID_PSS(0x01, 32);
static const uint8_t algid_pss384[] = ALGID_PSS(0x02, 48);
static const uint8_t algid_pss512[] = ALGID_PSS(0x03, 64);
static const uint8_t algid_ecdsa256[] = ALGID_ECDSA(0x02);
static const uint8_t algid_ecdsa384[] = ALGID_ECDSA(0x03);
static const uint8_t algid_ecdsa512[] = ALGID_ECDSA(0x04);
static const uint8_t algid_ed25519[] = { 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
					 0x70 };

struct sig_scheme {
	enum ike_sig_scheme id;
	const char *name;
	uint8_t method;		/* enum ike_auth_method */
	enum key_kind key;
	int max_bits;		/* strongSwan's first choice up to this key
				 * size; 0: any size */
	int curve_bits;		/* the classic ECDSA methods: the one curve */
	uint16_t hash;		/* enum ike_hash; 0 for the classic methods */
	const char *md;		/* NULL: Ed25519 signs the octets themselves */
	bool pss;
	int nid;		/* of the AlgorithmIdentifier's OID */
	const uint8_t *algid;
	size_t algid_len;
};

#define DIGITAL(id_, name_, key_, max_, hash_, md_, pss_, nid_, algid_) { \
	.id = (id_), .name = (name_), .method = IKE_AUTH_DIGITAL_SIG, \
	.key = (key_), .max_bits = (max_), .hash = (hash_), .md = (md_), \
	.pss = (pss_), .nid = (nid_), .algid = (algid_), \
	.algid_len = sizeof(algid_) }
#define CLASSIC(id_, name_, method_, key_, curve_, md_) { \
	.id = (id_), .name = (name_), .method = (method_), .key = (key_), \
	.curve_bits = (curve_), .md = (md_), .nid = NID_undef }

/* In strongSwan's order of preference (scheme_map in public_key.c). */
static const struct sig_scheme schemes[] = {
	DIGITAL(IKE_SIG_RSA_PSS_SHA256, "RSASSA-PSS with SHA-256", KEY_RSA,
		3072, IKE_HASH_SHA2_256, "SHA256", true, NID_rsassaPss,
		algid_pss256),
	DIGITAL(IKE_SIG_RSA_PSS_SHA384, "RSASSA-PSS with SHA-384", KEY_RSA,
		7680, IKE_HASH_SHA2_384, "SHA384", true, NID_rsassaPss,
		algid_pss384),
	DIGITAL(IKE_SIG_RSA_PSS_SHA512, "RSASSA-PSS with SHA-512", KEY_RSA,
		0, IKE_HASH_SHA2_512, "SHA512", true, NID_rsassaPss,
		algid_pss512),
	DIGITAL(IKE_SIG_RSA_SHA256, "sha256WithRSAEncryption", KEY_RSA,
		3072, IKE_HASH_SHA2_256, "SHA256", false,
		NID_sha256WithRSAEncryption, algid_rsa256),
	DIGITAL(IKE_SIG_RSA_SHA384, "sha384WithRSAEncryption", KEY_RSA,
		7680, IKE_HASH_SHA2_384, "SHA384", false,
		NID_sha384WithRSAEncryption, algid_rsa384),
	DIGITAL(IKE_SIG_RSA_SHA512, "sha512WithRSAEncryption", KEY_RSA,
		0, IKE_HASH_SHA2_512, "SHA512", false,
		NID_sha512WithRSAEncryption, algid_rsa512),
	DIGITAL(IKE_SIG_ECDSA_SHA256, "ecdsa-with-SHA256", KEY_ECDSA,
		256, IKE_HASH_SHA2_256, "SHA256", false, NID_ecdsa_with_SHA256,
		algid_ecdsa256),
	DIGITAL(IKE_SIG_ECDSA_SHA384, "ecdsa-with-SHA384", KEY_ECDSA,
		384, IKE_HASH_SHA2_384, "SHA384", false, NID_ecdsa_with_SHA384,
		algid_ecdsa384),
	DIGITAL(IKE_SIG_ECDSA_SHA512, "ecdsa-with-SHA512", KEY_ECDSA,
		0, IKE_HASH_SHA2_512, "SHA512", false, NID_ecdsa_with_SHA512,
		algid_ecdsa512),
	DIGITAL(IKE_SIG_ED25519, "Ed25519", KEY_ED25519, 0, IKE_HASH_IDENTITY,
		NULL, false, NID_ED25519, algid_ed25519),
	CLASSIC(IKE_SIG_RSA_SIG, "RSA_SIG (PKCS#1 v1.5 with SHA-1)",
		IKE_AUTH_RSA_SIG, KEY_RSA, 0, "SHA1"),
	CLASSIC(IKE_SIG_ECDSA_256, "ECDSA_256 (P-256 with SHA-256)",
		IKE_AUTH_ECDSA_256, KEY_ECDSA, 256, "SHA256"),
	CLASSIC(IKE_SIG_ECDSA_384, "ECDSA_384 (P-384 with SHA-384)",
		IKE_AUTH_ECDSA_384, KEY_ECDSA, 384, "SHA384"),
	CLASSIC(IKE_SIG_ECDSA_521, "ECDSA_521 (P-521 with SHA-512)",
		IKE_AUTH_ECDSA_521, KEY_ECDSA, 521, "SHA512"),
};

static const struct sig_scheme *scheme_find(enum ike_sig_scheme id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(schemes); i++)
		if (schemes[i].id == id)
			return &schemes[i];
	return NULL;
}

static const struct sig_scheme *scheme_by_method(uint8_t method)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(schemes); i++)
		if (schemes[i].method == method)
			return &schemes[i];
	return NULL;
}

uint8_t ike_sig_method(enum ike_sig_scheme scheme)
{
	const struct sig_scheme *s = scheme_find(scheme);

	return s ? s->method : 0;
}

const char *ike_sig_name(enum ike_sig_scheme scheme)
{
	const struct sig_scheme *s = scheme_find(scheme);

	return s ? s->name : "none";
}

/* ECDSA: on one of our curves, and the classic methods' own one. */
static bool key_fits(const struct sig_scheme *s, const EVP_PKEY *k)
{
	const struct curve *c;

	if (key_kind(k) != s->key)
		return false;
	if (s->key != KEY_ECDSA)
		return true;
	c = key_curve(k);
	return c && (!s->curve_bits || c->bits == s->curve_bits);
}

static const char *hash_name(uint16_t hash)
{
	switch (hash) {
	case IKE_HASH_SHA1:
		return "SHA1";
	case IKE_HASH_SHA2_256:
		return "SHA2_256";
	case IKE_HASH_SHA2_384:
		return "SHA2_384";
	case IKE_HASH_SHA2_512:
		return "SHA2_512";
	case IKE_HASH_IDENTITY:
		return "IDENTITY";
	}
	return NULL;
}

const uint8_t *ike_sig_hashes(size_t *len)
{
	static const uint8_t hashes[] = {
		0, IKE_HASH_SHA2_256, 0, IKE_HASH_SHA2_384,
		0, IKE_HASH_SHA2_512, 0, IKE_HASH_IDENTITY,
	};

	*len = sizeof(hashes);
	return hashes;
}

static bool peer_has_hash(const uint8_t *data, size_t len, uint16_t hash)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		if ((data[i] << 8 | data[i + 1]) == hash)
			return true;
	return false;
}

static void append_peer_hashes(char *buf, size_t size, size_t *n,
			       const uint8_t *data, size_t len)
{
	const char *name;
	size_t i;

	if (!len)
		append(buf, size, n, "none");
	for (i = 0; i + 1 < len; i += 2) {
		name = hash_name(data[i] << 8 | data[i + 1]);
		append(buf, size, n, "%s", i ? ", " : "");
		if (name)
			append(buf, size, n, "%s", name);
		else
			append(buf, size, n, "%u", data[i] << 8 | data[i + 1]);
	}
}

static size_t add_once(const struct sig_scheme **v, size_t n,
		       const struct sig_scheme *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == s)
			return n;
	v[n] = s;
	return n + 1;
}

/*
 * Our key's RFC 7427 schemes in strongSwan's order of preference (its
 * select_signature_schemes()): those of scheme_map for the key's size,
 * then, for RSA, PKCS#1 v1.5 down to SHA-256 whatever the size. out
 * holds ARRAY_SIZE(schemes); returns how many.
 */
static size_t candidates(const EVP_PKEY *k, bool pss,
			 const struct sig_scheme **out)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(schemes); i++) {
		const struct sig_scheme *s = &schemes[i];

		if (s->method != IKE_AUTH_DIGITAL_SIG || !key_fits(s, k) ||
		    (s->pss && !pss) ||
		    (s->max_bits && key_bits(k) > s->max_bits))
			continue;
		out[n++] = s;
	}
	if (key_kind(k) == KEY_RSA) {
		n = add_once(out, n, scheme_find(IKE_SIG_RSA_SHA384));
		n = add_once(out, n, scheme_find(IKE_SIG_RSA_SHA256));
	}
	return n;
}

/* RFC 7296's own methods, for a peer without RFC 7427. */
static int choose_classic(const EVP_PKEY *k, enum ike_sig_scheme *scheme,
			  char *why, size_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(schemes); i++) {
		if (schemes[i].method != IKE_AUTH_DIGITAL_SIG &&
		    key_fits(&schemes[i], k)) {
			*scheme = schemes[i].id;
			return 0;
		}
	}
	snprintf(why, size, "the peer sent no SIGNATURE_HASH_ALGORITHMS, so it cannot verify RFC 7427 signatures, the only ones our Ed25519 key makes");
	return IKE_CERT_EUNSUPP;
}

int ike_sig_choose(const struct ike_local_cred *lc, const uint8_t *data,
		   size_t len, bool pss, enum ike_sig_scheme *scheme,
		   char *why, size_t size)
{
	const struct sig_scheme *ours[ARRAY_SIZE(schemes)];
	const EVP_PKEY *k = lc->key;
	unsigned int seen = 0;		/* bit per enum ike_hash listed */
	size_t i, n, w = 0;
	char t[64];

	*scheme = IKE_SIG_NONE;
	if (!data)
		return choose_classic(k, scheme, why, size);
	if (len % 2) {
		snprintf(why, size, "the peer's SIGNATURE_HASH_ALGORITHMS has %zu bytes, not two per hash",
			 len);
		return IKE_CERT_EMALFORMED;
	}
	n = candidates(k, pss, ours);
	for (i = 0; i < n; i++) {
		if (peer_has_hash(data, len, ours[i]->hash)) {
			*scheme = ours[i]->id;
			return 0;
		}
	}
	append(why, size, &w, "the peer's SIGNATURE_HASH_ALGORITHMS (");
	append_peer_hashes(why, size, &w, data, len);
	append(why, size, &w, ") has none of the hashes our %s key signs with (",
	       key_text(k, t, sizeof(t)));
	for (i = 0; i < n; i++) {
		if (seen & 1u << ours[i]->hash)
			continue;	/* PSS and PKCS#1 share hashes */
		append(why, size, &w, "%s%s", seen ? ", " : "",
		       hash_name(ours[i]->hash));
		seen |= 1u << ours[i]->hash;
	}
	append(why, size, &w, ")");
	return IKE_CERT_EUNSUPP;
}

/*
 * A signing or verifying context for s. For RSASSA-PSS, mgf1 and salt are
 * the parameters: ours when signing, the peer's when verifying.
 */
static EVP_MD_CTX *sig_ctx(const struct sig_scheme *s, EVP_PKEY *k,
			   bool sign, const char *mgf1, int salt)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok;

	if (!ctx)
		return NULL;
	if (sign)
		ok = EVP_DigestSignInit_ex(ctx, &pctx, s->md, NULL, NULL, k,
					   NULL) == 1;
	else
		ok = EVP_DigestVerifyInit_ex(ctx, &pctx, s->md, NULL, NULL, k,
					     NULL) == 1;
	if (ok && s->pss)
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
						  RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mgf1, NULL) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt) > 0;
	if (!ok) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/* RFC 4754 section 7: r and s, each as long as the curve's field. */
static size_t ecdsa_field_len(int bits)
{
	return (bits + 7) / 8;
}

static int ecdsa_der_to_raw(const uint8_t *der, size_t len, int bits,
			    uint8_t *out, size_t size)
{
	size_t flen = ecdsa_field_len(bits);
	const uint8_t *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, len);
	const BIGNUM *r, *s;
	int rc = IKE_CERT_EFAIL;

	if (!sig)
		return rc;
	ECDSA_SIG_get0(sig, &r, &s);
	if (2 * flen > size)
		rc = IKE_CERT_EINVAL;
	else if (BN_bn2binpad(r, out, flen) == (int)flen &&
		 BN_bn2binpad(s, out + flen, flen) == (int)flen)
		rc = 2 * flen;
	ECDSA_SIG_free(sig);
	return rc;
}

/* The reverse, into a DER buffer the caller frees with OPENSSL_free(). */
static int ecdsa_raw_to_der(const uint8_t *raw, size_t flen, uint8_t **der)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, flen, NULL);
	BIGNUM *s = BN_bin2bn(raw + flen, flen, NULL);
	int len = -1;

	*der = NULL;
	if (sig && r && s && ECDSA_SIG_set0(sig, r, s)) {
		r = s = NULL;	/* sig owns them */
		len = i2d_ECDSA_SIG(sig, der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return len;
}

static int evp_sign(const struct sig_scheme *s, EVP_PKEY *k,
		    const uint8_t *octets, size_t len, uint8_t *sig,
		    size_t *sig_len)
{
	EVP_MD_CTX *ctx = sig_ctx(s, k, true, s->md, RSA_PSS_SALTLEN_DIGEST);
	bool ok = ctx && EVP_DigestSign(ctx, sig, sig_len, octets, len) == 1;

	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : IKE_CERT_EFAIL;
}

ssize_t ike_auth_sign(const struct ike_local_cred *lc,
		      enum ike_sig_scheme scheme, const uint8_t *octets,
		      size_t len, uint8_t *auth, size_t size)
{
	const struct sig_scheme *s = scheme_find(scheme);
	uint8_t sig[SIG_MAX];
	size_t n = sizeof(sig), off = 0;
	int rc;

	if (!s)
		return IKE_CERT_EINVAL;
	if (!key_fits(s, lc->key))
		return IKE_CERT_EKEYTYPE;
	rc = evp_sign(s, lc->key, octets, len, sig, &n);
	if (rc)
		return rc;
	if (s->curve_bits)
		return ecdsa_der_to_raw(sig, n, s->curve_bits, auth, size);
	if (s->algid) {
		if (1 + s->algid_len > size)
			return IKE_CERT_EINVAL;
		auth[0] = s->algid_len;
		memcpy(auth + 1, s->algid, s->algid_len);
		off = 1 + s->algid_len;
	}
	if (off + n > size)
		return IKE_CERT_EINVAL;
	memcpy(auth + off, sig, n);
	return off + n;
}

/* ---- verifying the peer's AUTH ---- */

/* What the peer's AUTH data says: scheme, parameters, signature. */
struct sig_params {
	const struct sig_scheme *s;
	const char *mgf1;	/* RSASSA-PSS */
	int salt;
	const uint8_t *sig;
	size_t sig_len;
};

/* OpenSSL's name of a SHA-2 we accept in RSASSA-PSS, or NULL. */
static const char *sha2_md(int nid)
{
	switch (nid) {
	case NID_sha256:
		return "SHA256";
	case NID_sha384:
		return "SHA384";
	case NID_sha512:
		return "SHA512";
	}
	return NULL;
}

static const char *oid_text(const ASN1_OBJECT *obj, char *buf, size_t size)
{
	if (OBJ_obj2txt(buf, size, obj, 0) <= 0)
		snprintf(buf, size, "(an unreadable OID)");
	return buf;
}

/* MGF1's hash (RFC 4055 section 3.1); NULL with why if not MGF1-SHA-2. */
static const char *pss_mgf1(const RSA_PSS_PARAMS *pss, int *err, char *why,
			    size_t size)
{
	const X509_ALGOR *mgf = pss->maskGenAlgorithm;
	X509_ALGOR *hash;
	const char *md = NULL;
	char t[80];

	if (!mgf) {
		snprintf(why, size, "RSASSA-PSS with MGF1-SHA1 (the default) is not accepted");
		*err = IKE_CERT_EUNSUPP;
		return NULL;
	}
	if (OBJ_obj2nid(mgf->algorithm) != NID_mgf1) {
		snprintf(why, size, "RSASSA-PSS with mask generation function %s is not accepted",
			 oid_text(mgf->algorithm, t, sizeof(t)));
		*err = IKE_CERT_EUNSUPP;
		return NULL;
	}
	hash = mgf->parameter ?
	       ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR),
					 mgf->parameter) : NULL;
	if (!hash) {
		snprintf(why, size, "RSASSA-PSS's MGF1 names no hash");
		*err = IKE_CERT_EMALFORMED;
		return NULL;
	}
	md = sha2_md(OBJ_obj2nid(hash->algorithm));
	if (!md) {
		snprintf(why, size, "RSASSA-PSS with MGF1 over %s is not accepted",
			 oid_text(hash->algorithm, t, sizeof(t)));
		*err = IKE_CERT_EUNSUPP;
	}
	X509_ALGOR_free(hash);
	return md;
}

/* The hash scheme and salt of RSASSA-PSS-params (RFC 4055 section 3.1). */
static int pss_hash_salt(const RSA_PSS_PARAMS *pss, struct sig_params *sp,
			 char *why, size_t size)
{
	int nid = pss->hashAlgorithm ?
		  OBJ_obj2nid(pss->hashAlgorithm->algorithm) : NID_sha1;
	long salt = pss->saltLength ? ASN1_INTEGER_get(pss->saltLength) : 20;
	size_t i;

	if (pss->trailerField && ASN1_INTEGER_get(pss->trailerField) != 1) {
		snprintf(why, size, "RSASSA-PSS with a trailerField other than 1 is not accepted");
		return IKE_CERT_EUNSUPP;
	}
	if (salt < 0 || salt > SIG_MAX) {
		snprintf(why, size, "RSASSA-PSS with a salt length of %ld",
			 salt);
		return IKE_CERT_EMALFORMED;
	}
	sp->salt = salt;
	for (i = 0; i < ARRAY_SIZE(schemes); i++) {
		if (schemes[i].pss && sha2_md(nid) &&
		    !strcmp(schemes[i].md, sha2_md(nid))) {
			sp->s = &schemes[i];
			return 0;
		}
	}
	snprintf(why, size, "RSASSA-PSS with %s is not accepted (we accept SHA-256, SHA-384, SHA-512)",
		 nid == NID_sha1 ? "SHA-1" : OBJ_nid2sn(nid));
	return IKE_CERT_EUNSUPP;
}

static int pss_params(const X509_ALGOR *alg, struct sig_params *sp,
		      char *why, size_t size)
{
	RSA_PSS_PARAMS *pss = NULL;
	int rc = IKE_CERT_EMALFORMED;

	if (alg->parameter)
		pss = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS),
						alg->parameter);
	if (!pss) {
		snprintf(why, size, "the RSASSA-PSS AlgorithmIdentifier has no RSASSA-PSS-params");
		return rc;
	}
	rc = pss_hash_salt(pss, sp, why, size);
	if (!rc) {
		sp->mgf1 = pss_mgf1(pss, &rc, why, size);
		if (!sp->mgf1 && !rc)
			rc = IKE_CERT_EUNSUPP;
	}
	RSA_PSS_PARAMS_free(pss);
	return rc;
}

/* Any scheme but RSASSA-PSS: parameters absent or NULL, nothing else. */
static int plain_params(const X509_ALGOR *alg, struct sig_params *sp,
			char *why, size_t size)
{
	int nid = OBJ_obj2nid(alg->algorithm);
	int ptype = alg->parameter ? alg->parameter->type : V_ASN1_UNDEF;
	char t[80];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(schemes); i++) {
		if (schemes[i].method != IKE_AUTH_DIGITAL_SIG ||
		    schemes[i].nid != nid)
			continue;
		if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL) {
			snprintf(why, size, "the AlgorithmIdentifier of %s has parameters",
				 schemes[i].name);
			return IKE_CERT_EMALFORMED;
		}
		sp->s = &schemes[i];
		return 0;
	}
	snprintf(why, size, "signature algorithm %s is not accepted (we accept RSA PKCS#1 v1.5 and RSASSA-PSS with SHA-2, ECDSA with SHA-2, Ed25519)",
		 oid_text(alg->algorithm, t, sizeof(t)));
	return IKE_CERT_EUNSUPP;
}

/* RFC 7427 section 3: length octet, AlgorithmIdentifier, signature. */
static int parse_digital_sig(const uint8_t *auth, size_t len,
			     struct sig_params *sp, char *why, size_t size)
{
	const uint8_t *p = auth + 1;
	X509_ALGOR *alg;
	size_t alen;
	int rc;

	if (!len || len < 1 + (size_t)auth[0]) {
		snprintf(why, size, "AUTH data of %zu bytes cannot hold the AlgorithmIdentifier of %u bytes it announces",
			 len, len ? auth[0] : 0);
		return IKE_CERT_EMALFORMED;
	}
	alen = auth[0];
	alg = d2i_X509_ALGOR(NULL, &p, alen);
	if (!alg || p != auth + 1 + alen) {
		X509_ALGOR_free(alg);
		ERR_clear_error();
		snprintf(why, size, "the AUTH data's %zu-byte AlgorithmIdentifier is not DER",
			 alen);
		return IKE_CERT_EMALFORMED;
	}
	if (OBJ_obj2nid(alg->algorithm) == NID_rsassaPss)
		rc = pss_params(alg, sp, why, size);
	else
		rc = plain_params(alg, sp, why, size);
	X509_ALGOR_free(alg);
	ERR_clear_error();
	sp->sig = p;
	sp->sig_len = len - 1 - alen;
	return rc;
}

static int parse_auth(uint8_t method, const uint8_t *auth, size_t len,
		      struct sig_params *sp, char *why, size_t size)
{
	if (method == IKE_AUTH_DIGITAL_SIG)
		return parse_digital_sig(auth, len, sp, why, size);
	sp->s = scheme_by_method(method);
	if (!sp->s) {
		snprintf(why, size, "AUTH method %u is not one we verify with a certificate (we do 1, 9, 10, 11 and 14)",
			 method);
		return IKE_CERT_EUNSUPP;
	}
	sp->sig = auth;
	sp->sig_len = len;
	return 0;
}

/*
 * Whether the signature has the shape its algorithm gives it; ECDSA as
 * DER in *der (OPENSSL_free() it), made from r | s for the classic
 * methods.
 */
static int sig_shape(const struct sig_params *sp, const EVP_PKEY *k,
		     uint8_t **der, size_t *der_len, char *why, size_t size)
{
	const uint8_t *p = sp->sig;
	size_t want = EVP_PKEY_get_size(k);
	ECDSA_SIG *ecdsa;
	int n;

	*der = NULL;
	if (sp->s->key == KEY_ECDSA && sp->s->curve_bits) {
		want = 2 * ecdsa_field_len(sp->s->curve_bits);
		if (sp->sig_len != want)
			goto bad_len;
		n = ecdsa_raw_to_der(sp->sig, want / 2, der);
		if (n <= 0)
			return IKE_CERT_EFAIL;
		*der_len = n;
		return 0;
	}
	if (sp->s->key == KEY_ECDSA) {
		ecdsa = d2i_ECDSA_SIG(NULL, &p, sp->sig_len);
		ECDSA_SIG_free(ecdsa);
		ERR_clear_error();
		if (!ecdsa || p != sp->sig + sp->sig_len) {
			snprintf(why, size, "the ECDSA signature is not a DER Ecdsa-Sig-Value");
			return IKE_CERT_EMALFORMED;
		}
		return 0;
	}
	if (sp->s->key == KEY_ED25519)
		want = ED25519_SIG_LEN;
	if (sp->sig_len == want)
		return 0;
bad_len:
	snprintf(why, size, "the %s signature has %zu bytes instead of %zu",
		 sp->s->name, sp->sig_len, want);
	return IKE_CERT_EMALFORMED;
}

static int evp_verify(const struct sig_params *sp, EVP_PKEY *k,
		      const uint8_t *sig, size_t sig_len, const uint8_t *octets,
		      size_t len)
{
	EVP_MD_CTX *ctx = sig_ctx(sp->s, k, false, sp->mgf1, sp->salt);
	int rc = IKE_CERT_EFAIL;

	if (ctx)
		rc = EVP_DigestVerify(ctx, sig, sig_len, octets, len) == 1 ?
		     0 : IKE_CERT_EBADSIG;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

int ike_auth_verify(const struct ike_cert *peer, uint8_t method,
		    const uint8_t *auth, size_t len, const uint8_t *octets,
		    size_t octets_len, enum ike_sig_scheme *scheme, char *why,
		    size_t size)
{
	struct sig_params sp = { 0 };
	EVP_PKEY *k = X509_get0_pubkey(peer->x);
	char dn[DN_TEXT], t[64];
	uint8_t *der = NULL;
	size_t der_len = 0;
	int rc;

	*scheme = IKE_SIG_NONE;
	rc = parse_auth(method, auth, len, &sp, why, size);
	if (rc)
		return rc;
	ike_cert_subject_text(peer, dn, sizeof(dn));
	if (!k || !key_fits(sp.s, k)) {
		snprintf(why, size, "the AUTH is %s, which certificate %s's %s key cannot make",
			 sp.s->name, dn, k ? key_text(k, t, sizeof(t)) : "unreadable");
		return IKE_CERT_EKEYTYPE;
	}
	rc = sig_shape(&sp, k, &der, &der_len, why, size);
	if (!rc)
		rc = evp_verify(&sp, k, der ? der : sp.sig,
				der ? der_len : sp.sig_len, octets, octets_len);
	OPENSSL_free(der);
	if (rc == IKE_CERT_EBADSIG)
		snprintf(why, size, "the %s signature does not verify with the key of certificate %s",
			 sp.s->name, dn);
	else if (rc == IKE_CERT_EFAIL)
		snprintf(why, size, "OpenSSL failed verifying the %s signature",
			 sp.s->name);
	if (!rc)
		*scheme = sp.s->id;
	return rc;
}
