/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ESP (RFC 4303) packet processing.
 */
#ifndef _KIPSEC_ESP_H
#define _KIPSEC_ESP_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "stats.h"

struct aead_request;
struct kipsec_crypt;
struct kipsec_flow;
struct kipsec_net;
struct kipsec_policy;
struct kipsec_sa;

/* The ESP header's size before the IV. */
#define KIPSEC_ESP_HLEN 8

unsigned int kipsec_esp_blksize(const struct kipsec_sa *sa);
unsigned int kipsec_esp_inner_mtu(const struct kipsec_sa *sa,
				  unsigned int mtu);
struct kipsec_sa *kipsec_esp_out_sa(struct kipsec_net *kn,
				    const struct kipsec_policy *pol,
				    const struct kipsec_flow *flow);
void kipsec_esp_output(struct sk_buff *skb, struct kipsec_sa *sa,
		       struct net_device *dev, struct net *net, int oif);

struct kipsec_crypt *kipsec_esp_decrypt_prepare(struct kipsec_sa *sa,
						struct sk_buff *skb, u64 seq,
						struct aead_request **req);
int kipsec_esp_strip(const struct kipsec_sa *sa, struct sk_buff *skb,
		     u8 *nexthdr);

#endif /* _KIPSEC_ESP_H */
