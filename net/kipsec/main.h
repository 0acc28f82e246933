/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_MAIN_H
#define _KIPSEC_MAIN_H

#include <linux/workqueue.h>

/* Frees SAs and runs their lifetime work; flushed on module exit. */
extern struct workqueue_struct *kipsec_wq;

#endif /* _KIPSEC_MAIN_H */
