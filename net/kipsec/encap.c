// SPDX-License-Identifier: GPL-2.0
/*
 * UDP encapsulation of ESP (RFC 3948). The key manager hands kipsec the
 * UDP socket IKE uses on port 4500, and kipsec becomes its encapsulation
 * receiver: NAT keepalives (one 0xff byte) are swallowed, IKE messages
 * (behind the zero non-ESP marker) stay on the socket, and ESP-in-UDP
 * loses its UDP header and goes through ESP input as if it came bare.
 * One socket per namespace; a new one replaces the old, and closing the
 * socket detaches it. IPv4 only for now.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/udp.h>

#include "encap.h"
#include "esp.h"
#include "input.h"
#include "netns.h"

#define KIPSEC_NAT_KEEPALIVE 0xff

/* The UDP header goes; the IP header moves up to sit before ESP. */
static int kipsec_encap_strip_udp(struct sk_buff *skb)
{
	struct iphdr *iph = ip_hdr(skb);
	unsigned int iphlen = iph->ihl * 4;

	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	iph = ip_hdr(skb);
	memmove((u8 *)iph + sizeof(struct udphdr), iph, iphlen);
	skb->network_header += sizeof(struct udphdr);
	__skb_pull(skb, sizeof(struct udphdr));
	skb_reset_transport_header(skb);
	iph = ip_hdr(skb);
	iph->protocol = IPPROTO_ESP;
	iph->tot_len = htons(ntohs(iph->tot_len) - sizeof(struct udphdr));
	return 0;
}

/*
 * UDP's encap_rcv, with skb->data at the UDP header: 0 when kipsec took
 * the packet, > 0 to leave it to the socket.
 */
static int kipsec_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct kipsec_net *kn = rcu_dereference_sk_user_data(sk);
	int len = skb->len - sizeof(struct udphdr);
	struct kipsec_encap_src src = {};
	const u8 *data;

	if (!kn || !pskb_may_pull(skb, sizeof(struct udphdr) + min(len, 8)))
		return 1;
	data = skb->data + sizeof(struct udphdr);
	if (len == 1 && data[0] == KIPSEC_NAT_KEEPALIVE) {
		consume_skb(skb);
		return 0;
	}
	/* too short for ESP, or the non-ESP marker: IKE's */
	if (len <= KIPSEC_ESP_HLEN || !*(const __be32 *)data)
		return 1;
	src.addr.a4 = ip_hdr(skb)->saddr;
	src.port = udp_hdr(skb)->source;
	if (kipsec_encap_strip_udp(skb)) {
		kipsec_drop(kn, KIPSEC_DROP_IN_NOMEM);
		kfree_skb(skb);
		return 0;
	}
	kipsec_input_encap(kn, skb, &src);
	return 0;
}

static void kipsec_encap_release(struct sock *sk)
{
	struct udp_sock *up = udp_sk(sk);

	WRITE_ONCE(up->encap_rcv, NULL);
	WRITE_ONCE(up->encap_destroy, NULL);
	WRITE_ONCE(up->encap_type, 0);
	rcu_assign_sk_user_data(sk, NULL);
	sock_put(sk);
}

/*
 * The socket is closing: kipsec lets go of it. A user socket holds its
 * namespace, so kn outlives the read-side section.
 */
static void kipsec_encap_destroy(struct sock *sk)
{
	struct kipsec_net *kn;

	rcu_read_lock();
	kn = rcu_dereference_sk_user_data(sk);
	rcu_read_unlock();
	if (!kn)
		return;
	mutex_lock(&kn->lock);
	if (kn->encap_sk == sk) {
		kn->encap_sk = NULL;
		kipsec_encap_release(sk);
	}
	mutex_unlock(&kn->lock);
}

static int kipsec_encap_check(struct kipsec_net *kn, struct sock *sk,
			      struct netlink_ext_ack *extack)
{
	if (sk->sk_type != SOCK_DGRAM || sk->sk_protocol != IPPROTO_UDP ||
	    sk->sk_family != AF_INET) {
		NL_SET_ERR_MSG(extack, "fd: not an IPv4 UDP socket");
		return -EINVAL;
	}
	if (!net_eq(sock_net(sk), kn->net)) {
		NL_SET_ERR_MSG(extack,
			       "fd: the socket belongs to another network namespace");
		return -EINVAL;
	}
	if (READ_ONCE(udp_sk(sk)->encap_type) && sk != kn->encap_sk) {
		NL_SET_ERR_MSG(extack,
			       "fd: the socket already has a UDP encapsulation (UDP_ENCAP?)");
		return -EBUSY;
	}
	return 0;
}

/* Take the socket behind fd as the namespace's ESP-in-UDP socket. */
int kipsec_encap_attach(struct kipsec_net *kn, int fd,
			struct netlink_ext_ack *extack)
{
	struct udp_sock *up;
	struct socket *sock;
	struct sock *sk;
	int ret;

	sock = sockfd_lookup(fd, &ret);
	if (!sock) {
		NL_SET_ERR_MSG(extack, "fd: not a socket of the caller");
		return ret;
	}
	sk = sock->sk;
	mutex_lock(&kn->lock);
	ret = kipsec_encap_check(kn, sk, extack);
	if (ret || sk == kn->encap_sk)
		goto out;
	if (kn->encap_sk)
		kipsec_encap_release(kn->encap_sk);
	sock_hold(sk);
	kn->encap_sk = sk;
	up = udp_sk(sk);
	rcu_assign_sk_user_data(sk, kn);
	WRITE_ONCE(up->encap_destroy, kipsec_encap_destroy);
	WRITE_ONCE(up->encap_rcv, kipsec_encap_rcv);
	WRITE_ONCE(up->encap_type, UDP_ENCAP_ESPINUDP);
	udp_encap_enable();
out:
	mutex_unlock(&kn->lock);
	sockfd_put(sock);
	return ret;
}

void kipsec_encap_detach(struct kipsec_net *kn)
{
	mutex_lock(&kn->lock);
	if (kn->encap_sk) {
		kipsec_encap_release(kn->encap_sk);
		kn->encap_sk = NULL;
	}
	mutex_unlock(&kn->lock);
}
