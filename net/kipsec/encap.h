/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_ENCAP_H
#define _KIPSEC_ENCAP_H

#include <linux/netlink.h>

#include "addr.h"

struct kipsec_net;

/* Where an ESP-in-UDP packet came from: its NAT mapping. */
struct kipsec_encap_src {
	union kipsec_addr addr;
	__be16 port;
};

int kipsec_encap_attach(struct kipsec_net *kn, int fd,
			struct netlink_ext_ack *extack);
void kipsec_encap_detach(struct kipsec_net *kn);

#endif /* _KIPSEC_ENCAP_H */
