/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_HOOKS_H
#define _KIPSEC_HOOKS_H

#include <net/net_namespace.h>

int kipsec_hooks_register(struct net *net);
void kipsec_hooks_unregister(struct net *net);

#endif /* _KIPSEC_HOOKS_H */
