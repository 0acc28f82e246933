// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD: policies indexed by id in an xarray (get, delete, resumable
 * dumps) and kept per direction in a list ordered by priority, lowest
 * first, then by age, so that the first match is the one that wins.
 * Changes happen under the namespace's configuration mutex; lookups walk
 * the lists under RCU.
 */
#include <linux/export.h>
#include <linux/inetdevice.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <kunit/visibility.h>
#include <net/ipv6.h>

#include "compat.h"
#include "spd.h"

void kipsec_spd_init(struct kipsec_spd *spd, struct mutex *lock)
{
	int dir;

	spd->lock = lock;
	spd->count = 0;
	spd->max = KIPSEC_DEFAULT_MAX_POLICIES;
	spd->generation = 1;
	xa_init_flags(&spd->by_id, XA_FLAGS_ALLOC1);
	for (dir = 0; dir < KIPSEC_DIRS; dir++)
		INIT_LIST_HEAD(&spd->dirs[dir]);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_init);

void kipsec_spd_destroy(struct kipsec_spd *spd)
{
	mutex_lock(spd->lock);
	kipsec_spd_flush(spd, -1);
	mutex_unlock(spd->lock);
	xa_destroy(&spd->by_id);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_destroy);

/* The policy added with the same direction, if_id and selector, if any. */
struct kipsec_policy *kipsec_spd_find(struct kipsec_spd *spd,
				      const struct kipsec_policy_config *cfg)
{
	struct kipsec_policy *pol;

	lockdep_assert_held(spd->lock);
	list_for_each_entry(pol, &spd->dirs[cfg->dir], node)
		if (pol->cfg.if_id == cfg->if_id &&
		    !memcmp(&pol->cfg.sel, &cfg->sel, sizeof(cfg->sel)))
			return pol;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_find);

/* Behind every policy of the same or lower priority value: older wins ties. */
static void kipsec_spd_link(struct kipsec_spd *spd, struct kipsec_policy *pol)
{
	struct list_head *head = &spd->dirs[pol->cfg.dir];
	struct kipsec_policy *pos;

	list_for_each_entry_reverse(pos, head, node)
		if (pos->cfg.priority <= pol->cfg.priority)
			break;
	list_add_rcu(&pol->node, &pos->node);
}

int kipsec_spd_add(struct kipsec_spd *spd,
		   const struct kipsec_policy_config *cfg, u32 *id,
		   struct netlink_ext_ack *extack)
{
	struct kipsec_policy *pol;
	int ret;

	lockdep_assert_held(spd->lock);
	if (kipsec_spd_find(spd, cfg)) {
		NL_SET_ERR_MSG(extack,
			       "a policy with this dir, selector and if-id exists");
		return -EEXIST;
	}
	if (spd->count >= spd->max) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the namespace's policy limit (max-policies %u) is reached",
				   spd->max);
		return -ENOSPC;
	}
	pol = kzalloc(sizeof(*pol), GFP_KERNEL);
	if (!pol)
		return -ENOMEM;
	pol->cfg = *cfg;
	ret = xa_alloc(&spd->by_id, &pol->id, pol, xa_limit_32b, GFP_KERNEL);
	if (ret) {
		kfree(pol);
		return ret;
	}
	kipsec_spd_link(spd, pol);
	spd->count++;
	spd->generation++;
	*id = pol->id;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_add);

void kipsec_spd_remove(struct kipsec_spd *spd, struct kipsec_policy *pol)
{
	lockdep_assert_held(spd->lock);
	list_del_rcu(&pol->node);
	xa_erase(&spd->by_id, pol->id);
	spd->count--;
	spd->generation++;
	kfree_rcu(pol, rcu);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_remove);

/* Remove every policy, or those of one direction (dir >= 0). */
void kipsec_spd_flush(struct kipsec_spd *spd, int dir)
{
	struct kipsec_policy *pol;
	unsigned long id;

	lockdep_assert_held(spd->lock);
	xa_for_each(&spd->by_id, id, pol)
		if (dir < 0 || pol->cfg.dir == dir)
			kipsec_spd_remove(spd, pol);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_flush);

void kipsec_spd_flush_if_id(struct kipsec_spd *spd, u32 if_id)
{
	struct kipsec_policy *pol;
	unsigned long id;

	lockdep_assert_held(spd->lock);
	xa_for_each(&spd->by_id, id, pol)
		if (pol->cfg.if_id == if_id)
			kipsec_spd_remove(spd, pol);
}

static bool kipsec_prefix_match(const union kipsec_addr *net, u8 prefix,
				const union kipsec_addr *addr, u8 family)
{
	if (family == AF_INET)
		return !((net->a4 ^ addr->a4) & inet_make_mask(prefix));
	return ipv6_prefix_equal(&net->a6, &addr->a6, prefix);
}

bool kipsec_selector_match(const struct kipsec_selector *sel,
			   const struct kipsec_flow *flow)
{
	if (sel->family && sel->family != flow->family)
		return false;
	if (sel->family &&
	    (!kipsec_prefix_match(&sel->saddr, sel->sprefix, &flow->saddr,
				  flow->family) ||
	     !kipsec_prefix_match(&sel->daddr, sel->dprefix, &flow->daddr,
				  flow->family)))
		return false;
	if (sel->proto && sel->proto != flow->proto)
		return false;
	if (sel->icmp_type >= 0)
		return sel->icmp_type == flow->sport &&
		       (sel->icmp_code < 0 || sel->icmp_code == flow->dport);
	return flow->sport >= sel->sport_min && flow->sport <= sel->sport_max &&
	       flow->dport >= sel->dport_min && flow->dport <= sel->dport_max;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_selector_match);

/*
 * The winning policy of a direction for a packet on the kipsec link with
 * if_id (0: not on a link). Called under the RCU read lock.
 */
struct kipsec_policy *kipsec_spd_lookup(struct kipsec_spd *spd, u8 dir,
					u32 if_id,
					const struct kipsec_flow *flow)
{
	struct kipsec_policy *pol;

	list_for_each_entry_rcu(pol, &spd->dirs[dir], node)
		if (pol->cfg.if_id == if_id &&
		    kipsec_selector_match(&pol->cfg.sel, flow))
			return pol;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_spd_lookup);
