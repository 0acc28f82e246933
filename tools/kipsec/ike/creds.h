/* SPDX-License-Identifier: GPL-2.0 */
/* The certificates and keys of the connections (creds.c). */
#ifndef KIPSEC_IKE_CREDS_H
#define KIPSEC_IKE_CREDS_H

struct ike_daemon;
struct ike_local_cred;
struct ike_ca_store;

struct ikesa_creds {
	struct ikesa_creds *next;
	struct ike_local_cred *lc;	/* auth = pubkey locally */
	struct ike_ca_store *cas;	/* auth = pubkey remotely */
	char conn[];
};

/* Load them anew from d's configuration; the old ones go. */
void ikesa_creds_reload(struct ike_daemon *d);
void ikesa_creds_free(struct ike_daemon *d);
/* Those of connection conn, or NULL (it uses none, or they failed). */
const struct ikesa_creds *ikesa_creds_of(struct ike_daemon *d,
					 const char *conn);

#endif
