/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_FLOW_H
#define _KIPSEC_FLOW_H

#include <linux/skbuff.h>

#include "spd.h"

int kipsec_flow_parse(struct sk_buff *skb, struct kipsec_flow *flow);

#endif /* _KIPSEC_FLOW_H */
