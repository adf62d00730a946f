/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Redis keyspace: the authoritative copy of every key, in the extension heap.
 *
 * Entries hang off a power-of-two table of hash chains, each chain guarded by the lock stripe of
 * its bucket (lock.h). An entry holds its key and, for a string, its value inline; a sorted set
 * is an __arena pointer to a struct rd_zset (rd_zset.h). Entries are immutable once linked except
 * for their expiry: a write builds a new entry before locking and swaps it in, so no reader in
 * another CPU's fast path ever sees half a value.
 *
 * Expiry is lazy, as Redis does it on access: an entry whose expire-at (unix ms) has passed is
 * absent, and the lookup that meets it unlinks it and hands it back for freeing after unlock.
 *
 * The heap has a fixed size. When it is full a write fails with Redis' OOM error and changes
 * nothing (rd_strings.h), instead of evicting: Redis with maxmemory 0 never evicts either.
 *
 * No helper may be called with a lock held, and ffkx_malloc calls one: allocate first, then lock,
 * free after unlocking.
 */
#ifndef RD_STORE_H
#define RD_STORE_H

#include <ffkx/alloc.h>
#include <ffkx/lock.h>
#include "rd_cmd.h"

#if __has_include("rd_zset.h")
#include "rd_zset.h"
#define RD_HAVE_ZSET 1
#endif

#define RD_ROOT    0   /* heap root slot holding the store's address */
#define RD_KEY_MAX 1024 /* the fast path's key bound; each key arrives within one request buffer */

enum rd_type {
	RD_STRING = 0,
	RD_ZSET = 1,
};

struct rd_entry {
	struct rd_entry __arena *next; /* hash chain */
	__u64 expire_ms;               /* unix ms; 0 for none */
	__u64 zset;                    /* RD_ZSET: struct rd_zset __arena * */
	__u32 hash;
	__u32 nkey;
	__u32 nval;                    /* RD_STRING: value bytes after the key */
	__u32 type;
	__u32 refs;                    /* the table's while linked, plus slow-path readers (rd_big) */
	__u32 pad;
	__u8 data[];                   /* key, then the value */
};

struct rd_store {
	__u64 buckets;    /* heap address of __u64 heads[mask + 1] */
	__u32 mask;
	__u32 zsets;      /* the sorted-set commands are served (--kredis); otherwise unknown, as in --kmemcache */
	__s64 clock_ms;   /* unix ms minus bpf_ktime_get_ns() in ms */
	/* counters Java reports in INFO; atomics */
	__u64 keys;
	__u64 expired;    /* keys found expired and freed */
	__u64 oom;        /* writes refused: the heap was full */
	__u64 hits;
	__u64 misses;
};

static __always_inline struct rd_store __arena *rd_store(void)
{
	return (struct rd_store __arena *)*ffkx_heap_root(RD_ROOT);
}

static __always_inline __u64 rd_now_ms(struct rd_store __arena *st)
{
	return bpf_ktime_get_ns() / 1000000ULL + st->clock_ms;
}

static __always_inline __u64 __arena *rd_bucket(struct rd_store __arena *st, __u32 hash)
{
	return (__u64 __arena *)st->buckets + (hash & st->mask);
}

static __always_inline struct ffkx_lock *rd_lock_of(struct rd_store __arena *st, __u32 hash)
{
	return ffkx_lock_for(rd_bucket(st, hash));
}

static __always_inline bool rd_live(struct rd_entry __arena *e, __u64 now)
{
	return !e->expire_ms || e->expire_ms > now;
}

static __always_inline bool rd_key_eq(struct rd_entry __arena *e, const struct ffkx_text *t, struct ffkx_tok tok)
{
	__u32 i, n = tok.len;

	if (e->nkey != n)
		return false;
	for (i = ffkx_loop_from(0); i < n && i < RD_KEY_MAX; i++) {
		if (e->data[i] != ffkx_text_at(t, tok.off + i))
			return false;
		cond_break;
	}
	return i == n;
}

static __always_inline void rd_unlink_locked(struct rd_store __arena *st, __u64 __arena *link,
					     struct rd_entry __arena *e)
{
	*link = (__u64)e->next;
	__sync_fetch_and_sub(&st->keys, 1);
}

/*
 * The live entry for a key, lock held; *pprev is the link to it. One expired entry met on the
 * way is unlinked and handed back in *dead, to be freed after unlocking.
 */
static __always_inline struct rd_entry __arena *
rd_find_locked(struct rd_store __arena *st, const struct ffkx_text *t, struct ffkx_tok key, __u32 hash, __u64 now,
	       __u64 __arena **pprev, struct rd_entry __arena **dead)
{
	__u64 __arena *link = rd_bucket(st, hash);
	struct rd_entry __arena *e;

	while (can_loop) {
		e = (struct rd_entry __arena *)*link;
		if (!e)
			return NULL;
		if (e->hash == hash && rd_key_eq(e, t, key)) {
			if (rd_live(e, now)) {
				*pprev = link;
				return e;
			}
			if (!*dead) {
				rd_unlink_locked(st, link, e);
				*dead = e;
			}
			return NULL;
		}
		link = (__u64 __arena *)&e->next;
	}
	return NULL;
}

/* Links e in place of old (lock held), or at its chain's head when old is NULL. */
static __always_inline void rd_link_locked(struct rd_store __arena *st, struct rd_entry __arena *e,
					   struct rd_entry __arena *old, __u64 __arena *pprev)
{
	if (old) {
		e->next = old->next;
		*pprev = (__u64)e;
		return;
	}
	pprev = rd_bucket(st, e->hash);
	e->next = (struct rd_entry __arena *)*pprev;
	*pprev = (__u64)e;
	__sync_fetch_and_add(&st->keys, 1);
}

/* The allocator behind global functions, so the verifier checks it once per program. */
__noinline __u64 rd_heap_alloc(__u64 size)
{
	return (__u64)ffkx_malloc(size);
}

/*
 * Drops a reference to an entry unlinked from the table (or never linked); the last one frees it
 * and its sorted set. NULL is allowed.
 */
__noinline int rd_entry_free(__u64 addr)
{
	struct rd_entry __arena *e = (struct rd_entry __arena *)addr;

	if (!e || __sync_fetch_and_sub(&e->refs, 1) != 1)
		return 0;
#ifdef RD_HAVE_ZSET
	if (e->type == RD_ZSET && e->zset)
		rd_zset_destroy((struct rd_zset __arena *)e->zset);
#endif
	ffkx_free(e);
	return 0;
}

/* Frees what a lookup found expired (counted), after unlocking. */
static __always_inline void rd_reap(struct rd_store __arena *st, struct rd_entry __arena *dead)
{
	if (dead) {
		__sync_fetch_and_add(&st->expired, 1);
		rd_entry_free((__u64)dead);
	}
}

/*
 * A new, unlinked entry for key tok of t with room for cap value bytes, or NULL when the heap is
 * full (counted as an OOM refusal). Its value is the caller's to fill.
 */
static __always_inline struct rd_entry __arena *rd_entry_new(struct rd_store __arena *st, const struct ffkx_text *t,
							     struct ffkx_tok key, __u32 hash, __u32 cap)
{
	struct rd_entry __arena *e;
	__u32 i, n = key.len, zero = ffkx_opaque(0);

	if (n > RD_KEY_MAX)
		return NULL;
	e = (struct rd_entry __arena *)rd_heap_alloc(sizeof(*e) + n + cap);
	if (!e) {
		__sync_fetch_and_add(&st->oom, 1);
		return NULL;
	}
	e->next = (struct rd_entry __arena *)(__u64)zero;
	e->expire_ms = zero;
	e->zset = zero;
	e->hash = hash;
	e->nkey = n;
	e->nval = zero;
	e->type = RD_STRING;
	e->refs = zero + 1;
	e->pad = zero;
	for (i = ffkx_loop_from(0); i < n && i < RD_KEY_MAX; i++) {
		e->data[i] = ffkx_text_at(t, key.off + i);
		cond_break;
	}
	if (i < n) {
		ffkx_free(e);
		return NULL;
	}
	return e;
}

#endif /* RD_STORE_H */
