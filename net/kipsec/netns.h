/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_NETNS_H
#define _KIPSEC_NETNS_H

#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "sad.h"
#include "spd.h"
#include "stats.h"

/* kipsec's state in one network namespace. */
struct kipsec_net {
	struct net *net;
	struct mutex lock;		/* serialises every configuration change */
	struct kipsec_sad sad;
	struct kipsec_spd spd;
	struct delayed_work larval_work;	/* expires larval SAs */
	struct xarray links;		/* if_id -> kipsec_link; RTNL, RCU */
	struct kipsec_drop_stats __percpu *drops;
	struct ratelimit_state acquire_limit;	/* ACQUIRE events a second */
	struct sock *encap_sk;		/* ESP-in-UDP socket; under lock */
};

/* The namespace whose SAD holds the SA. */
static inline struct kipsec_net *kipsec_sa_net(const struct kipsec_sa *sa)
{
	return container_of(sa->sad, struct kipsec_net, sad);
}

/* Count a packet the data path dropped, and why. */
static inline void kipsec_drop(struct kipsec_net *kn, enum kipsec_drop why)
{
	this_cpu_inc(kn->drops->count[why]);
}

struct kipsec_net *kipsec_net(const struct net *net);
void kipsec_net_schedule_larval(struct kipsec_net *kn);
void kipsec_net_flush_if_id(struct net *net, u32 if_id);
void kipsec_net_read_drops(struct kipsec_net *kn, struct kipsec_drop_stats *out);

void kipsec_netns_flush_all(void);
int kipsec_netns_register(void);
void kipsec_netns_unregister(void);

#endif /* _KIPSEC_NETNS_H */
