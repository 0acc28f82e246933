// SPDX-License-Identifier: GPL-2.0
/*
 * Who the ends of an IKE SA are (RFC 7296 section 2.15): identities, and
 * the AUTH payload with a pre-shared key or a certificate's signature
 * (RFC 7427). Both directions: what we send about ourselves in IKE_AUTH,
 * and what we check of the peer, with the reason when it does not hold.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "cert.h"
#include "conf.h"
#include "creds.h"
#include "ikesa_int.h"

#define OCTETS_MAX	(IKE_MSG_MAX + IKE_NONCE_MAX + IKE_PRF_OUT_MAX)

/* ---- identities ---- */

/*
 * An identity as the configuration writes it: an address, a DN ("C=CH,
 * O=..., CN=..."), "@fqdn" or "fqdn", "user@fqdn"; none means our IKE
 * address. data must hold IKE_DN_MAX bytes.
 */
int ikesa_id_from_conf(const char *s, const struct sockaddr_storage *addr,
		       struct ike_pl_id *id, uint8_t *data)
{
	char why[128];
	struct addr a;
	ssize_t n;
	size_t len;

	if (!s)
		ss_to_addr(addr, &a);
	else if (parse_addr(s, &a))
		a.family = 0;
	if (a.family) {
		id->type = a.family == AF_INET ? IKE_ID_IPV4_ADDR :
						 IKE_ID_IPV6_ADDR;
		len = a.family == AF_INET ? 4 : 16;
		memcpy(data, a.bytes, len);
		id->data = (struct ike_bytes){ data, len };
		return 0;
	}
	if (strchr(s, '=')) {
		n = ike_dn_from_text(s, data, IKE_DN_MAX, why, sizeof(why));
		if (n < 0)
			return -1;
		id->type = IKE_ID_DER_ASN1_DN;
		id->data = (struct ike_bytes){ data, n };
		return 0;
	}
	if (s[0] == '@')
		s++;
	id->type = strchr(s, '@') ? IKE_ID_RFC822_ADDR : IKE_ID_FQDN;
	len = strnlen(s, IKE_DN_MAX);
	memcpy(data, s, len);
	id->data = (struct ike_bytes){ data, len };
	return 0;
}

/* The identity as text: for PSK lookup, logs and the status. */
const char *ikesa_id_text(const struct ike_pl_id *id, char *buf, size_t size)
{
	struct addr a = { 0 };
	size_t i, n;

	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		n = id->type == IKE_ID_IPV4_ADDR ? 4 : 16;
		if (id->data.len != n)
			break;
		a.family = n == 4 ? AF_INET : AF_INET6;
		memcpy(a.bytes, id->data.p, n);
		return format_addr(&a, buf, size);
	case IKE_ID_DER_ASN1_DN:
		return ike_dn_text(id->data.p, id->data.len, buf, size);
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		n = id->data.len < size - 1 ? id->data.len : size - 1;
		for (i = 0; i < n; i++) {
			uint8_t c = id->data.p[i];

			buf[i] = c >= 0x20 && c < 0x7f ? c : '?';
		}
		buf[n] = '\0';
		return buf;
	}
	n = snprintf(buf, size, "id type %u (", id->type);
	for (i = 0; i < id->data.len && n + 3 < size; i++)
		n += snprintf(buf + n, size - n, "%02x", id->data.p[i]);
	snprintf(buf + n, size - n, ")");
	return buf;
}

/* ID' of section 2.15: the ID payload's body from the ID Type on. */
static size_t id_body(const struct ike_pl_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data.p, id->data.len);
	return 4 + id->data.len;
}

/* Our CERTREQ: the CAs we accept the peer's certificate from. */
void ikesa_put_certreq(struct ike_daemon *d, const struct ikesa *sa,
		       struct ike_buf *b)
{
	const struct ikesa_creds *c = ikesa_creds_of(d, sa->conn_name);
	uint8_t hashes[IKE_CERTREQ_HASH_LEN * 16];
	ssize_t n;

	if (sa->conn->remote.auth != IKE_CONF_AUTH_PUBKEY || !c || !c->cas)
		return;
	n = ike_ca_store_certreq(c->cas, hashes, sizeof(hashes));
	if (n > 0)
		ike_put_certreq(b, &(struct ike_pl_cert){
			IKE_CERT_X509_SIG, { hashes, n } });
}

/* ---- the signed octets ---- */

static ssize_t signed_octets(const struct ikesa *sa, bool of_initiator,
			     const struct ike_pl_id *id, uint8_t *octets)
{
	uint8_t body[4 + IKE_DN_MAX];
	size_t blen = id_body(id, body);

	if (of_initiator)
		return ike_auth_octets(sa->prf, sa->keys.sk_pi, sa->msg_i,
				       sa->msg_i_len, sa->nr, sa->nr_len, body,
				       blen, octets, OCTETS_MAX);
	return ike_auth_octets(sa->prf, sa->keys.sk_pr, sa->msg_r,
			       sa->msg_r_len, sa->ni, sa->ni_len, body, blen,
			       octets, OCTETS_MAX);
}

/* ---- about ourselves ---- */

static void local_id(const struct ikesa *sa, struct ike_pl_id *id,
		     uint8_t *data)
{
	if (ikesa_id_from_conf(sa->conn->local.id, &sa->local, id, data))
		ikesa_id_from_conf(NULL, &sa->local, id, data);
}

const char *ikesa_local_id_text(const struct ikesa *sa, char *buf,
				size_t size)
{
	uint8_t data[IKE_DN_MAX];
	struct ike_pl_id id;

	local_id(sa, &id, data);
	return ikesa_id_text(&id, buf, size);
}

/*
 * With a certificate and no id configured, we are the certificate's
 * subject; with an id, the certificate must name it.
 */
static int cert_id(const struct ikesa *sa, const struct ike_local_cred *lc,
		   struct ike_pl_id *id, uint8_t *data, char *why, size_t size)
{
	const struct ike_cert *cert = ike_local_cred_cert(lc);
	ssize_t n;

	if (!sa->conn->local.id) {
		n = ike_cert_subject_der(cert, data, IKE_DN_MAX);
		if (n < 0)
			return -1;
		id->type = IKE_ID_DER_ASN1_DN;
		id->data = (struct ike_bytes){ data, n };
		return 0;
	}
	local_id(sa, id, data);
	if (ike_cert_id_check(cert, id->type, id->data.p, id->data.len, why,
			      size)) {
		char s[IKE_DN_MAX];

		snprintf(why + strlen(why), size - strlen(why),
			 ": our certificate does not name our id '%s'",
			 ikesa_id_text(id, s, sizeof(s)));
		return -1;
	}
	return 0;
}

static int sign_auth(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_local_cred *lc,
		     const struct ike_pl_id *id, struct ike_pl_auth *auth,
		     uint8_t *value, char *why, size_t size)
{
	uint8_t octets[OCTETS_MAX];
	enum ike_sig_scheme scheme;
	ssize_t n;

	if (ike_sig_choose(lc, sa->peer_hashes_seen ? sa->peer_hashes : NULL,
			   sa->peer_hashes_len, false, &scheme, why, size))
		return -1;
	n = signed_octets(sa, sa->initiator, id, octets);
	if (n < 0)
		return -1;
	n = ike_auth_sign(lc, scheme, octets, n, value, IKE_AUTH_SIG_MAX);
	if (n < 0) {
		snprintf(why, size, "signing our AUTH failed: %s",
			 ike_cert_strerror(n));
		return -1;
	}
	ike_debug(d, "%s: our AUTH signed with %s", sa->conn_name,
		  ike_sig_name(scheme));
	*auth = (struct ike_pl_auth){ ike_sig_method(scheme), { value, n } };
	return 0;
}

static int psk_auth(struct ike_daemon *d, struct ikesa *sa,
		    const struct ike_pl_id *id, const char *peer,
		    struct ike_pl_auth *auth, uint8_t *value, char *why,
		    size_t size)
{
	uint8_t octets[OCTETS_MAX];
	char ours[IKE_DN_MAX];
	const struct ike_secret *psk;
	ssize_t n;

	ikesa_id_text(id, ours, sizeof(ours));
	psk = ike_config_find_psk(d->conf, ours, peer);
	if (!psk) {
		snprintf(why, size, "no PSK in secrets for our id '%s' and the peer's",
			 ours);
		return -1;
	}
	n = signed_octets(sa, sa->initiator, id, octets);
	if (n < 0 ||
	    ike_psk_auth(sa->prf, psk->key, psk->key_len, octets, n, value))
		return -1;
	*auth = (struct ike_pl_auth){ IKE_AUTH_PSK,
				      { value, sa->prf->out_len } };
	return 0;
}

/*
 * Our ID, CERT and AUTH for IKE_AUTH (IDi or IDr as our role says); the
 * initiator also asks for the peer's certificate and, when configured,
 * names the identity it wants to reach (IDr). peer is the peer's identity
 * as text when known (responder), for the PSK lookup.
 */
int ikesa_put_auth(struct ike_daemon *d, struct ikesa *sa, const char *peer,
		   struct ike_buf *b, char *why, size_t size)
{
	uint8_t value[IKE_AUTH_SIG_MAX];
	const struct ikesa_creds *c = ikesa_creds_of(d, sa->conn_name);
	uint8_t data[IKE_DN_MAX], rdata[IKE_DN_MAX], rtext[IKE_DN_MAX];
	bool pubkey = sa->conn->local.auth == IKE_CONF_AUTH_PUBKEY;
	const uint8_t *der;
	struct ike_pl_auth auth;
	struct ike_pl_id id, rid;
	size_t len;

	why[0] = '\0';
	if (pubkey) {
		if (!c || !c->lc) {
			snprintf(why, size, "our certificate or its key did not load (see the log at start)");
			return -1;
		}
		if (cert_id(sa, c->lc, &id, data, why, size))
			return -1;
	} else {
		local_id(sa, &id, data);
	}
	if (sa->initiator && sa->conn->remote.id) {
		ikesa_id_from_conf(sa->conn->remote.id, &sa->remote, &rid,
				   rdata);
		peer = ikesa_id_text(&rid, (char *)rtext, sizeof(rtext));
	}
	if (pubkey ? sign_auth(d, sa, c->lc, &id, &auth, value, why, size) :
		     psk_auth(d, sa, &id, peer, &auth, value, why, size))
		return -1;
	ike_put_id(b, sa->initiator ? IKE_PL_IDI : IKE_PL_IDR, &id);
	if (pubkey) {
		der = ike_cert_der(ike_local_cred_cert(c->lc), &len);
		ike_put_cert(b, &(struct ike_pl_cert){
			IKE_CERT_X509_SIG, { der, len } });
	}
	if (sa->initiator) {
		ikesa_put_certreq(d, sa, b);
		if (sa->conn->remote.id)
			ike_put_id(b, IKE_PL_IDR, &rid);
	}
	ike_put_auth(b, &auth);
	return 0;
}

/* ---- about the peer ---- */

static int check_psk(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_pl_id *id, const char *peer,
		     const struct ike_pl_auth *auth, char *why, size_t size)
{
	uint8_t octets[OCTETS_MAX];
	char ours[IKE_DN_MAX];
	const struct ike_secret *psk;
	ssize_t n;

	ikesa_local_id_text(sa, ours, sizeof(ours));
	psk = ike_config_find_psk(d->conf, ours, peer);
	if (!psk) {
		snprintf(why, size, "no PSK in secrets for id '%s' (with ours, '%s')",
			 peer, ours);
		return -1;
	}
	if (auth->method != IKE_AUTH_PSK) {
		snprintf(why, size, "the peer authenticates with method %u, we expect a pre-shared key (auth = psk)",
			 auth->method);
		return -1;
	}
	n = signed_octets(sa, !sa->initiator, id, octets);
	if (n < 0 ||
	    ike_psk_verify(sa->prf, psk->key, psk->key_len, octets, n,
			   auth->data.p, auth->data.len)) {
		snprintf(why, size, "the peer's AUTH does not verify with the PSK configured for id '%s' (secret %s): the pre-shared keys most likely differ",
			 peer, psk->name);
		return -1;
	}
	return 0;
}

/* The peer's certificates, its chain to our CAs, its id, its signature. */
static int check_cert(struct ike_daemon *d, struct ikesa *sa,
		      const struct ike_msg *m, const struct ike_pl_id *id,
		      const struct ike_pl_auth *auth, char *why, size_t size)
{
	uint8_t octets[OCTETS_MAX];
	const struct ikesa_creds *c = ikesa_creds_of(d, sa->conn_name);
	struct ike_cert *certs[IKE_MAX_CERT] = { 0 };
	enum ike_sig_scheme scheme;
	size_t i, n = 0;
	char reason[512];
	ssize_t len;
	int ret = -1;

	if (!c || !c->cas) {
		snprintf(why, size, "our cacerts did not load (see the log at start)");
		return -1;
	}
	for (i = 0; i < m->n_cert; i++) {
		if (m->cert[i].encoding != IKE_CERT_X509_SIG)
			continue;
		certs[n] = ike_cert_from_der(m->cert[i].data.p,
					     m->cert[i].data.len, reason,
					     sizeof(reason));
		if (!certs[n]) {
			snprintf(why, size, "the peer's certificate: %s", reason);
			goto out;
		}
		n++;
	}
	if (!n) {
		snprintf(why, size, "the peer sent no certificate (CERT payload), and we have none of it configured");
		goto out;
	}
	if (ike_cert_verify_chain(c->cas, certs[0],
				  (const struct ike_cert *const *)certs + 1,
				  n - 1, reason, sizeof(reason))) {
		snprintf(why, size, "the peer's certificate is not trusted: %s",
			 reason);
		goto out;
	}
	if (ike_cert_id_check(certs[0], id->type, id->data.p, id->data.len,
			      reason, sizeof(reason))) {
		snprintf(why, size, "the peer's identity is not its certificate's: %s",
			 reason);
		goto out;
	}
	len = signed_octets(sa, !sa->initiator, id, octets);
	if (len < 0)
		goto out;
	if (ike_auth_verify(certs[0], auth->method, auth->data.p,
			    auth->data.len, octets, len, &scheme, reason,
			    sizeof(reason))) {
		snprintf(why, size, "the peer's AUTH signature does not verify: %s",
			 reason);
		goto out;
	}
	ike_debug(d, "%s: the peer's AUTH verified (%s)", sa->conn_name,
		  ike_sig_name(scheme));
	ret = 0;
out:
	for (i = 0; i < n; i++)
		ike_cert_free(certs[i]);
	return ret;
}

/*
 * The peer's ID and AUTH in its IKE_AUTH message: the identity we expect
 * (remote id), the one it wants to reach (IDr, responder), and its
 * proof. 0 with peer filled, or -1 with why, one sentence saying what
 * does not hold (an identity mismatch and a wrong key are told apart).
 */
int ikesa_check_auth(struct ike_daemon *d, struct ikesa *sa,
		     const struct ike_msg *m, char *peer, size_t psize,
		     char *why, size_t size)
{
	const struct ike_pl_id *id = sa->initiator ? &m->idr : &m->idi;
	char want[IKE_DN_MAX], ours[IKE_DN_MAX];
	uint8_t data[IKE_DN_MAX];
	struct ike_pl_id wid;

	ikesa_id_text(id, peer, psize);
	if (sa->conn->remote.id &&
	    !ikesa_id_from_conf(sa->conn->remote.id, &sa->remote, &wid,
				data)) {
		ikesa_id_text(&wid, want, sizeof(want));
		if (strcasecmp(want, peer)) {
			snprintf(why, size, "the peer says it is '%s', but remote id '%s' is configured (an identity mismatch, not a key problem)",
				 peer, want);
			return -1;
		}
	}
	if (!sa->initiator && ike_msg_has(m, IKE_PL_IDR)) {
		ikesa_id_text(&m->idr, want, sizeof(want));
		ikesa_local_id_text(sa, ours, sizeof(ours));
		if (sa->conn->local.id && strcasecmp(want, ours)) {
			snprintf(why, size, "the peer wants to reach '%s', but we are '%s' (an identity mismatch)",
				 want, ours);
			return -1;
		}
	}
	if (sa->conn->remote.auth == IKE_CONF_AUTH_PUBKEY)
		return check_cert(d, sa, m, id, &m->auth, why, size);
	return check_psk(d, sa, id, peer, &m->auth, why, size);
}
