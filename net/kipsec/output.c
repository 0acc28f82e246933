// SPDX-License-Identifier: GPL-2.0
/*
 * ESP output in tunnel mode (RFC 4303 section 3.3): the inner packet gets
 * its trailer, an ESP header and an outer IP header from the SA's
 * addresses, is encrypted in place, maybe asynchronously, and leaves from
 * the underlay namespace.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <net/dsfield.h>
#include <net/esp.h>
#include <net/icmp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>
#include <uapi/linux/kipsec.h>

#include "crypto.h"
#include "esp.h"
#include "lifetime.h"
#include "netns.h"
#include "sad.h"

/* Ciphertext is a multiple of the block size, and 4-byte aligned. */
unsigned int kipsec_esp_blksize(const struct kipsec_sa *sa)
{
	return ALIGN(crypto_aead_blocksize(sa->aead), 4);
}

static unsigned int kipsec_outer_hlen(u8 family)
{
	return family == AF_INET ? sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr);
}

/*
 * The largest clear packet that fits a path MTU of mtu once the SA has
 * added its headers, padding, trailer and ICV. In transport mode the IP
 * header is part of both, and stays out of the padding (XFRM's rule).
 */
unsigned int kipsec_esp_inner_mtu(const struct kipsec_sa *sa, unsigned int mtu)
{
	unsigned int iphlen = kipsec_outer_hlen(sa->cfg.id.family);
	unsigned int over = KIPSEC_ESP_HLEN + crypto_aead_ivsize(sa->aead) +
			    crypto_aead_authsize(sa->aead) + iphlen;
	unsigned int blksize = kipsec_esp_blksize(sa);
	unsigned int net_adj = 0;

	if (sa->cfg.mode == KIPSEC_MODE_TRANSPORT)
		net_adj = iphlen;
	if (sa->cfg.encap_dport)
		over += sizeof(struct udphdr);
	if (mtu < over + blksize)
		return 0;
	return ((mtu - over) & ~(blksize - 1)) + net_adj - 2;
}

static struct dst_entry *kipsec_route(struct net *net,
				      const struct kipsec_sa *sa, int oif,
				      union kipsec_addr *saddr)
{
	const struct kipsec_sa_config *cfg = &sa->cfg;
	struct dst_entry *dst;

	if (cfg->id.family == AF_INET) {
		struct flowi4 fl4 = {
			.daddr = cfg->id.daddr.a4,
			.saddr = cfg->saddr.a4,
			.flowi4_oif = oif,
			.flowi4_proto = IPPROTO_ESP,
		};
		struct rtable *rt = ip_route_output_key(net, &fl4);

		if (IS_ERR(rt))
			return ERR_CAST(rt);
		saddr->a4 = fl4.saddr;
		return &rt->dst;
	}
	{
		struct flowi6 fl6 = {
			.daddr = cfg->id.daddr.a6,
			.saddr = cfg->saddr.a6,
			.flowi6_oif = oif,
			.flowi6_proto = IPPROTO_ESP,
		};

		/*
		 * IPv6 keeps to oif only in a lookup without a source
		 * (ip6_route_output): a link's underlay must be kept to, or
		 * a transport-mode packet whose peer is routed into the link
		 * would come back into it. The source stays the SA's.
		 */
		if (oif)
			fl6.saddr = in6addr_any;
		dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
		if (!IS_ERR(dst))
			saddr->a6 = cfg->saddr.a6;
		return dst;
	}
}

/*
 * A packet that will not fit the path once encapsulated: an IPv4 packet
 * with DF, or an IPv6 packet (never fragmented on the way), is answered
 * with the MTU it must fit (to this host's own sockets too, whose route
 * learns it) and dropped. Other packets go out in outer fragments.
 */
static bool kipsec_too_big(struct sk_buff *skb, const struct kipsec_sa *sa,
			   struct dst_entry *dst)
{
	unsigned int mtu = kipsec_esp_inner_mtu(sa, dst_mtu(dst));

	if (skb->len <= mtu)
		return false;
	/*
	 * Transport mode: this host's own packet, and its ESP packet goes
	 * the same route. Telling the sender the smaller MTU would lower
	 * that route's PMTU, which the ESP packet must then fit too, and so
	 * on down (XFRM keeps two routes, kipsec has one): it goes out in
	 * fragments instead.
	 */
	if (sa->cfg.mode == KIPSEC_MODE_TRANSPORT) {
		skb->ignore_df = 1;
		return false;
	}
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
			return false;
		icmp_ndo_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			      htonl(mtu));
		return true;
	}
	/* even below 1280, as XFRM: the sender adds fragment headers */
	icmpv6_ndo_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return true;
}

/* What the SA counts: the ESP payload (in transport mode, no IP header). */
static unsigned int kipsec_payload_len(const struct sk_buff *skb,
				       const struct kipsec_sa *sa)
{
	if (sa->cfg.mode == KIPSEC_MODE_TUNNEL)
		return skb->len;
	return skb->len - (skb->protocol == htons(ETH_P_IP) ?
			   ip_hdrlen(skb) : sizeof(struct ipv6hdr));
}

/* What a packet takes from its SA under the SA's lock. */
struct kipsec_out_state {
	u64 seq;
	__be16 encap_sport;		/* 0: no UDP encapsulation */
	__be16 encap_dport;
};

/* Take the next sequence number, and count the packet against lifetimes. */
static bool kipsec_next_seq(struct kipsec_sa *sa, unsigned int len,
			    struct kipsec_out_state *st, enum kipsec_drop *why)
{
	u64 last = sa->cfg.flags & KIPSEC_SA_FLAGS_ESN ? U64_MAX : U32_MAX;
	bool ok = false;

	spin_lock_bh(&sa->lock);
	if (READ_ONCE(sa->state) != KIPSEC_SA_STATE_VALID) {
		*why = KIPSEC_DROP_OUT_EXPIRED;
	} else if (sa->seq_out == last) {
		/* RFC 4303 section 3.3.3: the counter never cycles */
		kipsec_lifetime_exhausted(sa);
		*why = KIPSEC_DROP_OUT_SEQ_OVERFLOW;
	} else if (!kipsec_lifetime_count(sa, len)) {
		*why = KIPSEC_DROP_OUT_EXPIRED;
	} else {
		st->seq = ++sa->seq_out;
		st->encap_sport = sa->cfg.encap_sport;
		st->encap_dport = sa->cfg.encap_dport;
		ok = true;
	}
	spin_unlock_bh(&sa->lock);
	return ok;
}

/* The IV generators derive the IV from the sequence number. */
static void kipsec_set_iv(u8 *iv, unsigned int ivlen, u64 seq)
{
	__be64 seqno = cpu_to_be64(seq);
	unsigned int n = min_t(unsigned int, ivlen, sizeof(seqno));

	memset(iv, 0, ivlen);
	memcpy(iv + ivlen - n, (u8 *)&seqno + sizeof(seqno) - n, n);
}

/*
 * RFC 4303 section 2.7: TFC padding hides the inner packet's length; the
 * packet grows to the SA's tfc-pad, but never past the path MTU.
 */
static unsigned int kipsec_tfc_len(const struct sk_buff *skb,
				   const struct kipsec_sa *sa)
{
	unsigned int padto;

	if (!sa->cfg.tfc_pad)
		return 0;
	padto = min(sa->cfg.tfc_pad,
		    kipsec_esp_inner_mtu(sa, dst_mtu(skb_dst(skb))));
	return skb->len < padto ? padto - skb->len : 0;
}

/*
 * RFC 4303 sections 2.4 and 2.7: zero TFC padding, padding bytes 1, 2,
 * 3..., then the trailer.
 */
static void kipsec_fill_trailer(u8 *tail, unsigned int tfclen,
				unsigned int padlen, u8 nexthdr)
{
	unsigned int i;

	memset(tail, 0, tfclen);
	tail += tfclen;
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = nexthdr;
}

/* RFC 3948: ESP-in-UDP; no UDP checksum over IPv4 (section 2.1). */
static void kipsec_push_udp(struct sk_buff *skb,
			    const struct kipsec_out_state *st)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));

	uh->source = st->encap_sport;
	uh->dest = st->encap_dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	skb_reset_transport_header(skb);
}

/* RFC 6040: the outer header copies the inner DSCP and ECN (ECT, not CE). */
static void kipsec_push_outer(struct sk_buff *skb, const struct kipsec_sa *sa,
			      const union kipsec_addr *saddr, u8 dsfield,
			      bool df, u8 proto)
{
	struct dst_entry *dst = skb_dst(skb);

	if (sa->cfg.id.family == AF_INET) {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		skb_reset_network_header(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = INET_ECN_encapsulate(dsfield, dsfield);
		iph->frag_off = df ? htons(IP_DF) : 0;
		iph->ttl = ip4_dst_hoplimit(dst);
		iph->protocol = proto;
		iph->saddr = saddr->a4;
		iph->daddr = sa->cfg.id.daddr.a4;
		iph->tot_len = htons(skb->len);
		ip_select_ident(dev_net(dst->dev), skb, NULL);
	} else {
		struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

		skb_reset_network_header(skb);
		ip6_flow_hdr(ip6h, INET_ECN_encapsulate(dsfield, dsfield), 0);
		ip6h->nexthdr = proto;
		ip6h->hop_limit = ip6_dst_hoplimit(dst);
		ip6h->saddr = saddr->a6;
		ip6h->daddr = sa->cfg.id.daddr.a6;
	}
}

/*
 * What the ESP header goes in front of: the whole packet in tunnel mode;
 * in transport mode what follows the IP header, which is taken off and
 * kept in hdr. IPv6 extension headers go inside ESP with the payload.
 */
struct kipsec_out_hdr {
	u8 nexthdr;
	u8 dsfield;
	bool df;
	unsigned int hlen;		/* transport mode: bytes in hdr */
	u8 hdr[60];
};

static void kipsec_take_hdr(struct sk_buff *skb, const struct kipsec_sa *sa,
			    struct kipsec_out_hdr *h)
{
	bool v4 = skb->protocol == htons(ETH_P_IP);

	h->dsfield = v4 ? ip_hdr(skb)->tos : ipv6_get_dsfield(ipv6_hdr(skb));
	h->df = v4 && ip_hdr(skb)->frag_off & htons(IP_DF);
	if (sa->cfg.mode == KIPSEC_MODE_TUNNEL) {
		h->nexthdr = v4 ? IPPROTO_IPIP : IPPROTO_IPV6;
		h->hlen = 0;
		return;
	}
	h->nexthdr = v4 ? ip_hdr(skb)->protocol : ipv6_hdr(skb)->nexthdr;
	h->hlen = v4 ? ip_hdrlen(skb) : sizeof(struct ipv6hdr);
	memcpy(h->hdr, skb->data, h->hlen);
	__skb_pull(skb, h->hlen);
	/* too big for the path (kipsec_too_big): the ESP packet may fragment */
	if (v4 && skb->ignore_df)
		((struct iphdr *)h->hdr)->frag_off &= ~htons(IP_DF);
}

/* Transport mode: the IP header goes back in front, and names ESP. */
static void kipsec_put_back_hdr(struct sk_buff *skb,
				const struct kipsec_out_hdr *h, u8 proto)
{
	memcpy(skb_push(skb, h->hlen), h->hdr, h->hlen);
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP))
		ip_hdr(skb)->protocol = proto;
	else
		ipv6_hdr(skb)->nexthdr = proto;
}

/* IPv6 needs the UDP checksum (RFC 8200 section 8.1), over the ciphertext. */
static void kipsec_udp6_csum(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct udphdr *uh = udp_hdr(skb);
	unsigned int len = ntohs(uh->len);

	uh->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				    IPPROTO_UDP, skb_checksum(skb,
							      skb_transport_offset(skb),
							      len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

static void kipsec_output_finish(struct kipsec_crypt *c, int err)
{
	struct sk_buff *skb = c->skb;
	struct kipsec_sa *sa = c->sa;
	struct net_device *dev = c->dev;
	unsigned int len = c->inner_len;
	struct net *net;

	kfree(c);
	if (unlikely(err)) {
		kipsec_drop(kipsec_sa_net(sa), KIPSEC_DROP_OUT_CRYPTO);
		kipsec_sa_count(sa, &sa->stats.other_errors);
		if (dev)
			dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		goto out;
	}
	net = dev_net(skb_dst(skb)->dev);
	skb->ip_summed = CHECKSUM_NONE;
	/* kipsec's own output: the hooks must not capture it again */
	if (skb->protocol == htons(ETH_P_IP)) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		IPCB(skb)->flags |= IPSKB_XFRM_TRANSFORMED;
		err = ip_local_out(net, NULL, skb);
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		IP6CB(skb)->flags |= IP6SKB_XFRM_TRANSFORMED;
		if (ipv6_hdr(skb)->nexthdr == IPPROTO_UDP)
			kipsec_udp6_csum(skb);
		err = ip6_local_out(net, NULL, skb);
	}
	if (!dev)
		goto out;
	if (likely(!net_xmit_eval(err)))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		DEV_STATS_INC(dev, tx_errors);
out:
	kipsec_sa_put(sa);
	dev_put(dev);
}

/* Trailer, ESP header, outer header; then encryption from the IV on. */
static int kipsec_esp_encrypt(struct sk_buff *skb, struct kipsec_sa *sa,
			      struct net_device *dev,
			      const struct kipsec_out_state *st,
			      const union kipsec_addr *saddr)
{
	u8 proto = st->encap_dport ? IPPROTO_UDP : IPPROTO_ESP;
	struct crypto_aead *aead = sa->aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	unsigned int clen, tfclen, padlen, esp_offset, len = skb->len;
	struct kipsec_out_hdr h;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct scatterlist *sg;
	struct kipsec_crypt *c;
	struct sk_buff *trailer;
	int nfrags, ret;
	u8 *iv;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(skb_dst(skb)->dev) +
			 kipsec_outer_hlen(sa->cfg.id.family) +
			 sizeof(struct udphdr) + KIPSEC_ESP_HLEN + ivlen))
		return -ENOMEM;
	kipsec_take_hdr(skb, sa, &h);
	tfclen = kipsec_tfc_len(skb, sa);
	clen = ALIGN(skb->len + tfclen + 2, kipsec_esp_blksize(sa));
	padlen = clen - skb->len - tfclen - 2;
	nfrags = skb_cow_data(skb, tfclen + padlen + 2 + icvlen, &trailer);
	if (nfrags < 0)
		return nfrags;
	kipsec_fill_trailer(pskb_put(skb, trailer,
				     tfclen + padlen + 2 + icvlen),
			    tfclen, padlen, h.nexthdr);

	c = kipsec_crypt_alloc(aead, nfrags, &iv, &req, &sg);
	if (!c)
		return -ENOMEM;
	esph = skb_push(skb, KIPSEC_ESP_HLEN + ivlen);
	esph->spi = sa->cfg.id.spi;
	esph->seq_no = htonl(lower_32_bits(st->seq));
	if (st->encap_dport)
		kipsec_push_udp(skb, st);
	if (sa->cfg.mode == KIPSEC_MODE_TUNNEL)
		kipsec_push_outer(skb, sa, saddr, h.dsfield, h.df, proto);
	else
		kipsec_put_back_hdr(skb, &h, proto);
	skb->protocol = sa->cfg.id.family == AF_INET ? htons(ETH_P_IP) :
						       htons(ETH_P_IPV6);
	esp_offset = (u8 *)esph - skb->data;

	c->finish = kipsec_output_finish;
	c->skb = skb;
	c->sa = sa;
	c->dev = dev;
	c->inner_len = len;
	kipsec_crypt_set_aad(c, esph->spi, st->seq,
			     sa->cfg.flags & KIPSEC_SA_FLAGS_ESN);
	sg_init_table(sg, nfrags + 1);
	sg_set_buf(sg, c->aad, c->aad_len);
	ret = skb_to_sgvec(skb, sg + 1, esp_offset + KIPSEC_ESP_HLEN,
			   ivlen + clen + icvlen);
	if (unlikely(ret < 0)) {
		kfree(c);
		return ret;
	}
	kipsec_set_iv(iv, ivlen, st->seq);
	aead_request_set_crypt(req, sg, sg, ivlen + clen, iv);
	aead_request_set_ad(req, c->aad_len);
	kipsec_crypt_run(c, req, true);
	return 0;
}

/*
 * The SA an outbound packet takes under a protect policy: the template's
 * addresses in tunnel mode, the packet's own in transport mode.
 */
struct kipsec_sa *kipsec_esp_out_sa(struct kipsec_net *kn,
				    const struct kipsec_policy *pol,
				    const struct kipsec_flow *flow)
{
	const struct kipsec_template *tmpl = &pol->cfg.tmpl;
	struct kipsec_sa_out_key key = {
		.if_id = pol->cfg.if_id,
		.reqid = tmpl->reqid,
		.proto = tmpl->proto,
		.mode = tmpl->mode,
	};

	if (tmpl->mode == KIPSEC_MODE_TUNNEL) {
		key.family = tmpl->family;
		key.daddr = tmpl->daddr;
		key.saddr = tmpl->saddr;
	} else {
		key.family = flow->family;
		key.daddr = flow->daddr;
		key.saddr = flow->saddr;
	}
	return kipsec_sad_lookup_out(&kn->sad, &key);
}

/*
 * Send a clear packet (its IP header at skb->data, skb->protocol set)
 * through the SA, found under RCU. dev is the kipsec link it was sent to,
 * whose counters count it, or NULL (policy-based); net and oif are where
 * the ESP packet goes. Consumes the packet.
 */
void kipsec_esp_output(struct sk_buff *skb, struct kipsec_sa *sa,
		       struct net_device *dev, struct net *net, int oif)
{
	struct kipsec_net *kn = kipsec_sa_net(sa);
	enum kipsec_drop why = KIPSEC_DROP_OUT_NO_SA;
	struct kipsec_out_state st;
	union kipsec_addr saddr;
	struct dst_entry *dst;

	if (!kipsec_sa_hold(sa))
		goto drop;
	dst = kipsec_route(net, sa, oif, &saddr);
	if (IS_ERR(dst)) {
		why = KIPSEC_DROP_OUT_NO_ROUTE;
		goto put;
	}
	if (kipsec_too_big(skb, sa, dst)) {
		dst_release(dst);
		why = KIPSEC_DROP_OUT_TOO_BIG;
		goto put;
	}
	if (dev)
		skb_scrub_packet(skb, !net_eq(net, dev_net(dev)));
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	if (!kipsec_next_seq(sa, kipsec_payload_len(skb, sa), &st, &why))
		goto put;
	dev_hold(dev);
	if (kipsec_esp_encrypt(skb, sa, dev, &st, &saddr)) {
		dev_put(dev);
		why = KIPSEC_DROP_OUT_NOMEM;
		goto put;
	}
	return;

put:
	/* one of the SA's other errors (netlink.rst), as on input */
	kipsec_sa_count(sa, &sa->stats.other_errors);
	kipsec_sa_put(sa);
drop:
	kipsec_drop(kn, why);
	if (dev)
		dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
}
