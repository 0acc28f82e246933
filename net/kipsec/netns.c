// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state: the SAD, the SPD and the mutex that
 * serialises their configuration.
 */
#include <linux/jiffies.h>
#include <linux/rtnetlink.h>
#include <net/netns/generic.h>

#include "acquire.h"
#include "encap.h"
#include "hooks.h"
#include "link.h"
#include "netlink.h"
#include "netns.h"

static unsigned int kipsec_net_id __read_mostly;

struct kipsec_net *kipsec_net(const struct net *net)
{
	return net_generic(net, kipsec_net_id);
}

/* Run the larval work when the next larval SA is due; idle when none is. */
void kipsec_net_schedule_larval(struct kipsec_net *kn)
{
	unsigned long deadline = kipsec_sad_next_deadline(&kn->sad);

	lockdep_assert_held(&kn->lock);
	if (deadline)
		mod_delayed_work(system_wq, &kn->larval_work,
				 time_after(deadline, jiffies) ?
				 deadline - jiffies : 0);
}

static void kipsec_net_larval_work(struct work_struct *work)
{
	struct kipsec_net *kn = container_of(to_delayed_work(work),
					     struct kipsec_net, larval_work);
	struct kipsec_sa *sa;

	mutex_lock(&kn->lock);
	while ((sa = kipsec_sad_first_expired(&kn->sad, jiffies))) {
		kipsec_nl_notify_expire(kn->net, sa, KIPSEC_EXPIRE_KIND_HARD);
		kipsec_sad_remove(&kn->sad, sa);
	}
	kipsec_net_schedule_larval(kn);
	mutex_unlock(&kn->lock);
}

/* A kipsec link went away: so do the SAs and policies bound to it. */
void kipsec_net_flush_if_id(struct net *net, u32 if_id)
{
	struct kipsec_net *kn = kipsec_net(net);

	mutex_lock(&kn->lock);
	kipsec_sad_flush_if_id(&kn->sad, if_id);
	kipsec_spd_flush_if_id(&kn->spd, if_id);
	mutex_unlock(&kn->lock);
}

void kipsec_net_read_drops(struct kipsec_net *kn, struct kipsec_drop_stats *out)
{
	const struct kipsec_drop_stats *pcpu;
	int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		pcpu = per_cpu_ptr(kn->drops, cpu);
		for (i = 0; i < KIPSEC_DROPS; i++)
			out->count[i] += READ_ONCE(pcpu->count[i]);
	}
}

/*
 * Empty the namespace's databases under its mutex, before its links go:
 * deleting a link flushes what is bound to it under the RTNL, which
 * would hold the RTNL for every SA of the namespace.
 */
static void kipsec_net_flush(struct kipsec_net *kn)
{
	mutex_lock(&kn->lock);
	kipsec_sad_flush(&kn->sad, 0);
	kipsec_spd_flush(&kn->spd, -1);
	mutex_unlock(&kn->lock);
}

/*
 * Module exit, once the genetlink family is gone and no SA or policy can
 * be added: unregistering the link ops next deletes every kipsec link
 * under the RTNL.
 */
void kipsec_netns_flush_all(void)
{
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net)
		kipsec_net_flush(kipsec_net(net));
	up_read(&net_rwsem);
}

static int __net_init kipsec_net_init(struct net *net)
{
	struct kipsec_net *kn = kipsec_net(net);
	int ret;

	kn->net = net;
	mutex_init(&kn->lock);
	INIT_DELAYED_WORK(&kn->larval_work, kipsec_net_larval_work);
	xa_init(&kn->links);
	kipsec_acquire_init(kn);
	kn->drops = alloc_percpu(struct kipsec_drop_stats);
	if (!kn->drops)
		return -ENOMEM;
	ret = kipsec_sad_init(&kn->sad, &kn->lock);
	if (ret)
		goto err_sad;
	kn->sad.net = net;
	kipsec_spd_init(&kn->spd, &kn->lock);
	ret = kipsec_hooks_register(net);
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	kipsec_spd_destroy(&kn->spd);
	kipsec_sad_destroy(&kn->sad);
err_sad:
	free_percpu(kn->drops);
	return ret;
}

static void __net_exit kipsec_net_exit_batch(struct list_head *net_list)
{
	struct kipsec_net *kn;
	struct net *net;

	list_for_each_entry(net, net_list, exit_list) {
		kn = kipsec_net(net);
		kipsec_encap_detach(kn);
		/* waits for the hooks, and the encap receiver, to be done */
		kipsec_hooks_unregister(net);
		cancel_delayed_work_sync(&kn->larval_work);
		kipsec_net_flush(kn);
	}
	kipsec_link_destroy_nets(net_list);
	list_for_each_entry(net, net_list, exit_list) {
		kn = kipsec_net(net);
		kipsec_spd_destroy(&kn->spd);
		kipsec_sad_destroy(&kn->sad);
		free_percpu(kn->drops);
	}
}

static struct pernet_operations kipsec_net_ops = {
	.init = kipsec_net_init,
	.exit_batch = kipsec_net_exit_batch,
	.id = &kipsec_net_id,
	.size = sizeof(struct kipsec_net),
};

int kipsec_netns_register(void)
{
	return register_pernet_device(&kipsec_net_ops);
}

void kipsec_netns_unregister(void)
{
	unregister_pernet_device(&kipsec_net_ops);
}
