/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The security association database of one network namespace.
 */
#ifndef _KIPSEC_SAD_H
#define _KIPSEC_SAD_H

#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/netlink.h>

#include "addr.h"
#include "alg.h"

#define KIPSEC_DEFAULT_MAX_SAS 131072

/* What identifies an SA, and its hash key: every byte is set (zeroed pad). */
struct kipsec_sa_id {
	union kipsec_addr daddr;
	__be32 spi;
	u8 proto;
	u8 family;
	u16 zero;
};

struct kipsec_lifetime {
	u64 bytes;
	u64 packets;
	u64 seconds;
};

/* An SA's configuration, as parsed from netlink and kept in the SA. */
struct kipsec_sa_config {
	struct kipsec_sa_id id;
	union kipsec_addr saddr;
	u8 mode;
	const struct kipsec_alg *crypt;	/* ESP only */
	const struct kipsec_alg *auth;	/* NULL for AEAD */
	u8 crypt_key_len;
	u8 auth_key_len;
	u8 crypt_key[KIPSEC_CRYPT_KEY_MAX];
	u8 auth_key[KIPSEC_AUTH_KEY_MAX];
	u32 replay_window;
	u32 flags;
	u32 if_id;
	u32 reqid;
	struct kipsec_lifetime soft;
	struct kipsec_lifetime hard;
	__be16 encap_sport;
	__be16 encap_dport;
	u32 tfc_pad;			/* pad inner packets up to this */
};

/* What the data path counts per SA, under kipsec_sa.lock. */
struct kipsec_sa_stats {
	u64 bytes;
	u64 packets;
	u64 replay_drops;
	u64 integrity_failures;
	u64 other_errors;
	time64_t use_time;		/* 0: never used */
};

/*
 * What an outbound packet asks of the SAD: a policy's template, with the
 * packet's addresses in transport mode. Every byte is set (zeroed pad).
 */
struct kipsec_sa_out_key {
	union kipsec_addr daddr;
	union kipsec_addr saddr;
	u32 if_id;
	u32 reqid;
	u8 family;
	u8 proto;
	u8 mode;
	u8 zero;
};

/*
 * The valid SAs that carry packets for one kipsec_sa_out_key, newest
 * first. Any number of SAs may share a key (rekeys, or every SA to one
 * peer): in a doubly linked list each of them leaves in O(1); a singly
 * linked hash chain (rhltable) makes removing the oldest O(n), and a flush
 * or namespace teardown of n such SAs O(n^2).
 */
struct kipsec_sa_out {
	struct rhash_head node;		/* keyed by key */
	struct kipsec_sa_out_key key;
	struct list_head sas;		/* kipsec_sa.out_list; RCU */
	struct rcu_head rcu;
};

struct kipsec_replay;

struct kipsec_sa {
	struct rhash_head node;		/* keyed by cfg.id */
	struct list_head out_list;	/* in out->sas */
	struct kipsec_sa_out *out;	/* NULL: not found by outbound packets */
	struct kipsec_sa_out_key out_key;
	struct kipsec_sa_config cfg;
	u32 index;			/* in kipsec_sad.all, for dumps */
	u8 state;			/* enum kipsec_sa_state; READ_ONCE */
	time64_t add_time;
	unsigned long larval_deadline;	/* jiffies */
	struct list_head larval_node;
	refcount_t refcnt;		/* the SAD's, packets in crypto, work */
	struct llist_node dead_node;	/* waiting to be freed */
	struct kipsec_sad *sad;
	struct delayed_work lifetime_work;	/* holds a reference if queued */
	unsigned long valid_jiffies;	/* when it became valid */
	bool soft_sent;			/* under the configuration mutex */
	struct crypto_aead *aead;	/* ESP: NULL while larval */
	struct sk_buff_head held;	/* larval: ESP before the keys (held.c) */
	bool held_closed;		/* under held.lock */
	spinlock_t lock;		/* protects what follows */
	struct kipsec_sa_stats stats;
	u64 seq_out;			/* last sequence number sent */
	struct kipsec_replay *replay;	/* ESP only */
	union kipsec_addr mapping_addr;	/* the NAT mapping last announced */
	__be16 mapping_port;
	bool soft_kicked;		/* a limit was reached: the work runs */
	bool hard_kicked;
};

struct kipsec_sad {
	struct mutex *lock;		/* the namespace's configuration lock */
	struct net *net;		/* where expire events go; NULL: nowhere */
	atomic_t live;			/* SAs not yet freed, removed ones too */
	struct rhashtable table;
	struct rhashtable out;		/* kipsec_sa_out by key */
	struct xarray all;		/* index -> SA, in insertion order */
	u32 count;
	u32 max;
	u32 generation;			/* bumped on change: dump consistency */
	struct list_head larval;	/* larval SAs, by deadline */
};

int kipsec_sad_init(struct kipsec_sad *sad, struct mutex *lock);
void kipsec_sad_destroy(struct kipsec_sad *sad);

struct kipsec_sa *kipsec_sad_lookup(struct kipsec_sad *sad,
				    const struct kipsec_sa_id *id);
int kipsec_sad_add(struct kipsec_sad *sad, const struct kipsec_sa_config *cfg,
		   struct netlink_ext_ack *extack);
int kipsec_sad_update(struct kipsec_sad *sad, struct kipsec_sa *sa,
		      const struct kipsec_sa_config *cfg);
void kipsec_sad_remove(struct kipsec_sad *sad, struct kipsec_sa *sa);
void kipsec_sad_flush(struct kipsec_sad *sad, u8 proto);
void kipsec_sad_flush_if_id(struct kipsec_sad *sad, u32 if_id);
int kipsec_sad_alloc_spi(struct kipsec_sad *sad, const struct kipsec_sa_config *cfg,
			 u32 spi_min, u32 spi_max, unsigned int timeout_s,
			 __be32 *spi, struct netlink_ext_ack *extack);
struct kipsec_sa *kipsec_sad_first_expired(struct kipsec_sad *sad,
					   unsigned long now);
unsigned long kipsec_sad_next_deadline(struct kipsec_sad *sad);
struct kipsec_sa *kipsec_sad_lookup_out(struct kipsec_sad *sad,
					const struct kipsec_sa_out_key *key);
bool kipsec_sa_hold(struct kipsec_sa *sa);
void kipsec_sa_put(struct kipsec_sa *sa);
void kipsec_sa_count(struct kipsec_sa *sa, u64 *counter);
void kipsec_sa_read_stats(struct kipsec_sa *sa, struct kipsec_sa_stats *st);

#endif /* _KIPSEC_SAD_H */
