// SPDX-License-Identifier: GPL-2.0
/*
 * kipsec: an IPsec stack with its own SAD and SPD, configured over generic
 * netlink. Module init and exit order only.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/kipsec.h>

#include "input.h"
#include "link.h"
#include "main.h"
#include "netlink.h"
#include "netns.h"

struct workqueue_struct *kipsec_wq;

static int __init kipsec_init(void)
{
	int ret;

	kipsec_wq = alloc_workqueue("kipsec", WQ_UNBOUND, 0);
	if (!kipsec_wq)
		return -ENOMEM;
	ret = kipsec_netns_register();
	if (ret)
		goto err_netns;
	ret = kipsec_input_register();
	if (ret)
		goto err_input;
	ret = kipsec_link_register();
	if (ret)
		goto err_link;
	/* last: userspace must never see a half-built module */
	ret = kipsec_nl_register();
	if (ret)
		goto err_nl;
	return 0;

err_nl:
	kipsec_link_unregister();
err_link:
	kipsec_input_unregister();
err_input:
	kipsec_netns_unregister();
err_netns:
	destroy_workqueue(kipsec_wq);
	return ret;
}

static void __exit kipsec_exit(void)
{
	kipsec_nl_unregister();
	kipsec_netns_flush_all();
	kipsec_link_unregister();
	kipsec_input_unregister();
	/* waits until every namespace's SAs are freed */
	kipsec_netns_unregister();
	destroy_workqueue(kipsec_wq);
}

module_init(kipsec_init);
module_exit(kipsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kipsec: IPsec with its own SAD and SPD");
MODULE_ALIAS_RTNL_LINK("kipsec");
MODULE_ALIAS_GENL_FAMILY(KIPSEC_FAMILY_NAME);
