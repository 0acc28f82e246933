/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Soft and hard lifetimes of an SA in bytes, packets and seconds: the
 * data path counts, a per-SA work announces the expiry and removes the SA.
 */
#ifndef _KIPSEC_LIFETIME_H
#define _KIPSEC_LIFETIME_H

#include <linux/types.h>

struct kipsec_sa;

void kipsec_lifetime_init(struct kipsec_sa *sa);
void kipsec_lifetime_start(struct kipsec_sa *sa);
void kipsec_lifetime_changed(struct kipsec_sa *sa);
void kipsec_lifetime_stop(struct kipsec_sa *sa);
bool kipsec_lifetime_count(struct kipsec_sa *sa, unsigned int bytes);
void kipsec_lifetime_exhausted(struct kipsec_sa *sa);

#endif /* _KIPSEC_LIFETIME_H */
