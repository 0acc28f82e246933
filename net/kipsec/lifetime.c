// SPDX-License-Identifier: GPL-2.0
/*
 * SA lifetimes. Packets count under the SA's lock and, when they cross a
 * limit, kick the SA's lifetime work; the work also runs when a limit in
 * seconds falls due. Under the configuration mutex it sends EXPIRE(soft)
 * once, or EXPIRE(hard) and removes the SA. As in XFRM, a limit of N
 * packets lets N packets through, and a byte limit stops the first packet
 * after the SA has carried that many bytes.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <uapi/linux/kipsec.h>

#include "lifetime.h"
#include "main.h"
#include "netlink.h"
#include "sad.h"

static bool kipsec_count_reached(const struct kipsec_sa_stats *st,
				 const struct kipsec_lifetime *lt)
{
	return (lt->bytes && st->bytes >= lt->bytes) ||
	       (lt->packets && st->packets >= lt->packets);
}

static bool kipsec_time_reached(const struct kipsec_sa *sa, u64 seconds)
{
	return seconds &&
	       (jiffies - sa->valid_jiffies) / HZ >= min_t(u64, seconds,
							   MAX_JIFFY_OFFSET / HZ);
}

/* Jiffies until a limit in seconds falls due: 0 if it did, -1 if none. */
static long kipsec_time_left(const struct kipsec_sa *sa, u64 seconds)
{
	unsigned long due;

	if (!seconds)
		return -1;
	due = sa->valid_jiffies + min_t(u64, seconds, MAX_JIFFY_OFFSET / HZ) * HZ;
	return time_after(due, jiffies) ? due - jiffies : 0;
}

/* Queue the work after delay jiffies; a queued work holds a reference. */
static void kipsec_lifetime_schedule(struct kipsec_sa *sa, unsigned long delay)
{
	if (!kipsec_sa_hold(sa))
		return;
	if (mod_delayed_work(kipsec_wq, &sa->lifetime_work, delay))
		kipsec_sa_put(sa);	/* it was queued: it has its reference */
}

/* Wake the work for the next limit in seconds that has not fired yet. */
static void kipsec_lifetime_arm(struct kipsec_sa *sa)
{
	long soft = sa->soft_sent ? -1 : kipsec_time_left(sa, sa->cfg.soft.seconds);
	long hard = kipsec_time_left(sa, sa->cfg.hard.seconds);
	long next = soft < 0 ? hard : hard < 0 ? soft : min(soft, hard);

	if (next >= 0)
		kipsec_lifetime_schedule(sa, next);
}

static void kipsec_lifetime_work(struct work_struct *work)
{
	struct kipsec_sa *sa = container_of(to_delayed_work(work),
					    struct kipsec_sa, lifetime_work);
	struct kipsec_sad *sad = sa->sad;
	bool hard, soft;

	mutex_lock(sad->lock);
	if (READ_ONCE(sa->state) != KIPSEC_SA_STATE_VALID)
		goto out;
	spin_lock_bh(&sa->lock);
	hard = sa->hard_kicked ||
	       kipsec_count_reached(&sa->stats, &sa->cfg.hard) ||
	       kipsec_time_reached(sa, sa->cfg.hard.seconds);
	soft = kipsec_count_reached(&sa->stats, &sa->cfg.soft) ||
	       kipsec_time_reached(sa, sa->cfg.soft.seconds);
	spin_unlock_bh(&sa->lock);
	if (hard) {
		if (sad->net)
			kipsec_nl_notify_expire(sad->net, sa,
						KIPSEC_EXPIRE_KIND_HARD);
		kipsec_sad_remove(sad, sa);
		goto out;
	}
	if (soft && !sa->soft_sent) {
		sa->soft_sent = true;
		if (sad->net)
			kipsec_nl_notify_expire(sad->net, sa,
						KIPSEC_EXPIRE_KIND_SOFT);
	}
	kipsec_lifetime_arm(sa);
out:
	mutex_unlock(sad->lock);
	kipsec_sa_put(sa);
}

void kipsec_lifetime_init(struct kipsec_sa *sa)
{
	INIT_DELAYED_WORK(&sa->lifetime_work, kipsec_lifetime_work);
}

/* The SA became valid; called under the configuration mutex. */
void kipsec_lifetime_start(struct kipsec_sa *sa)
{
	sa->valid_jiffies = jiffies;
	kipsec_lifetime_arm(sa);
}

/* sa-set changed the limits: a lower one may already be reached. */
void kipsec_lifetime_changed(struct kipsec_sa *sa)
{
	spin_lock_bh(&sa->lock);
	sa->soft_kicked = false;
	sa->hard_kicked = false;
	spin_unlock_bh(&sa->lock);
	kipsec_lifetime_schedule(sa, 0);
}

/* The SA left the SAD: a queued work gives its reference back. */
void kipsec_lifetime_stop(struct kipsec_sa *sa)
{
	if (cancel_delayed_work(&sa->lifetime_work))
		kipsec_sa_put(sa);
}

/*
 * Count one packet of bytes on the SA, under its lock. False when the SA
 * reached a hard limit before it: the packet must be dropped.
 */
bool kipsec_lifetime_count(struct kipsec_sa *sa, unsigned int bytes)
{
	struct kipsec_sa_stats *st = &sa->stats;

	lockdep_assert_held(&sa->lock);
	if (sa->hard_kicked || kipsec_count_reached(st, &sa->cfg.hard))
		return false;
	st->bytes += bytes;
	st->packets++;
	if (!st->use_time)
		st->use_time = ktime_get_real_seconds();
	if (!sa->hard_kicked && kipsec_count_reached(st, &sa->cfg.hard)) {
		sa->hard_kicked = true;
		kipsec_lifetime_schedule(sa, 0);
	} else if (!sa->soft_kicked &&
		   kipsec_count_reached(st, &sa->cfg.soft)) {
		sa->soft_kicked = true;
		kipsec_lifetime_schedule(sa, 0);
	}
	return true;
}

/* Sequence numbers ran out (under the SA's lock): the SA dies as if hard. */
void kipsec_lifetime_exhausted(struct kipsec_sa *sa)
{
	lockdep_assert_held(&sa->lock);
	if (!sa->hard_kicked) {
		sa->hard_kicked = true;
		kipsec_lifetime_schedule(sa, 0);
	}
}
