// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates and keys of every connection that uses them, from the
 * swanctl layout under the configuration file's directory (x509/,
 * x509ca/, private/): loaded with the configuration, so that a problem
 * shows at (re)load, not at the first negotiation.
 */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "conf.h"
#include "creds.h"
#include "ikesa_int.h"

static void creds_free(struct ikesa_table *t)
{
	struct ikesa_creds *c;

	while ((c = t->creds)) {
		t->creds = c->next;
		ike_local_cred_free(c->lc);
		ike_ca_store_free(c->cas);
		free(c);
	}
}

void ikesa_creds_reload(struct ike_daemon *d)
{
	char *path = strdup(d->conf_path), *base, why[512];
	struct ikesa_creds *c;
	size_t i;

	creds_free(d->sas);
	if (!path)
		return;
	base = dirname(path);
	for (i = 0; i < d->conf->n_conns; i++) {
		const struct ike_conn *conn = &d->conf->conns[i];

		if (conn->local.auth != IKE_CONF_AUTH_PUBKEY &&
		    conn->remote.auth != IKE_CONF_AUTH_PUBKEY)
			continue;
		c = calloc(1, sizeof(*c) + strlen(conn->name) + 1);
		if (!c)
			break;
		strcpy(c->conn, conn->name);
		c->next = d->sas->creds;
		d->sas->creds = c;
		if (conn->local.auth == IKE_CONF_AUTH_PUBKEY) {
			c->lc = conn->local.certs.n ?
				ike_local_cred_load(base,
						    conn->local.certs.v[0],
						    NULL, why, sizeof(why)) :
				NULL;
			if (!c->lc)
				ike_log("%s: local certificate: %s", conn->name,
					conn->local.certs.n ? why :
					"no certs configured");
		}
		if (conn->remote.auth == IKE_CONF_AUTH_PUBKEY) {
			c->cas = ike_ca_store_load(base,
						   conn->remote.certs.v,
						   conn->remote.certs.n, why,
						   sizeof(why));
			if (!c->cas)
				ike_log("%s: remote cacerts: %s", conn->name,
					why);
		}
	}
	free(path);
}

void ikesa_creds_free(struct ike_daemon *d)
{
	creds_free(d->sas);
}

const struct ikesa_creds *ikesa_creds_of(struct ike_daemon *d,
					 const char *conn)
{
	const struct ikesa_creds *c;

	for (c = d->sas->creds; c; c = c->next)
		if (!strcmp(c->conn, conn))
			return c;
	return NULL;
}
