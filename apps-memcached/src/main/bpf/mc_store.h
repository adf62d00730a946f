/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcached item store: the authoritative copy of every item, in the extension heap.
 *
 * Items hang off a power-of-two table of hash chains. A chain is guarded by the library's lock
 * stripe for its bucket (lock.h). Lookups copy what they need while holding the lock, so the kernel
 * never keeps a pointer to an item after unlocking; only the Java slow path does, and it pins the
 * item with a reference first (mc_item.refs). The table holds one reference to every linked item;
 * whoever drops the last reference frees the item, so an item unlinked while Java reads it is
 * freed when Java lets go.
 *
 * Time follows memcached: a clock in seconds that starts at MC_CLOCK_BASE when the store is
 * created, exptimes converted by mc_realtime() exactly as memcached's realtime() does, and
 * flush_all recorded as oldest_live.
 *
 * A full heap evicts: mc_alloc() runs a CLOCK hand over the buckets and frees the first item of
 * the needed size class that was not referenced since the hand last passed it (expired and
 * flushed items go first). Freed memory stays with its size class in the allocator, so only an
 * item of the same class makes room.
 *
 * No helper may be called with a lock held, and ffkx_malloc calls one: every operation that stores
 * allocates first, then locks, and frees after unlocking.
 */
#ifndef MC_STORE_H
#define MC_STORE_H

#include <ffkx/alloc.h>
#include <ffkx/lock.h>
#include <ffkx/text.h>
#include "mc_proto.h"

#define MC_ROOT              0        /* heap root slot holding the store's address */
#define MC_CLOCK_BASE        62       /* memcached starts its clock at ITEM_UPDATE_INTERVAL + 2 */
#define MC_REALTIME_MAXDELTA (60 * 60 * 24 * 30)
#define MC_EVICT_TRIES       64       /* items evicted for one allocation before giving up */
#define MC_EVICT_SCAN        256      /* buckets the hand may pass in one eviction */
#define MC_RETRIES           4        /* re-tries when an item changed between two locked sections */

struct mc_item {
	struct mc_item __arena *next; /* hash chain */
	__u64 cas;
	__u32 hash;
	__u32 time;       /* memcached clock at the last store: flush_all compares it */
	__u32 exptime;    /* memcached clock, 0 for never */
	__u32 flags;
	__u32 nbytes;     /* value length, without the "\r\n" memcached keeps */
	__u32 refs;       /* the table's reference while linked, plus slow-path readers */
	__u8 nkey;
	__u8 linked;
	__u8 referenced;  /* CLOCK bit: read since the hand last passed */
	__u8 pad[5];
	__u8 data[];      /* key, then value */
};

struct mc_store {
	__u64 buckets;          /* heap address of __u64 heads[mask + 1] */
	__u32 mask;
	__u32 oldest_live;      /* flush_all: items stored at or before it are gone; 0 for none */
	__u64 oldest_cas;       /* flush_all: and so are items with an older cas, stored in its second */
	__u64 cas;              /* last cas unique handed out */
	__u64 hand;             /* CLOCK hand: next bucket to look at */
	__u64 start_ns;         /* bpf_ktime_get_ns() when the clock read MC_CLOCK_BASE */
	__u64 process_started;  /* unix time of clock 0, for absolute exptimes */
	__u64 max_item;         /* memcached's -I: see mc_too_large() */
	/* counters Java reports in "stats"; atomics, and only where memcached counts too */
	__u64 curr_items;
	__u64 total_items;
	__u64 evictions;
	__u64 reclaimed;        /* expired or flushed items freed when found */
	__u64 alloc_failures;   /* stores refused: nothing of the size class left to evict */
	__u64 clock;            /* mc_now's cache: the jiffy (low 32 bits) << 32 | the clock then */
	__u64 seqs;             /* heap address of __u32 seq[mask + 1]: see mc_lock() */
};

enum mc_result {
	MC_STORED,
	MC_NOT_STORED,
	MC_EXISTS,
	MC_NOT_FOUND,
	MC_DELETED,
	MC_TOUCHED,
	MC_NO_MEMORY,
	MC_NON_NUMERIC,
};

static __always_inline struct mc_store __arena *mc_store(void)
{
	return (struct mc_store __arena *)*ffkx_heap_root(MC_ROOT);
}

/*
 * memcached's clock, in seconds. bpf_ktime_get_ns costs a request some 34 ns in a VM, while the
 * verifier inlines bpf_jiffies64 to a load: so the clock is read once per jiffy and cached, jiffy
 * and second in one word, which readers load whole. It may lag by under a jiffy; memcached's own
 * clock, ticked by a timer once a second, lags by up to a second.
 */
static __always_inline __u32 mc_now(struct mc_store __arena *st)
{
	__u64 jiffy = bpf_jiffies64() & 0xffffffffULL, cached = st->clock;
	__u32 now;

	if (cached >> 32 == jiffy && (__u32)cached)
		return (__u32)cached;
	now = (bpf_ktime_get_ns() - st->start_ns) / 1000000000ULL + MC_CLOCK_BASE;
	st->clock = jiffy << 32 | now;
	return now;
}

/* memcached's realtime(): negative means already expired, past 30 days means absolute. */
static __always_inline __u32 mc_realtime(struct mc_store __arena *st, __s64 exptime, __u32 now)
{
	if (exptime < 0)
		exptime = MC_REALTIME_MAXDELTA + 1;
	if (exptime == 0)
		return 0;
	if (exptime > MC_REALTIME_MAXDELTA) {
		if ((__u64)exptime <= st->process_started)
			return 1;
		return exptime - st->process_started;
	}
	return exptime + now;
}

/*
 * What flush_all left: items stored at or before time, or with a cas below cas, are gone. Both
 * are 0 while no flush is in effect. Read once per lookup, not once per item.
 */
struct mc_flushed {
	__u32 time;
	__u64 cas;
};

static __always_inline struct mc_flushed mc_flushed(struct mc_store __arena *st, __u32 now)
{
	struct mc_flushed f = { .time = st->oldest_live, .cas = st->oldest_cas };

	if (!f.time || f.time > now)
		f = (struct mc_flushed){};
	/* two exact shapes would double the verifier's states at every loop they reach */
	f.time = ffkx_loop_from(f.time);
	f.cas = ffkx_loop_from(f.cas);
	return f;
}

static __always_inline bool mc_item_live(struct mc_flushed f, struct mc_item __arena *it, __u32 now)
{
	if (it->time <= f.time || it->cas < f.cas)
		return false;
	return !it->exptime || it->exptime > now;
}

/*
 * memcached's item size limit, as it applies it: a value may take what -I leaves after its
 * 48-byte header, 8-byte cas, the key and its NUL, "\r\n", and 4 bytes for non-zero flags.
 */
static __always_inline bool mc_too_large(struct mc_store __arena *st, __u32 nkey, __u32 flags, __u64 nbytes)
{
	return nbytes + 59 + nkey + (flags ? 4 : 0) > st->max_item;
}

static __always_inline __u64 mc_item_size(__u32 nkey, __u32 nbytes)
{
	return sizeof(struct mc_item) + nkey + nbytes;
}

/* Memory kind of an item size: its slab class, or a run of pages past them. */
static __always_inline __u32 mc_size_kind(__u64 size)
{
	return size <= FFKX_SLAB_MAX ? ffkx_size_class(size) : FFKX_NR_CLASSES + (size >> FFKX_PAGE_SHIFT);
}

static __always_inline __u64 __arena *mc_bucket(struct mc_store __arena *st, __u32 hash)
{
	return (__u64 __arena *)st->buckets + (hash & st->mask);
}

/* The lock stripe guarding a hash's chain. */
static __always_inline struct ffkx_lock *mc_lock_of(struct mc_store __arena *st, __u32 hash)
{
	return ffkx_lock_for(mc_bucket(st, hash));
}

static __always_inline __u32 __arena *mc_seq(struct mc_store __arena *st, __u32 hash)
{
	return (__u32 __arena *)st->seqs + (hash & st->mask);
}

/*
 * Locks hash's chain, l being its stripe (mc_lock_of). Besides the lock, each bucket has a
 * sequence count that is odd while a locked section runs and moves on each one: a get reads its
 * chain without the lock, as a seqlock reader, and takes the lock only when the count moved under
 * it (mc_exec_get_key). The atomic adds are full barriers, so the count is odd before the section
 * stores anything and moves again only after its last store.
 */
static __always_inline int mc_lock(struct mc_store __arena *st, __u32 hash, struct ffkx_lock *l,
				   unsigned long *irq)
{
	if (ffkx_lock(l, irq))
		return -1;
	__sync_fetch_and_add(mc_seq(st, hash), 1);
	return 0;
}

static __always_inline void mc_unlock(struct mc_store __arena *st, __u32 hash, struct ffkx_lock *l,
				      unsigned long *irq)
{
	__sync_fetch_and_add(mc_seq(st, hash), 1);
	ffkx_unlock(l, irq);
}

/* Takes an item out of its chain; the table's reference is the caller's to drop. Lock held. */
static __always_inline void mc_unlink_locked(struct mc_store __arena *st, __u64 __arena *link,
					     struct mc_item __arena *it)
{
	*link = (__u64)it->next;
	it->linked = 0;
	__sync_fetch_and_sub(&st->curr_items, 1);
}

/*
 * Eight bytes of t from off, the bytes at and past n zeroed. Keys lie inside the buffer, which the
 * reply buffer of a struct mc_io follows, so a word read at the last masked offset stays inside
 * the map value.
 */
static __always_inline __u64 mc_text_word(const struct ffkx_text *t, __u32 off, __u32 n)
{
	__u64 w = *(const __u64 *)&t->b[off & FFKX_TEXT_MASK];

	return n < 8 ? w & ((1ULL << (n * 8)) - 1) : w;
}

/*
 * A key's hash, over eight bytes at a time: every path hashes keys from a request buffer with
 * this function, so an item's hash matches whichever program looks it up.
 */
static __always_inline __u32 mc_key_hash(const struct ffkx_text *t, struct ffkx_tok tok)
{
	__u64 h = 0x9E3779B97F4A7C15ULL ^ tok.len;
	__u32 i, n = tok.len;

	for (i = ffkx_loop_from(0); i < n; i += 8) {
		i = ffkx_text_pos(i);
		if (i >= n)
			break;
		h = (h ^ mc_text_word(t, tok.off + i, n - i)) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		cond_break;
	}
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

/* The item's key equals token tok of t; compared eight bytes at a time. */
static __always_inline bool mc_key_eq(struct mc_item __arena *it, const struct ffkx_text *t, struct ffkx_tok tok)
{
	__u32 i, n = tok.len;
	__u64 w;

	if (it->nkey != n)
		return false;
	for (i = ffkx_loop_from(0); i < n; i += 8) {
		i = ffkx_text_pos(i);
		if (i >= n)
			break;
		w = *(const __u64 __arena *)(it->data + i);
		if (n - i < 8)
			w &= (1ULL << ((n - i) * 8)) - 1;
		if (w != mc_text_word(t, tok.off + i, n - i))
			return false;
		cond_break;
	}
	return i >= n;
}

/*
 * Finds the live item for a key in its chain; the caller holds the chain's lock. A dead item met
 * on the way is unlinked and handed back in *dead for the caller to free after unlocking (one is
 * enough to keep chains clean over time). *pprev points at the link to the returned item.
 */
static __always_inline struct mc_item __arena *
mc_find_locked(struct mc_store __arena *st, const struct ffkx_text *t, struct ffkx_tok key, __u32 hash,
	       __u32 now, __u64 __arena **pprev, struct mc_item __arena **dead)
{
	__u64 __arena *link = mc_bucket(st, hash);
	struct mc_flushed f = mc_flushed(st, now);
	struct mc_item __arena *it;

	while (can_loop) {
		it = (struct mc_item __arena *)*link;
		if (!it)
			return NULL;
		if (!mc_item_live(f, it, now) && !*dead) {
			mc_unlink_locked(st, link, it);
			*dead = it;
			continue;
		}
		if (it->hash == hash && mc_key_eq(it, t, key)) {
			if (!mc_item_live(f, it, now))
				return NULL;
			*pprev = link;
			return it;
		}
		link = (__u64 __arena *)&it->next;
	}
	return NULL; /* cancelled: reported as a miss only by callers that may say so */
}

/*
 * The allocator, behind global functions: ffkx_malloc and ffkx_free are inline, and the store
 * calls them from many places, each of which the verifier would otherwise check on its own.
 */
__noinline __u64 mc_heap_alloc(__u64 size)
{
	return (__u64)ffkx_malloc(size);
}

__noinline int mc_heap_free(__u64 addr)
{
	ffkx_free((void __arena *)addr);
	return 0;
}

/* Drops a reference; the last one frees the item. NULL is allowed. */
static __always_inline void mc_item_put(struct mc_item __arena *it)
{
	if (it && __sync_fetch_and_sub(&it->refs, 1) == 1)
		mc_heap_free((__u64)it);
}

/*
 * One step of the CLOCK hand: frees one item of memory kind `kind`, preferring dead items.
 * Returns 1 when it freed something. Global, so the verifier checks it once, not per caller.
 */
__noinline int mc_evict_one(__u32 kind, __u32 now)
{
	unsigned long irq;
	struct mc_store __arena *st = mc_store();
	struct mc_item __arena *victim = NULL;
	struct mc_flushed f;
	__u32 scanned;

	if (!st)
		return 0;
	f = mc_flushed(st, now);
	for (scanned = ffkx_loop_from(0); scanned < MC_EVICT_SCAN && !victim; scanned++) {
		__u32 b = __sync_fetch_and_add(&st->hand, 1);
		__u64 __arena *link = (__u64 __arena *)st->buckets + (b & st->mask);
		struct ffkx_lock *l = mc_lock_of(st, b);

		if (!l || mc_lock(st, b, l, &irq))
			return 0;
		while (can_loop) {
			struct mc_item __arena *it = (struct mc_item __arena *)*link;

			if (!it)
				break;
			if (!mc_item_live(f, it, now) ||
			    (mc_size_kind(mc_item_size(it->nkey, it->nbytes)) == kind && !it->referenced)) {
				mc_unlink_locked(st, link, it);
				victim = it;
				break;
			}
			it->referenced = 0;
			link = (__u64 __arena *)&it->next;
		}
		mc_unlock(st, b, l, &irq);
		cond_break;
	}
	if (!victim)
		return 0;
	__sync_fetch_and_add(mc_item_live(f, victim, now) ? &st->evictions : &st->reclaimed, 1);
	mc_item_put(victim);
	return 1;
}

/* Allocates an item, evicting older ones of the same size class while the heap is full. */
static __always_inline struct mc_item __arena *mc_alloc(struct mc_store __arena *st, __u32 nkey, __u32 nbytes,
							__u32 now)
{
	__u64 size = mc_item_size(nkey, nbytes);
	struct mc_item __arena *it;
	int i;

	for (i = ffkx_loop_from(0); i < MC_EVICT_TRIES; i++) {
		it = (struct mc_item __arena *)mc_heap_alloc(size);
		if (it) {
			__u32 zero = ffkx_opaque(0);

			it->next = (struct mc_item __arena *)(__u64)zero;
			it->refs = zero + 1; /* the table's, once linked; unlinked items are just freed */
			it->linked = zero;
			it->referenced = zero;
			it->nkey = nkey;
			it->nbytes = nbytes;
			return it;
		}
		if (!mc_evict_one(mc_size_kind(size), now))
			break;
		cond_break;
	}
	__sync_fetch_and_add(&st->alloc_failures, 1);
	return NULL;
}

/* Links a new item in place of old (or at the chain head when old is NULL); lock held. */
static __always_inline void mc_link_locked(struct mc_store __arena *st, struct mc_item __arena *it,
					   struct mc_item __arena *old, __u64 __arena *pprev)
{
	if (old) {
		mc_unlink_locked(st, pprev, old);
		it->next = old->next;
		*pprev = (__u64)it;
	} else {
		__u64 __arena *head = mc_bucket(st, it->hash);

		it->next = (struct mc_item __arena *)*head;
		*head = (__u64)it;
	}
	it->linked = 1;
	__sync_fetch_and_add(&st->curr_items, 1);
}

static __always_inline __u64 mc_next_cas(struct mc_store __arena *st)
{
	return __sync_fetch_and_add(&st->cas, 1) + 1;
}

#endif /* MC_STORE_H */
