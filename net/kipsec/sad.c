// SPDX-License-Identifier: GPL-2.0
/*
 * The SAD: SAs hashed by (SPI, destination, protocol) in an rhashtable for
 * lookups under RCU, and indexed in an xarray so that a dump can resume
 * where it stopped. Every change happens under the namespace's
 * configuration mutex; SAs are freed after an RCU grace period, with their
 * keys wiped.
 */
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <kunit/visibility.h>
#include <uapi/linux/kipsec.h>

#include "compat.h"
#include "sad.h"

static const struct rhashtable_params kipsec_sad_params = {
	.key_len = sizeof(struct kipsec_sa_id),
	.key_offset = offsetof(struct kipsec_sa, cfg.id),
	.head_offset = offsetof(struct kipsec_sa, node),
	.automatic_shrinking = true,
};

int kipsec_sad_init(struct kipsec_sad *sad, struct mutex *lock)
{
	sad->lock = lock;
	sad->count = 0;
	sad->max = KIPSEC_DEFAULT_MAX_SAS;
	sad->generation = 1;
	INIT_LIST_HEAD(&sad->larval);
	xa_init_flags(&sad->all, XA_FLAGS_ALLOC);
	return rhashtable_init(&sad->table, &kipsec_sad_params);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_init);

void kipsec_sad_destroy(struct kipsec_sad *sad)
{
	mutex_lock(sad->lock);
	kipsec_sad_flush(sad, 0);
	mutex_unlock(sad->lock);
	rhashtable_destroy(&sad->table);
	xa_destroy(&sad->all);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_destroy);

/* Callers hold either the RCU read lock or the configuration mutex. */
struct kipsec_sa *kipsec_sad_lookup(struct kipsec_sad *sad,
				    const struct kipsec_sa_id *id)
{
	return rhashtable_lookup_fast(&sad->table, id, kipsec_sad_params);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_lookup);

static void kipsec_sa_free_rcu(struct rcu_head *rcu)
{
	kfree_sensitive(container_of(rcu, struct kipsec_sa, rcu));
}

/* For SAs that were never visible to RCU readers, or already unlinked. */
void kipsec_sa_free(struct kipsec_sa *sa)
{
	call_rcu(&sa->rcu, kipsec_sa_free_rcu);
}

static struct kipsec_sa *kipsec_sa_alloc(const struct kipsec_sa_config *cfg,
					 u8 state)
{
	struct kipsec_sa *sa = kzalloc(sizeof(*sa), GFP_KERNEL);

	if (!sa)
		return NULL;
	sa->cfg = *cfg;
	sa->state = state;
	sa->add_time = ktime_get_real_seconds();
	INIT_LIST_HEAD(&sa->larval_node);
	return sa;
}

static int kipsec_sad_insert(struct kipsec_sad *sad, struct kipsec_sa *sa,
			     struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(sad->lock);
	if (sad->count >= sad->max) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the namespace's SA limit (max-sas %u) is reached",
				   sad->max);
		return -ENOSPC;
	}
	ret = xa_alloc(&sad->all, &sa->index, sa, xa_limit_32b, GFP_KERNEL);
	if (ret)
		return ret;
	ret = rhashtable_lookup_insert_fast(&sad->table, &sa->node,
					    kipsec_sad_params);
	if (ret) {
		xa_erase(&sad->all, sa->index);
		return ret;
	}
	sad->count++;
	sad->generation++;
	return 0;
}

/*
 * Swap in a new SA for an old one with the same identity, so that RCU
 * readers see either the old or the new configuration, never a mix.
 */
static int kipsec_sad_replace(struct kipsec_sad *sad, struct kipsec_sa *old,
			      const struct kipsec_sa_config *cfg,
			      time64_t add_time)
{
	struct kipsec_sa *sa = kipsec_sa_alloc(cfg, KIPSEC_SA_STATE_VALID);
	int ret;

	if (!sa)
		return -ENOMEM;
	sa->add_time = add_time;
	sa->index = old->index;
	ret = rhashtable_replace_fast(&sad->table, &old->node, &sa->node,
				      kipsec_sad_params);
	if (ret) {
		kfree_sensitive(sa);
		return ret;
	}
	xa_store(&sad->all, sa->index, sa, GFP_KERNEL);
	list_del(&old->larval_node);
	sad->generation++;
	kipsec_sa_free(old);
	return 0;
}

/* Replace a valid SA's configuration; its identity stays the same. */
int kipsec_sad_update(struct kipsec_sad *sad, struct kipsec_sa *sa,
		      const struct kipsec_sa_config *cfg)
{
	lockdep_assert_held(sad->lock);
	return kipsec_sad_replace(sad, sa, cfg, sa->add_time);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_update);

int kipsec_sad_add(struct kipsec_sad *sad, const struct kipsec_sa_config *cfg,
		   struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa;
	int ret;

	lockdep_assert_held(sad->lock);
	sa = kipsec_sad_lookup(sad, &cfg->id);
	/* sa-alloc-spi reserved this SA: the key manager completes it */
	if (sa && sa->state == KIPSEC_SA_STATE_LARVAL)
		return kipsec_sad_replace(sad, sa, cfg,
					  ktime_get_real_seconds());
	if (sa) {
		NL_SET_ERR_MSG(extack,
			       "an SA with this spi, destination and proto exists");
		return -EEXIST;
	}
	sa = kipsec_sa_alloc(cfg, KIPSEC_SA_STATE_VALID);
	if (!sa)
		return -ENOMEM;
	ret = kipsec_sad_insert(sad, sa, extack);
	if (ret)
		kfree_sensitive(sa);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_add);

void kipsec_sad_remove(struct kipsec_sad *sad, struct kipsec_sa *sa)
{
	lockdep_assert_held(sad->lock);
	rhashtable_remove_fast(&sad->table, &sa->node, kipsec_sad_params);
	xa_erase(&sad->all, sa->index);
	list_del(&sa->larval_node);
	sad->count--;
	sad->generation++;
	kipsec_sa_free(sa);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_remove);

/* Remove every SA, or every SA of one protocol (proto != 0). */
void kipsec_sad_flush(struct kipsec_sad *sad, u8 proto)
{
	struct kipsec_sa *sa;
	unsigned long index;

	lockdep_assert_held(sad->lock);
	xa_for_each(&sad->all, index, sa)
		if (!proto || sa->cfg.id.proto == proto)
			kipsec_sad_remove(sad, sa);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_flush);

void kipsec_sad_flush_if_id(struct kipsec_sad *sad, u32 if_id)
{
	struct kipsec_sa *sa;
	unsigned long index;

	lockdep_assert_held(sad->lock);
	xa_for_each(&sad->all, index, sa)
		if (sa->cfg.if_id == if_id)
			kipsec_sad_remove(sad, sa);
}

/* Keep the larval list ordered by deadline: timeouts differ per request. */
static void kipsec_sad_queue_larval(struct kipsec_sad *sad,
				    struct kipsec_sa *sa)
{
	struct kipsec_sa *pos;

	list_for_each_entry_reverse(pos, &sad->larval, larval_node)
		if (time_before_eq(pos->larval_deadline, sa->larval_deadline))
			break;
	list_add(&sa->larval_node, &pos->larval_node);
}

/*
 * Pick a random SPI in [spi_min, spi_max] and walk from it to the first one
 * free for (destination, proto). At most max SAs exist, so max + 1 steps
 * find a free SPI whenever the range has one; the walk stays bounded.
 */
static int kipsec_sad_pick_spi(struct kipsec_sad *sad, struct kipsec_sa_id *id,
			       u32 spi_min, u32 spi_max)
{
	u64 range = (u64)spi_max - spi_min + 1;
	u64 steps = min_t(u64, range, (u64)sad->max + 1);
	u64 offset = get_random_u32_below(range);
	u64 i;

	for (i = 0; i < steps; i++) {
		id->spi = htonl(spi_min + (offset + i) % range);
		if (!kipsec_sad_lookup(sad, id))
			return 0;
	}
	return -ENOSPC;
}

int kipsec_sad_alloc_spi(struct kipsec_sad *sad,
			 const struct kipsec_sa_config *cfg,
			 u32 spi_min, u32 spi_max, unsigned int timeout_s,
			 __be32 *spi, struct netlink_ext_ack *extack)
{
	struct kipsec_sa *sa;
	int ret;

	lockdep_assert_held(sad->lock);
	sa = kipsec_sa_alloc(cfg, KIPSEC_SA_STATE_LARVAL);
	if (!sa)
		return -ENOMEM;
	ret = kipsec_sad_pick_spi(sad, &sa->cfg.id, spi_min, spi_max);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "no free SPI in [%u, %u]",
				   spi_min, spi_max);
		goto err;
	}
	ret = kipsec_sad_insert(sad, sa, extack);
	if (ret)
		goto err;
	sa->larval_deadline = jiffies + timeout_s * HZ;
	kipsec_sad_queue_larval(sad, sa);
	*spi = sa->cfg.id.spi;
	return 0;
err:
	kfree(sa);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_alloc_spi);

/* The larval SA whose deadline passed first, if any. */
struct kipsec_sa *kipsec_sad_first_expired(struct kipsec_sad *sad,
					   unsigned long now)
{
	struct kipsec_sa *sa;

	lockdep_assert_held(sad->lock);
	sa = list_first_entry_or_null(&sad->larval, struct kipsec_sa,
				      larval_node);
	if (sa && time_after_eq(now, sa->larval_deadline))
		return sa;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_first_expired);

/* When the next larval SA expires (jiffies), or 0 when none waits. */
unsigned long kipsec_sad_next_deadline(struct kipsec_sad *sad)
{
	struct kipsec_sa *sa;

	lockdep_assert_held(sad->lock);
	sa = list_first_entry_or_null(&sad->larval, struct kipsec_sa,
				      larval_node);
	return sa ? sa->larval_deadline : 0;
}
