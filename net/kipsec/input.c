// SPDX-License-Identifier: GPL-2.0
/*
 * ESP input (RFC 4303 section 3.4). kipsec sees inbound ESP before native
 * XFRM, through an xfrm{4,6}_protocol handler of higher priority, and
 * keeps only packets whose SPI is in its SAD: the rest go on to XFRM
 * untouched, so both can run on one host. A packet kipsec keeps is
 * decrypted, maybe asynchronously, checked against the replay window
 * again, stripped of its trailer, checked against the inbound policy and
 * received on the SA's kipsec interface (tunnel mode) or fed back to the
 * IP layer (policy-based).
 */
#include <kunit/visibility.h>
#include <linux/if_arp.h>
#include <net/dsfield.h>
#include <net/esp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/icmp.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/xfrm.h>
#include <uapi/linux/kipsec.h>

#include "crypto.h"
#include "esp.h"
#include "flow.h"
#include "held.h"
#include "input.h"
#include "lifetime.h"
#include "link.h"
#include "netlink.h"
#include "netns.h"
#include "replay.h"
#include "sad.h"

/* A packet kipsec owns is dropped, and counted on the SA if it has one. */
static void kipsec_input_drop(struct kipsec_net *kn, struct sk_buff *skb,
			      enum kipsec_drop why)
{
	kipsec_drop(kn, why);
	kfree_skb(skb);
}

/*
 * Whether the inbound policies let the decrypted packet in, as XFRM
 * decides: a protect policy whose template the SA fits, or, for a
 * transport-mode SA, no policy or a bypass one. Tunnel mode always needs
 * the protect policy (it says which inner packets the tunnel may carry).
 */
static bool kipsec_inner_allowed(struct kipsec_net *kn, struct kipsec_sa *sa,
				 struct sk_buff *skb)
{
	const struct kipsec_sa_config *cfg = &sa->cfg;
	const struct kipsec_template *tmpl;
	const struct kipsec_policy *pol;
	struct kipsec_flow flow;

	if (kipsec_flow_parse(skb, &flow))
		return false;
	pol = kipsec_spd_lookup(&kn->spd, KIPSEC_DIR_IN, cfg->if_id, &flow);
	if (!pol || pol->cfg.action == KIPSEC_ACTION_BYPASS)
		return cfg->mode == KIPSEC_MODE_TRANSPORT;
	if (pol->cfg.action != KIPSEC_ACTION_PROTECT)
		return false;
	tmpl = &pol->cfg.tmpl;
	if (tmpl->proto != cfg->id.proto || tmpl->mode != cfg->mode ||
	    (tmpl->reqid && tmpl->reqid != cfg->reqid))
		return false;
	if (!tmpl->family)
		return true;
	return tmpl->family == cfg->id.family &&
	       !memcmp(&tmpl->daddr, &cfg->id.daddr, sizeof(tmpl->daddr)) &&
	       !memcmp(&tmpl->saddr, &cfg->saddr, sizeof(tmpl->saddr));
}

/* The clear packet kipsec is handing to the stack on this CPU, if any. */
static DEFINE_PER_CPU(struct sk_buff *, kipsec_decrypted_skb);

/*
 * Whether the inbound hooks see a packet kipsec decrypted. Delivery is
 * synchronous (no RPS, no backlog), so the hooks run on this CPU while the
 * packet is the one noted here; a reassembled packet reuses the skb of
 * its last fragment.
 */
bool kipsec_input_is_decrypted(const struct sk_buff *skb)
{
	return __this_cpu_read(kipsec_decrypted_skb) == skb;
}

/* The clear packet goes through the IP layer again, from the underlay. */
static void kipsec_receive(struct sk_buff *skb)
{
	struct sk_buff *outer;

	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->ip_summed = CHECKSUM_NONE;
	/* packet taps on the underlay see the outer link header again */
	skb_mac_header_rebuild(skb);
	if (skb->dev->type == ARPHRD_ETHER && skb->mac_len >= ETH_HLEN)
		eth_hdr(skb)->h_proto = skb->protocol;
	local_bh_disable();
	outer = __this_cpu_read(kipsec_decrypted_skb);	/* nested IPsec */
	__this_cpu_write(kipsec_decrypted_skb, skb);
	netif_receive_skb_core(skb);
	__this_cpu_write(kipsec_decrypted_skb, outer);
	local_bh_enable();
}

/*
 * RFC 4303 section 2.6: the next header names what ESP carried. Tunnel
 * mode carries IP packets; in transport mode 0 (Hop-by-Hop options, which
 * only the IPv6 header itself may be followed by) and 255 (reserved) are
 * never right. 59 (no next header) is a dummy packet, in either mode.
 */
static bool kipsec_nexthdr_ok(const struct kipsec_sa *sa, u8 nexthdr)
{
	if (nexthdr == IPPROTO_NONE)
		return true;
	if (sa->cfg.mode == KIPSEC_MODE_TUNNEL)
		return nexthdr == IPPROTO_IPIP || nexthdr == IPPROTO_IPV6;
	return nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_RAW;
}

/*
 * The inner header (IPv4 for next header 4, IPv6 for 41) must be whole;
 * TFC padding after it goes (RFC 4303 2.7).
 */
static int kipsec_inner_trim(struct sk_buff *skb, u8 nexthdr)
{
	unsigned int len;

	skb_reset_network_header(skb);
	if (nexthdr == IPPROTO_IPIP) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (iph->version != 4 || iph->ihl < 5 || len < iph->ihl * 4)
			return -EINVAL;
		skb->protocol = htons(ETH_P_IP);
	} else {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6)
			return -EINVAL;
		len = sizeof(struct ipv6hdr) + ntohs(ipv6_hdr(skb)->payload_len);
		skb->protocol = htons(ETH_P_IPV6);
	}
	if (len > skb->len)
		return -EINVAL;
	return pskb_trim(skb, len);
}

static u8 kipsec_inner_dsfield(struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IP) ? ip_hdr(skb)->tos :
		ipv6_get_dsfield(ipv6_hdr(skb));
}

/*
 * Tunnel mode: what is left must be an IP packet that the SA's policy
 * covers. It will arrive on the SA's kipsec interface (*link), or, with
 * no interface (*link NULL), from the underlay device. False, and why,
 * if it must be dropped.
 */
static bool kipsec_tunnel_inner_ok(struct kipsec_net *kn, struct kipsec_sa *sa,
				   struct sk_buff *skb, u8 nexthdr,
				   u8 outer_dsfield, struct kipsec_link **link,
				   enum kipsec_drop *why)
{
	*link = NULL;
	*why = KIPSEC_DROP_IN_MALFORMED;
	if (kipsec_inner_trim(skb, nexthdr))
		return false;
	if (!kipsec_inner_allowed(kn, sa, skb)) {
		*why = KIPSEC_DROP_IN_SELECTOR;
		return false;
	}
	if (INET_ECN_decapsulate(skb, outer_dsfield,
				 kipsec_inner_dsfield(skb)) > 1)
		return false;
	if (!sa->cfg.if_id)
		return true;
	*link = xa_load(&kn->links, sa->cfg.if_id);
	*why = KIPSEC_DROP_IN_SA_INVALID;
	return *link;
}

static void kipsec_deliver_tunnel(struct sk_buff *skb, struct kipsec_link *link)
{
	skb->pkt_type = PACKET_HOST;
	skb_reset_transport_header(skb);
	if (!link) {
		kipsec_receive(skb);
		return;
	}
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_mac_header(skb);
	skb->dev = link->dev;
	dev_sw_netstats_rx_add(link->dev, skb->len);
	gro_cells_receive(&link->gro_cells, skb);
}

/*
 * Transport mode: the IP header moves up over ESP and names the payload,
 * which the SA's policy must cover (else false: a selector drop).
 */
static bool kipsec_transport_inner_ok(struct kipsec_net *kn,
				      struct kipsec_sa *sa,
				      struct sk_buff *skb, u8 nexthdr,
				      unsigned int hlen)
{
	u8 *nh = skb_network_header(skb);

	memmove(skb->data - hlen, nh, hlen);
	skb_push(skb, hlen);
	skb_reset_network_header(skb);
	if (sa->cfg.id.family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		iph->protocol = nexthdr;
		iph->tot_len = htons(skb->len);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		skb_network_header(skb)[IP6CB(skb)->nhoff] = nexthdr;
		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	}
	return kipsec_inner_allowed(kn, sa, skb);
}

/*
 * After decryption of the ESP packet at skb->data: check the trailer and
 * the default padding (RFC 4303 section 2.4), then leave only the payload.
 * -EINVAL for a bad trailer.
 */
int kipsec_esp_strip(const struct kipsec_sa *sa, struct sk_buff *skb,
		     u8 *nexthdr)
{
	unsigned int start = KIPSEC_ESP_HLEN + crypto_aead_ivsize(sa->aead);
	unsigned int end = skb->len - crypto_aead_authsize(sa->aead);
	u8 trailer[2], pad[255];
	unsigned int i, padlen;

	if (end < start + 2 || skb_copy_bits(skb, end - 2, trailer, 2))
		return -EINVAL;
	padlen = trailer[0];
	*nexthdr = trailer[1];
	if (start + padlen + 2 > end ||
	    skb_copy_bits(skb, end - 2 - padlen, pad, padlen))
		return -EINVAL;
	for (i = 0; i < padlen; i++)
		if (pad[i] != i + 1)
			return -EINVAL;
	if (pskb_trim(skb, end - padlen - 2))
		return -ENOMEM;
	skb_pull(skb, start);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_esp_strip);

/*
 * RFC 3948 section 3.1: an authentic ESP-in-UDP packet from another
 * address or port than the SA's peer means its NAT mapping changed. The
 * key manager hears of each new mapping once.
 */
static void kipsec_check_mapping(struct kipsec_net *kn, struct kipsec_sa *sa,
				 const struct kipsec_encap_src *src)
{
	bool news;

	spin_lock_bh(&sa->lock);
	news = sa->cfg.encap_sport &&
	       (src->port != sa->cfg.encap_sport ||
		memcmp(&src->addr, &sa->cfg.saddr, sizeof(src->addr))) &&
	       (src->port != sa->mapping_port ||
		memcmp(&src->addr, &sa->mapping_addr, sizeof(src->addr)));
	if (news) {
		sa->mapping_addr = src->addr;
		sa->mapping_port = src->port;
	}
	spin_unlock_bh(&sa->lock);
	if (news)
		kipsec_nl_notify_mapping(kn->net, sa, &src->addr, src->port);
}

/*
 * An authentic packet the SA does not deliver: one of its other errors,
 * not one of the packets it carried.
 */
static void kipsec_input_reject(struct kipsec_net *kn, struct kipsec_sa *sa,
				struct sk_buff *skb, enum kipsec_drop why)
{
	kipsec_sa_count(sa, &sa->stats.other_errors);
	kipsec_input_drop(kn, skb, why);
}

/*
 * Whether the SA may deliver the decrypted packet: its next header and
 * inner packet are checked before the packet advances the replay window
 * and counts on the SA and its lifetimes, which only a packet that will
 * be delivered does. A packet that fails is dropped here.
 */
static bool kipsec_input_checked(struct kipsec_net *kn, struct kipsec_sa *sa,
				 struct sk_buff *skb,
				 const struct kipsec_crypt *c, u8 nexthdr,
				 unsigned int hlen, struct kipsec_link **link)
{
	enum kipsec_drop why = KIPSEC_DROP_IN_TRAILER;

	*link = NULL;
	if (!kipsec_nexthdr_ok(sa, nexthdr))
		goto reject;
	if (nexthdr == IPPROTO_NONE)
		return true;
	if (sa->cfg.mode == KIPSEC_MODE_TUNNEL) {
		if (kipsec_tunnel_inner_ok(kn, sa, skb, nexthdr,
					   c->outer_dsfield, link, &why))
			return true;
	} else {
		why = KIPSEC_DROP_IN_SELECTOR;
		if (kipsec_transport_inner_ok(kn, sa, skb, nexthdr, hlen))
			return true;
	}
reject:
	kipsec_input_reject(kn, sa, skb, why);
	return false;
}

/* After decryption: strip, check, re-check replay, count and deliver. */
static void kipsec_input_decrypted(struct kipsec_net *kn,
				   struct kipsec_sa *sa, struct sk_buff *skb,
				   const struct kipsec_crypt *c)
{
	unsigned int len, hlen = skb->data - skb_network_header(skb);
	enum kipsec_replay_verdict verdict;
	struct kipsec_link *link;
	bool counted = false;
	u8 nexthdr;
	int ret;

	ret = kipsec_esp_strip(sa, skb, &nexthdr);
	if (ret) {
		kipsec_input_reject(kn, sa, skb, ret == -ENOMEM ?
				    KIPSEC_DROP_IN_NOMEM :
				    KIPSEC_DROP_IN_TRAILER);
		return;
	}
	len = skb->len;
	if (!kipsec_input_checked(kn, sa, skb, c, nexthdr, hlen, &link))
		return;
	spin_lock_bh(&sa->lock);
	verdict = kipsec_replay_advance(sa->replay, c->seq);
	if (verdict != KIPSEC_REPLAY_OK)
		sa->stats.replay_drops++;
	else
		counted = kipsec_lifetime_count(sa, len);
	spin_unlock_bh(&sa->lock);
	if (verdict != KIPSEC_REPLAY_OK) {
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_REPLAY);
		return;
	}
	if (!counted) {
		kipsec_input_reject(kn, sa, skb, KIPSEC_DROP_IN_SA_INVALID);
		return;
	}
	if (c->encap)
		kipsec_check_mapping(kn, sa, &c->src);
	/* RFC 4303 section 2.6: a dummy packet (TFC) is dropped silently */
	if (nexthdr == IPPROTO_NONE)
		consume_skb(skb);
	else if (sa->cfg.mode == KIPSEC_MODE_TUNNEL)
		kipsec_deliver_tunnel(skb, link);
	else
		kipsec_receive(skb);
}

static void kipsec_input_finish(struct kipsec_crypt *c, int err)
{
	struct sk_buff *skb = c->skb;
	struct kipsec_sa *sa = c->sa;
	struct net_device *dev = c->dev;
	struct kipsec_net *kn = kipsec_sa_net(sa);

	if (err == -EBADMSG) {
		kipsec_sa_count(sa, &sa->stats.integrity_failures);
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_INTEGRITY);
	} else if (err) {
		kipsec_sa_count(sa, &sa->stats.other_errors);
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_CRYPTO);
	} else {
		kipsec_input_decrypted(kn, sa, skb, c);
	}
	kfree(c);
	kipsec_sa_put(sa);
	dev_put(dev);
}

/* Before decryption: the cheap checks, so forgeries cost no crypto. */
static bool kipsec_input_precheck(struct kipsec_net *kn, struct kipsec_sa *sa,
				  struct sk_buff *skb, u64 *seq)
{
	struct crypto_aead *aead = sa->aead;
	unsigned int ivlen = crypto_aead_ivsize(aead);
	unsigned int icvlen = crypto_aead_authsize(aead);
	enum kipsec_replay_verdict verdict;
	int len;

	len = skb->len - KIPSEC_ESP_HLEN - ivlen - icvlen;
	if (!pskb_may_pull(skb, KIPSEC_ESP_HLEN + ivlen) || len < 2 ||
	    len & (kipsec_esp_blksize(sa) - 1)) {
		kipsec_sa_count(sa, &sa->stats.other_errors);
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_MALFORMED);
		return false;
	}
	spin_lock_bh(&sa->lock);
	*seq = kipsec_replay_infer(sa->replay, ntohl(ip_esp_hdr(skb)->seq_no));
	verdict = kipsec_replay_check(sa->replay, *seq);
	if (verdict != KIPSEC_REPLAY_OK)
		sa->stats.replay_drops++;
	spin_unlock_bh(&sa->lock);
	if (verdict != KIPSEC_REPLAY_OK) {
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_REPLAY);
		return false;
	}
	return true;
}

/*
 * Set up the decryption, in place, of the ESP packet at skb->data, whose
 * length the caller checked: the context comes back with the request
 * ready for kipsec_crypt_run(). NULL without memory.
 */
struct kipsec_crypt *kipsec_esp_decrypt_prepare(struct kipsec_sa *sa,
						struct sk_buff *skb, u64 seq,
						struct aead_request **req)
{
	struct sk_buff *trailer;
	struct scatterlist *sg;
	struct kipsec_crypt *c;
	int nfrags;
	u8 *iv;

	nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return NULL;
	c = kipsec_crypt_alloc(sa->aead, nfrags, &iv, req, &sg);
	if (!c)
		return NULL;
	c->skb = skb;
	c->sa = sa;
	c->seq = seq;
	kipsec_crypt_set_aad(c, ip_esp_hdr(skb)->spi, seq,
			     sa->cfg.flags & KIPSEC_SA_FLAGS_ESN);
	sg_init_table(sg, nfrags + 1);
	sg_set_buf(sg, c->aad, c->aad_len);
	if (unlikely(skb_to_sgvec(skb, sg + 1, KIPSEC_ESP_HLEN,
				  skb->len - KIPSEC_ESP_HLEN) < 0)) {
		kfree(c);
		return NULL;
	}
	aead_request_set_crypt(*req, sg, sg, skb->len - KIPSEC_ESP_HLEN, iv);
	aead_request_set_ad(*req, c->aad_len);
	return c;
}
EXPORT_SYMBOL_IF_KUNIT(kipsec_esp_decrypt_prepare);

static void kipsec_esp_decrypt(struct kipsec_net *kn, struct kipsec_sa *sa,
			       struct sk_buff *skb, u8 outer_dsfield,
			       const struct kipsec_encap_src *src)
{
	struct aead_request *req;
	struct kipsec_crypt *c;
	u64 seq;

	if (!kipsec_input_precheck(kn, sa, skb, &seq))
		return;
	if (!kipsec_sa_hold(sa)) {
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_SA_INVALID);
		return;
	}
	c = kipsec_esp_decrypt_prepare(sa, skb, seq, &req);
	if (!c) {
		kipsec_sa_put(sa);
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_NOMEM);
		return;
	}
	c->dev = skb->dev;
	dev_hold(c->dev);
	c->outer_dsfield = outer_dsfield;
	c->encap = src;
	if (src)
		c->src = *src;
	c->finish = kipsec_input_finish;
	kipsec_crypt_run(c, req, false);
}

/*
 * A packet for a larval SA waits for its keys (held.c): true if it was
 * held or dropped. If the SA was completed meanwhile, *sa becomes the
 * valid SA that took its place, or what the lookup finds now.
 */
static bool kipsec_esp_hold(struct kipsec_net *kn, struct kipsec_sa **sa,
			    struct sk_buff *skb,
			    const struct kipsec_encap_src *src)
{
	int ret;

	if (READ_ONCE((*sa)->state) != KIPSEC_SA_STATE_LARVAL)
		return false;
	ret = kipsec_held_add(*sa, skb, src ? src->port : 0);
	if (ret == -EAGAIN) {
		*sa = kipsec_sad_lookup(&kn->sad, &(*sa)->cfg.id);
		if (*sa)
			return false;
	}
	if (ret)
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_SA_INVALID);
	return true;
}

/*
 * Take the packet if its SPI is kipsec's: 0 then, whatever becomes of it.
 * -EINVAL hands it to the next handler, native XFRM's.
 */
static int kipsec_esp_rcv(struct kipsec_net *kn, struct sk_buff *skb,
			  u8 family, const union kipsec_addr *daddr,
			  u8 outer_dsfield, const struct kipsec_encap_src *src)
{
	struct kipsec_sa_id id = {
		.daddr = *daddr,
		.proto = KIPSEC_PROTO_ESP,
		.family = family,
	};
	struct kipsec_sa *sa;

	if (!pskb_may_pull(skb, KIPSEC_ESP_HLEN))
		return -EINVAL;
	id.spi = ip_esp_hdr(skb)->spi;
	sa = kipsec_sad_lookup(&kn->sad, &id);
	if (!sa)
		return -EINVAL;
	if (kipsec_esp_hold(kn, &sa, skb, src))
		return 0;
	if (READ_ONCE(sa->state) != KIPSEC_SA_STATE_VALID || !sa->aead) {
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_SA_INVALID);
		return 0;
	}
	/*
	 * The SA says whether its packets come in UDP: otherwise anyone on
	 * the path could switch a flow's encapsulation (XFRM drops these
	 * too, as XfrmInStateMismatch). sa-set may change the ports.
	 */
	if (!READ_ONCE(sa->cfg.encap_dport) != !src) {
		kipsec_sa_count(sa, &sa->stats.other_errors);
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_ENCAP_MISMATCH);
		return 0;
	}
	kipsec_esp_decrypt(kn, sa, skb, outer_dsfield, src);
	return 0;
}

/* A held packet goes through input again, from the device it came on. */
static void kipsec_input_held(struct kipsec_net *kn, struct sk_buff *skb)
{
	const struct kipsec_held_cb *cb = kipsec_held_cb(skb);
	struct kipsec_encap_src src = { .port = cb->encap_sport };
	union kipsec_addr daddr = {};
	u8 family, dsfield;

	skb->dev = dev_get_by_index_rcu(kn->net, cb->ifindex);
	if (!skb->dev) {
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_SA_INVALID);
		return;
	}
	if (skb->protocol == htons(ETH_P_IP)) {
		family = AF_INET;
		daddr.a4 = ip_hdr(skb)->daddr;
		src.addr.a4 = ip_hdr(skb)->saddr;
		dsfield = ip_hdr(skb)->tos;
	} else {
		family = AF_INET6;
		daddr.a6 = ipv6_hdr(skb)->daddr;
		dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
	}
	if (kipsec_esp_rcv(kn, skb, family, &daddr, dsfield,
			   src.port ? &src : NULL))
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_SA_INVALID);
}

/*
 * The key manager completed the larval SA: what was held for it goes
 * through input again and finds the valid SA. Process context.
 */
void kipsec_input_release_held(struct kipsec_net *kn, struct kipsec_sa *larval)
{
	struct sk_buff_head list;
	struct sk_buff *skb;

	kipsec_held_take(larval, &list);
	while ((skb = __skb_dequeue(&list))) {
		local_bh_disable();
		rcu_read_lock();
		kipsec_input_held(kn, skb);
		rcu_read_unlock();
		local_bh_enable();
	}
}

static int kipsec_esp4_rcv(struct sk_buff *skb)
{
	union kipsec_addr daddr = { .a4 = ip_hdr(skb)->daddr };

	return kipsec_esp_rcv(kipsec_net(dev_net(skb->dev)), skb, AF_INET,
			      &daddr, ip_hdr(skb)->tos, NULL);
}

static int kipsec_esp6_rcv(struct sk_buff *skb)
{
	union kipsec_addr daddr = { .a6 = ipv6_hdr(skb)->daddr };

	return kipsec_esp_rcv(kipsec_net(dev_net(skb->dev)), skb, AF_INET6,
			      &daddr, ipv6_get_dsfield(ipv6_hdr(skb)), NULL);
}

/*
 * ESP from kipsec's UDP encapsulation socket (IPv4), its UDP header gone.
 * The socket is kipsec's, so an unknown SPI is dropped here.
 */
void kipsec_input_encap(struct kipsec_net *kn, struct sk_buff *skb,
			const struct kipsec_encap_src *src)
{
	union kipsec_addr daddr = { .a4 = ip_hdr(skb)->daddr };

	if (kipsec_esp_rcv(kn, skb, AF_INET, &daddr, ip_hdr(skb)->tos, src))
		kipsec_input_drop(kn, skb, KIPSEC_DROP_IN_SA_INVALID);
}

/* ESP-in-UDP on XFRM's own sockets belongs to XFRM. */
static int kipsec_not_ours_input(struct sk_buff *skb, int nexthdr, __be32 spi,
				 int encap_type)
{
	return -EINVAL;
}

/* XFRM's receive callbacks for its own SAs: nothing for kipsec to do. */
static int kipsec_not_ours_cb(struct sk_buff *skb, int err)
{
	return 1;
}

/* Whether an ICMP error quotes an ESP packet sent with a kipsec SA. */
static bool kipsec_icmp_about_us(struct sk_buff *skb, u8 family,
				 const union kipsec_addr *daddr,
				 unsigned int esp_offset)
{
	struct kipsec_net *kn = kipsec_net(dev_net(skb->dev));
	struct kipsec_sa_id id = {
		.daddr = *daddr,
		.proto = KIPSEC_PROTO_ESP,
		.family = family,
	};

	if (!pskb_may_pull(skb, esp_offset + KIPSEC_ESP_HLEN))
		return false;
	id.spi = ((struct ip_esp_hdr *)(skb->data + esp_offset))->spi;
	return kipsec_sad_lookup(&kn->sad, &id);
}

/*
 * ICMP about our ESP: the path MTU to the peer shrank, or a redirect. The
 * route learns it, and the next packet for the SA finds it there.
 */
static int kipsec_esp4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	union kipsec_addr daddr = { .a4 = iph->daddr };
	struct net *net = dev_net(skb->dev);
	u8 type = icmp_hdr(skb)->type;

	if (!kipsec_icmp_about_us(skb, AF_INET, &daddr, iph->ihl * 4))
		return -ENOENT;
	if (type == ICMP_DEST_UNREACH &&
	    icmp_hdr(skb)->code == ICMP_FRAG_NEEDED)
		ipv4_update_pmtu(skb, net, info, 0, IPPROTO_ESP);
	else if (type == ICMP_REDIRECT)
		ipv4_redirect(skb, net, 0, IPPROTO_ESP);
	return 0;
}

static int kipsec_esp6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			   u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	union kipsec_addr daddr = { .a6 = ip6h->daddr };
	struct net *net = dev_net(skb->dev);

	if (!kipsec_icmp_about_us(skb, AF_INET6, &daddr, offset))
		return -ENOENT;
	if (type == ICMPV6_PKT_TOOBIG)
		ip6_update_pmtu(skb, net, info, 0, 0, sock_net_uid(net, NULL));
	else if (type == NDISC_REDIRECT)
		ip6_redirect(skb, net, skb->dev->ifindex, 0,
			     sock_net_uid(net, NULL));
	return 0;
}

/* Above XFRM's own handlers (0), xfrm interfaces (10) and vti (100). */
#define KIPSEC_ESP_PRIORITY 200

static struct xfrm4_protocol kipsec_esp4_protocol = {
	.handler = kipsec_esp4_rcv,
	.input_handler = kipsec_not_ours_input,
	.cb_handler = kipsec_not_ours_cb,
	.err_handler = kipsec_esp4_err,
	.priority = KIPSEC_ESP_PRIORITY,
};

static struct xfrm6_protocol kipsec_esp6_protocol = {
	.handler = kipsec_esp6_rcv,
	.input_handler = kipsec_not_ours_input,
	.cb_handler = kipsec_not_ours_cb,
	.err_handler = kipsec_esp6_err,
	.priority = KIPSEC_ESP_PRIORITY,
};

int kipsec_input_register(void)
{
	int ret;

	ret = xfrm4_protocol_register(&kipsec_esp4_protocol, IPPROTO_ESP);
	if (ret)
		return ret;
	ret = xfrm6_protocol_register(&kipsec_esp6_protocol, IPPROTO_ESP);
	if (ret)
		xfrm4_protocol_deregister(&kipsec_esp4_protocol, IPPROTO_ESP);
	return ret;
}

void kipsec_input_unregister(void)
{
	xfrm6_protocol_deregister(&kipsec_esp6_protocol, IPPROTO_ESP);
	xfrm4_protocol_deregister(&kipsec_esp4_protocol, IPPROTO_ESP);
}
