/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KIPSEC_ADDR_H
#define _KIPSEC_ADDR_H

#include <linux/in6.h>
#include <linux/socket.h>

/* An IPv4 or IPv6 address; the family is kept beside it. */
union kipsec_addr {
	__be32 a4;
	struct in6_addr a6;
};

static inline unsigned int kipsec_addr_bits(u8 family)
{
	return family == AF_INET ? 32 : 128;
}

#endif /* _KIPSEC_ADDR_H */
