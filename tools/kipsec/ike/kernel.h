/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IKE daemon's side of the kipsec module: SPIs, SAs and policies over
 * the generic netlink family, and the events (EXPIRE, ACQUIRE, mapping)
 * that drive rekeying and on-demand negotiation.
 */
#ifndef KIPSEC_IKE_KERNEL_H
#define KIPSEC_IKE_KERNEL_H

#include "../nl.h"

struct ike_kernel {
	struct nl req;		/* requests, one at a time */
	struct nl events;	/* the events group, non-blocking */
	char err[320];		/* the last failure, for the diagnostics */
};

enum ike_kernel_event_type {
	IKE_KEV_EXPIRE,
	IKE_KEV_ACQUIRE,
	IKE_KEV_MAPPING,
};

struct ike_kernel_event {
	enum ike_kernel_event_type type;
	struct sa sa;		/* EXPIRE, MAPPING */
	struct policy policy;	/* ACQUIRE: the policy and the packet */
};

typedef void (*ike_kernel_event_cb)(const struct ike_kernel_event *ev,
				    void *data);

int ike_kernel_open(struct ike_kernel *k);
void ike_kernel_close(struct ike_kernel *k);
int ike_kernel_events_fd(const struct ike_kernel *k);
/* Reads what the events socket holds; 0, or -1 on a socket error. */
int ike_kernel_read_events(struct ike_kernel *k, ike_kernel_event_cb cb,
			   void *data);

/* Each returns 0, or -1 with k->err saying what the kernel refused. */
int ike_kernel_alloc_spi(struct ike_kernel *k, const struct addr *src,
			 const struct addr *dst, uint32_t *spi);
int ike_kernel_sa_add(struct ike_kernel *k, const struct sa *sa);
int ike_kernel_sa_del(struct ike_kernel *k, const struct addr *dst,
		      uint32_t spi);
int ike_kernel_sa_stats(struct ike_kernel *k, const struct addr *dst,
			uint32_t spi, struct counters *stats);
int ike_kernel_policy_add(struct ike_kernel *k, const struct policy *p,
			  uint32_t *id);
int ike_kernel_policy_del(struct ike_kernel *k, uint32_t id);
int ike_kernel_encap_set(struct ike_kernel *k, int fd);
int ike_kernel_link_if_id(struct ike_kernel *k, const char *name,
			  uint32_t *if_id);

#endif /* KIPSEC_IKE_KERNEL_H */
