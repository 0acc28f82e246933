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
#include "crypto.h"
#include "held.h"
#include "lifetime.h"
#include "main.h"
#include "netns.h"
#include "sad.h"

static const struct rhashtable_params kipsec_sad_params = {
	.key_len = sizeof(struct kipsec_sa_id),
	.key_offset = offsetof(struct kipsec_sa, cfg.id),
	.head_offset = offsetof(struct kipsec_sa, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params kipsec_sad_out_params = {
	.key_len = sizeof(struct kipsec_sa_out_key),
	.key_offset = offsetof(struct kipsec_sa_out, key),
	.head_offset = offsetof(struct kipsec_sa_out, node),
	.automatic_shrinking = true,
};

int kipsec_sad_init(struct kipsec_sad *sad, struct mutex *lock)
{
	int ret;

	sad->lock = lock;
	atomic_set(&sad->live, 0);
	sad->count = 0;
	sad->max = KIPSEC_DEFAULT_MAX_SAS;
	sad->generation = 1;
	INIT_LIST_HEAD(&sad->larval);
	xa_init_flags(&sad->all, XA_FLAGS_ALLOC);
	ret = rhashtable_init(&sad->table, &kipsec_sad_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&sad->out, &kipsec_sad_out_params);
	if (ret)
		rhashtable_destroy(&sad->table);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_init);

void kipsec_sad_destroy(struct kipsec_sad *sad)
{
	mutex_lock(sad->lock);
	kipsec_sad_flush(sad, 0);
	mutex_unlock(sad->lock);
	/* packets in crypto and lifetime works hold SAs that count on us */
	wait_var_event(&sad->live, !atomic_read(&sad->live));
	rhashtable_destroy(&sad->out);
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

/* The newest valid SA for an outbound packet. Under the RCU read lock. */
struct kipsec_sa *kipsec_sad_lookup_out(struct kipsec_sad *sad,
					const struct kipsec_sa_out_key *key)
{
	struct kipsec_sa_out *out;
	struct kipsec_sa *sa;

	out = rhashtable_lookup(&sad->out, key, kipsec_sad_out_params);
	if (!out)
		return NULL;
	list_for_each_entry_rcu(sa, &out->sas, out_list)
		if (READ_ONCE(sa->state) == KIPSEC_SA_STATE_VALID)
			return sa;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_lookup_out);

/*
 * SAs whose last reference is gone wait here for one grace period shared
 * by all of them (a flush frees thousands), then are freed in process
 * context, because freeing a crypto transform may sleep.
 */
static LLIST_HEAD(kipsec_sa_dead);

static void kipsec_sa_gc(struct work_struct *work)
{
	struct llist_node *dead = llist_del_all(&kipsec_sa_dead);
	struct kipsec_sa *sa, *next;
	struct kipsec_sad *sad;

	/* each SA on the list was unreachable before it was put there */
	synchronize_rcu();
	llist_for_each_entry_safe(sa, next, dead, dead_node) {
		sad = sa->sad;
		/* a larval SA that was never completed (KUnit's SADs hold none) */
		if (!skb_queue_empty_lockless(&sa->held))
			kipsec_held_purge(kipsec_sa_net(sa), sa);
		kipsec_esp_destroy_sa(sa);
		kfree_sensitive(sa);
		if (atomic_dec_and_test(&sad->live))
			wake_up_var(&sad->live);
	}
}

static DECLARE_WORK(kipsec_sa_gc_work, kipsec_sa_gc);

/* For a packet that found the SA under RCU and outlives the read lock. */
bool kipsec_sa_hold(struct kipsec_sa *sa)
{
	return refcount_inc_not_zero(&sa->refcnt);
}

/* The last reference frees the SA once RCU readers are done with it. */
void kipsec_sa_put(struct kipsec_sa *sa)
{
	if (!refcount_dec_and_test(&sa->refcnt))
		return;
	llist_add(&sa->dead_node, &kipsec_sa_dead);
	queue_work(kipsec_wq, &kipsec_sa_gc_work);
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sa_put);

/* One more of an SA's counters (a member of sa->stats). */
void kipsec_sa_count(struct kipsec_sa *sa, u64 *counter)
{
	spin_lock_bh(&sa->lock);
	(*counter)++;
	spin_unlock_bh(&sa->lock);
}

void kipsec_sa_read_stats(struct kipsec_sa *sa, struct kipsec_sa_stats *st)
{
	spin_lock_bh(&sa->lock);
	*st = sa->stats;
	spin_unlock_bh(&sa->lock);
}

static struct kipsec_sa *kipsec_sa_alloc(struct kipsec_sad *sad,
					 const struct kipsec_sa_config *cfg,
					 u8 state)
{
	struct kipsec_sa *sa = kzalloc(sizeof(*sa), GFP_KERNEL);

	if (!sa)
		return NULL;
	atomic_inc(&sad->live);
	sa->sad = sad;
	kipsec_lifetime_init(sa);
	sa->cfg = *cfg;
	sa->state = state;
	sa->add_time = ktime_get_real_seconds();
	INIT_LIST_HEAD(&sa->larval_node);
	skb_queue_head_init(&sa->held);
	refcount_set(&sa->refcnt, 1);
	spin_lock_init(&sa->lock);
	return sa;
}

/*
 * A valid SA gets its transform and is found by outbound packets through
 * the template a policy names: its addresses, protocol, mode and ids.
 * An SA without a transform (AH, which kipsec does not carry yet) is
 * never found by an outbound packet (kipsec_sa_carries).
 */
static int kipsec_sa_make_valid(struct kipsec_sa *sa,
				struct netlink_ext_ack *extack)
{
	struct kipsec_sa_out_key *key = &sa->out_key;

	key->daddr = sa->cfg.id.daddr;
	key->saddr = sa->cfg.saddr;
	key->if_id = sa->cfg.if_id;
	key->reqid = sa->cfg.reqid;
	key->family = sa->cfg.id.family;
	key->proto = sa->cfg.id.proto;
	key->mode = sa->cfg.mode;
	return kipsec_esp_init_sa(sa, extack);
}

/* Whether the data path can send packets through the SA. */
static bool kipsec_sa_carries(const struct kipsec_sa *sa)
{
	return sa->state == KIPSEC_SA_STATE_VALID && sa->aead;
}

/* Make a valid SA findable by outbound packets; newer SAs are preferred. */
static int kipsec_sad_publish_out(struct kipsec_sad *sad, struct kipsec_sa *sa)
{
	struct kipsec_sa_out *out;
	int ret;

	if (!kipsec_sa_carries(sa))
		return 0;
	out = rhashtable_lookup_fast(&sad->out, &sa->out_key,
				     kipsec_sad_out_params);
	if (!out) {
		out = kzalloc(sizeof(*out), GFP_KERNEL);
		if (!out)
			return -ENOMEM;
		out->key = sa->out_key;
		INIT_LIST_HEAD(&out->sas);
		ret = rhashtable_insert_fast(&sad->out, &out->node,
					     kipsec_sad_out_params);
		if (ret) {
			kfree(out);
			return ret;
		}
	}
	/* the first valid SA on the list is the one outbound packets take */
	list_add_rcu(&sa->out_list, &out->sas);
	sa->out = out;
	return 0;
}

static void kipsec_sad_unpublish_out(struct kipsec_sad *sad,
				     struct kipsec_sa *sa)
{
	struct kipsec_sa_out *out = sa->out;

	if (!out)
		return;
	list_del_rcu(&sa->out_list);
	sa->out = NULL;
	if (list_empty(&out->sas)) {
		rhashtable_remove_fast(&sad->out, &out->node,
				       kipsec_sad_out_params);
		kfree_rcu(out, rcu);
	}
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
	if (ret)
		goto err_table;
	ret = kipsec_sad_publish_out(sad, sa);
	if (ret)
		goto err_out;
	sad->count++;
	sad->generation++;
	return 0;

err_out:
	rhashtable_remove_fast(&sad->table, &sa->node, kipsec_sad_params);
err_table:
	xa_erase(&sad->all, sa->index);
	return ret;
}

/*
 * The key manager completes a larval SA: the valid one takes its place, so
 * that RCU readers see one or the other, never a mix.
 */
static int kipsec_sad_complete_larval(struct kipsec_sad *sad,
				      struct kipsec_sa *larval,
				      struct kipsec_sa *sa)
{
	int ret;

	ret = kipsec_sad_publish_out(sad, sa);
	if (ret)
		return ret;
	sa->index = larval->index;
	ret = rhashtable_replace_fast(&sad->table, &larval->node, &sa->node,
				      kipsec_sad_params);
	if (ret) {
		kipsec_sad_unpublish_out(sad, sa);
		return ret;
	}
	xa_store(&sad->all, sa->index, sa, GFP_KERNEL);
	list_del(&larval->larval_node);
	sad->generation++;
	kipsec_sa_put(larval);
	return 0;
}

/*
 * Change what sa-set may change: lifetimes and encapsulation. The SA stays
 * in place, so its sequence numbers, replay window and counters go on.
 */
int kipsec_sad_update(struct kipsec_sad *sad, struct kipsec_sa *sa,
		      const struct kipsec_sa_config *cfg)
{
	lockdep_assert_held(sad->lock);
	spin_lock_bh(&sa->lock);
	sa->cfg.soft = cfg->soft;
	sa->cfg.hard = cfg->hard;
	sa->cfg.encap_sport = cfg->encap_sport;
	sa->cfg.encap_dport = cfg->encap_dport;
	spin_unlock_bh(&sa->lock);
	sad->generation++;
	kipsec_lifetime_changed(sa);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_update);

int kipsec_sad_add(struct kipsec_sad *sad, const struct kipsec_sa_config *cfg,
		   struct netlink_ext_ack *extack)
{
	struct kipsec_sa *old, *sa;
	int ret;

	lockdep_assert_held(sad->lock);
	old = kipsec_sad_lookup(sad, &cfg->id);
	/* sa-alloc-spi reserved a larval SA: the key manager completes it */
	if (old && old->state != KIPSEC_SA_STATE_LARVAL) {
		NL_SET_ERR_MSG(extack,
			       "an SA with this spi, destination and proto exists");
		return -EEXIST;
	}
	sa = kipsec_sa_alloc(sad, cfg, KIPSEC_SA_STATE_VALID);
	if (!sa)
		return -ENOMEM;
	ret = kipsec_sa_make_valid(sa, extack);
	if (ret)
		goto err;
	if (old)
		ret = kipsec_sad_complete_larval(sad, old, sa);
	else
		ret = kipsec_sad_insert(sad, sa, extack);
	if (ret)
		goto err;
	kipsec_lifetime_start(sa);
	return 0;

err:
	kipsec_sa_put(sa);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_sad_add);

void kipsec_sad_remove(struct kipsec_sad *sad, struct kipsec_sa *sa)
{
	lockdep_assert_held(sad->lock);
	rhashtable_remove_fast(&sad->table, &sa->node, kipsec_sad_params);
	kipsec_sad_unpublish_out(sad, sa);
	xa_erase(&sad->all, sa->index);
	list_del(&sa->larval_node);
	sad->count--;
	sad->generation++;
	/* packets still in crypto see it and stop using it */
	WRITE_ONCE(sa->state, KIPSEC_SA_STATE_EXPIRED);
	kipsec_lifetime_stop(sa);
	kipsec_sa_put(sa);
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
	sa = kipsec_sa_alloc(sad, cfg, KIPSEC_SA_STATE_LARVAL);
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
	kipsec_sa_put(sa);
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
