/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipsec ike's configuration: swanctl.conf's vocabulary (connections,
 * children, IKE secrets) in strongSwan's settings syntax. What is
 * accepted, and what is refused or ignored, is in
 * Documentation/ike.conf.rst.
 */
#ifndef KIPSEC_IKE_CONF_H
#define KIPSEC_IKE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../kipsec.h"
#include "ike.h"
#include "proposal.h"
#include "ts.h"

enum ike_conf_auth {
	IKE_CONF_AUTH_PUBKEY,	/* strongSwan's default */
	IKE_CONF_AUTH_PSK,
};

/* start_action, close_action and dpd_action share strongSwan's values. */
enum ike_conf_action {
	IKE_CONF_ACTION_NONE,	/* "none", "clear" */
	IKE_CONF_ACTION_TRAP,	/* "trap", "route" */
	IKE_CONF_ACTION_START,	/* "start", "restart" */
};

enum ike_conf_mode {
	IKE_CONF_MODE_TUNNEL,
	IKE_CONF_MODE_TRANSPORT,
};

enum ike_conf_frag {
	IKE_CONF_FRAG_YES,
	IKE_CONF_FRAG_ACCEPT,
	IKE_CONF_FRAG_FORCE,
	IKE_CONF_FRAG_NO,
};

/* An entry of local_addrs/remote_addrs: lo == hi for one address; both
 * of family 0 for %any; %any4, %any6, prefixes and ranges span more.
 */
struct ike_conf_host {
	struct addr lo, hi;
};

struct ike_conf_hosts {
	struct ike_conf_host *v;
	size_t n;
};

struct ike_strings {
	char **v;
	size_t n;
};

struct ike_ts_cfgs {
	struct ike_ts_cfg *v;
	size_t n;
};

/* One authentication round, local or remote (one of each for now). */
struct ike_conf_auth_round {
	enum ike_conf_auth auth;
	char *id;		/* NULL: strongSwan's default (the address) */
	struct ike_strings certs;	/* local: certs; remote: cacerts */
};

/* Soft and hard limits and the jitter, all 0 for none. */
struct ike_lifetime {
	uint64_t rekey, life, rand;
};

struct ike_child {
	char *name;
	unsigned int line;	/* where the section starts */
	struct ike_ts_cfgs local_ts, remote_ts;	/* default: dynamic */
	struct ike_proposal_list esp;
	enum ike_conf_mode mode;
	enum ike_conf_action start_action, close_action, dpd_action;
	struct ike_lifetime time;	/* seconds */
	struct ike_lifetime bytes;
	struct ike_lifetime packets;
	uint32_t replay_window;	/* packets */
};

struct ike_conn {
	char *name;
	unsigned int line;
	unsigned int version;	/* 0: any, 1, 2 */
	bool aggressive;	/* IKEv1 */
	bool encap, mobike, weak_algorithms;
	enum ike_conf_frag fragmentation;
	struct ike_conf_hosts local_addrs, remote_addrs; /* default %any */
	uint16_t local_port, remote_port;
	struct ike_proposal_list proposals;
	uint64_t dpd_delay, dpd_timeout;	/* seconds, 0 for none */
	uint64_t rekey_time, reauth_time, over_time, rand_time;
	uint32_t if_id;		/* 0: not bound to a kipsec link by id */
	char *interface;	/* or by name; at most one of the two */
	struct ike_conf_auth_round local, remote;
	struct ike_child *children;
	size_t n_children;
};

struct ike_secret {
	char *name;		/* the section, "ike-moon" */
	unsigned int line;
	uint8_t *key;		/* wiped when freed */
	size_t key_len;
	struct ike_strings ids;	/* none: any identity */
};

struct ike_config {
	struct ike_conn *conns;
	size_t n_conns;
	struct ike_secret *secrets;
	size_t n_secrets;
	/* "FILE:LINE:COL: warning: ..." for what loads but looks wrong */
	struct ike_strings warnings;
};

/*
 * Load a file, or text that name stands for in messages. On error,
 * returns -1 with "FILE:LINE:COL: what is wrong" in err and cfg empty;
 * the first error stops the load. Free cfg with ike_config_free() either
 * way.
 */
int ike_config_load(struct ike_config *cfg, const char *path,
		    char *err, size_t errlen);
int ike_config_parse(struct ike_config *cfg, const char *name,
		     const char *text, char *err, size_t errlen);
void ike_config_free(struct ike_config *cfg);

const struct ike_conn *ike_config_find(const struct ike_config *cfg,
				       const char *name);
const struct ike_child *ike_conn_find_child(const struct ike_conn *conn,
					    const char *name);

/*
 * The PSK for two identities, chosen as strongSwan does: a secret naming
 * both beats one naming either, which beats one naming none (a wildcard).
 * Identities compare without regard to case. NULL when none applies.
 */
const struct ike_secret *ike_config_find_psk(const struct ike_config *cfg,
					     const char *local_id,
					     const char *remote_id);

#endif /* KIPSEC_IKE_CONF_H */
