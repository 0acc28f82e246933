/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_INPUT_H
#define _KIPSEC_INPUT_H

#include <linux/skbuff.h>

struct kipsec_encap_src;
struct kipsec_net;
struct kipsec_sa;

bool kipsec_input_is_decrypted(const struct sk_buff *skb);
void kipsec_input_encap(struct kipsec_net *kn, struct sk_buff *skb,
			const struct kipsec_encap_src *src);
void kipsec_input_release_held(struct kipsec_net *kn, struct kipsec_sa *larval);
int kipsec_input_register(void);
void kipsec_input_unregister(void);

#endif /* _KIPSEC_INPUT_H */
