/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ordered skiplist in the extension heap, with ranks: the structure behind
 * Redis sorted sets (see score.h for their order).
 *
 * Every level link carries its span, the number of level-0 steps it skips, so
 * the descent that finds a key also adds up its rank: rank, select by rank and
 * range counts all take O(log n). A link that ends the level (next NULL) spans
 * to one past the last node; keeping that exact costs nothing extra and lets
 * the head of an empty level be set up from the length alone.
 *
 * Node heights are random with p = 1/4 up to FFKX_SL_MAX_LEVEL, which keeps
 * the expected cost logarithmic far beyond what a 4 GiB heap can hold.
 *
 * Keys and values are byte strings of any size, fixed per node at insert. A
 * comparator orders keys; it is bound at compile time, because BPF has no
 * function pointers:
 *
 *	FFKX_SKIPLIST_DEFINE(zset, ffkx_zset_cmp)
 *
 * defines zset_insert, zset_lookup, zset_remove, zset_rank and
 * zset_range_by_key. Operations that need no comparison are plain
 * functions: ffkx_skiplist_at, ffkx_skiplist_range_by_rank, first, last, next
 * and prev.
 *
 * A comparator has the signature
 *
 *	int cmp(const void __arena *a, __u32 a_size, const void __arena *b, __u32 b_size)
 *
 * and returns -1, 0, 1 or FFKX_CMP_CANCELED; keys and probes live in the heap
 * and start 8-byte aligned (bytes.h says why).
 *
 * Memory: ffkx_sl_node_new allocates a node, NAME_insert links it in, and
 * NAME_remove unlinks one and hands it back for the caller to free with
 * ffkx_free. Allocate before taking the lock: the allocator calls helpers,
 * which the verifier forbids under a lock, and nothing else here does.
 *
 * Locking: none inside. Writers must hold the lock that guards this skiplist
 * (one lock per instance, see lock.h) around every call that takes the list.
 * Readers should too: a reader racing a writer may follow a node that is
 * being unlinked or freed. Such a read cannot fault or loop forever, since
 * heap reads are sandboxed and every walk can be cancelled, but its answer is
 * then meaningless.
 *
 * Cancellation: a search that runs out of loop budget returns -ECANCELED
 * before it changes anything. Once an insert or remove has found its place it
 * relinks in loops bounded by FFKX_SL_MAX_LEVEL with no cancellation point,
 * because stopping halfway would leave the list torn. Those loops re-read
 * their data-dependent bounds from the heap on every pass (ffkx_sl_bound).
 *
 * Java reads the list through the mmapped heap (dev.ffkx.runtime.heap.SkiplistView);
 * the layout below is shared with it.
 */
#ifndef FFKX_SKIPLIST_H
#define FFKX_SKIPLIST_H

#include "alloc.h"
#include "bytes.h"

#define FFKX_SL_MAX_LEVEL 32

struct ffkx_sl_node;

struct ffkx_sl_level {
	struct ffkx_sl_node __arena *next;
	__u32 span; /* level-0 steps to next (one past the last node when next is NULL) */
	__u32 reserved;
};

struct ffkx_sl_node {
	struct ffkx_sl_node __arena *prev; /* level-0 predecessor; NULL for the first node */
	__u32 key_size;
	__u32 value_size;
	__u32 height;
	__u32 reserved;
	/* height levels, then the key, then the value at the next multiple of 8 */
	struct ffkx_sl_level level[];
};

/*
 * The list itself: a header node of full height with no key, and the tail for
 * reverse walks. Keep it in the heap (on its own or inside a larger object),
 * never on the stack or in a map value: nodes point back to its head.
 */
struct ffkx_skiplist {
	__u64 length;
	struct ffkx_sl_node __arena *tail;
	__u32 level; /* levels in use, 1..FFKX_SL_MAX_LEVEL */
	__u32 reserved;
	/*
	 * Room for the head, a struct ffkx_sl_node of full height
	 * (ffkx_skiplist_head). Raw words, because C allows a struct with a
	 * flexible array only as the last member, and then nothing could follow
	 * the list inside a larger object.
	 */
	__u64 head[(sizeof(struct ffkx_sl_node) + FFKX_SL_MAX_LEVEL * sizeof(struct ffkx_sl_level)) / 8];
	/*
	 * Where the last insert or remove passed at each level: the node, by its
	 * 32-bit heap offset (all a heap pointer needs to be dereferenced), and
	 * its rank. Writers hold the lock, so one path per list suffices. On the
	 * stack it would take half of the 512 bytes BPF allows, and indexing the
	 * stack by level would make the verifier track every loop counter exactly.
	 */
	__u32 path_node[FFKX_SL_MAX_LEVEL];
	__u32 path_rank[FFKX_SL_MAX_LEVEL];
};

_Static_assert(sizeof(struct ffkx_sl_node) == 24 && sizeof(struct ffkx_sl_level) == 16,
	       "node layout is shared with SkiplistView");

typedef int (*ffkx_sl_cmp_fn)(const void __arena *a, __u32 a_size, const void __arena *b, __u32 b_size);

static __always_inline struct ffkx_sl_node __arena *ffkx_sl_path_node(struct ffkx_skiplist __arena *sl, __u32 i)
{
	return (struct ffkx_sl_node __arena *)(unsigned long)sl->path_node[i % FFKX_SL_MAX_LEVEL];
}

/*
 * A loop bound read afresh from the heap on every pass. A bound held in a
 * register would be compared with the loop counter, which the verifier tracks
 * exactly in a loop without may_goto, and so would be tracked exactly too: the
 * verifier would then walk the loop once for every height and level. A fresh
 * load is an unknown value each time.
 */
static __always_inline __u32 ffkx_sl_bound(__u32 __arena *p)
{
	return *(volatile __u32 __arena *)p;
}

static __always_inline struct ffkx_sl_node __arena *ffkx_skiplist_head(struct ffkx_skiplist __arena *sl)
{
	return (struct ffkx_sl_node __arena *)sl->head;
}

static __always_inline void __arena *ffkx_sl_key(struct ffkx_sl_node __arena *n)
{
	return &n->level[n->height];
}

static __always_inline void __arena *ffkx_sl_value(struct ffkx_sl_node __arena *n)
{
	return (__u8 __arena *)ffkx_sl_key(n) + ((n->key_size + 7) & ~7U);
}

static __always_inline __u64 ffkx_skiplist_length(struct ffkx_skiplist __arena *sl)
{
	return sl->length;
}

/* The first node, or NULL when the list is empty. */
static __always_inline struct ffkx_sl_node __arena *ffkx_skiplist_first(struct ffkx_skiplist __arena *sl)
{
	return ffkx_skiplist_head(sl)->level[0].next;
}

/* The last node, or NULL when the list is empty. */
static __always_inline struct ffkx_sl_node __arena *ffkx_skiplist_last(struct ffkx_skiplist __arena *sl)
{
	return sl->tail;
}

/* The node after n, or NULL at the end. */
static __always_inline struct ffkx_sl_node __arena *ffkx_sl_next(struct ffkx_sl_node __arena *n)
{
	return n->level[0].next;
}

/* The node before n, or NULL at the start. */
static __always_inline struct ffkx_sl_node __arena *ffkx_sl_prev(struct ffkx_sl_node __arena *n)
{
	return n->prev;
}

/* Makes an empty list in sizeof(struct ffkx_skiplist) bytes of heap. */
static __always_inline void ffkx_skiplist_init(struct ffkx_skiplist __arena *sl)
{
	struct ffkx_sl_node __arena *head = ffkx_skiplist_head(sl);
	__u64 zero = ffkx_zero();
	int i;

	sl->length = zero;
	sl->tail = (struct ffkx_sl_node __arena *)zero;
	sl->level = 1;
	sl->reserved = zero;
	head->prev = (struct ffkx_sl_node __arena *)zero;
	head->key_size = zero;
	head->value_size = zero;
	head->height = FFKX_SL_MAX_LEVEL;
	head->reserved = zero;
	/* Constant trip count: clang unrolls it, so there is no loop to cancel. */
	for (i = 0; i < FFKX_SL_MAX_LEVEL; i++) {
		head->level[i].next = (struct ffkx_sl_node __arena *)zero;
		head->level[i].span = 1;
		head->level[i].reserved = zero;
	}
}

/*
 * The top level in use, where every walk starts. Masked rather than clamped:
 * a torn list cannot send a walk off the level arrays either way, and a mask
 * gives the verifier no constant to walk the levels with one by one.
 */
static __always_inline int ffkx_sl_top(struct ffkx_skiplist __arena *sl)
{
	return (sl->level - 1) % FFKX_SL_MAX_LEVEL;
}

/* 1 + the number of trailing pairs of zero bits of 64 random bits: height h has probability 3/4^h. */
static __always_inline __u32 ffkx_sl_random_height(void)
{
	__u64 r = ((__u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32();
	__u32 h = r ? 1 + __builtin_ctzll(r) / 2 : FFKX_SL_MAX_LEVEL;

	return h < FFKX_SL_MAX_LEVEL ? h : FFKX_SL_MAX_LEVEL;
}

/*
 * The one search behind every keyed operation. Walks down from the head to
 * the last node whose key is below `key` or, with `or_equal`, not above it.
 * Returns 0 with that node (the head if none) in *last and its 1-based rank
 * (0 for the head) in *rank; *equal says whether any node compared equal to
 * the key on the way. That node, if any, is *last with `or_equal` and the
 * node after *last without. With `record`, leaves the path in sl->path_*.
 * Returns -ECANCELED if the loop budget ran out.
 */
static __always_inline int __ffkx_sl_descend(struct ffkx_skiplist __arena *sl, const void __arena *key,
					     __u32 key_size, bool or_equal, ffkx_sl_cmp_fn cmp,
					     bool record, struct ffkx_sl_node __arena **last,
					     __u32 *rank, bool *equal)
{
	struct ffkx_sl_node __arena *x = ffkx_skiplist_head(sl), *next;
	__u32 r = 0;
	bool eq = false;
	int i, c;

	for (i = ffkx_sl_top(sl); i >= 0 && can_loop; i--) {
		for (;;) {
			if (!can_loop)
				return -ECANCELED;
			next = x->level[i % FFKX_SL_MAX_LEVEL].next;
			if (!next)
				break;
			c = cmp(ffkx_sl_key(next), next->key_size, key, key_size);
			if (c == FFKX_CMP_CANCELED)
				return -ECANCELED;
			if (c == 0)
				eq = true;
			if (c > 0 || (c == 0 && !or_equal))
				break;
			r += x->level[i % FFKX_SL_MAX_LEVEL].span;
			x = next;
		}
		if (record) {
			sl->path_node[i % FFKX_SL_MAX_LEVEL] = (__u32)(unsigned long)x;
			sl->path_rank[i % FFKX_SL_MAX_LEVEL] = r;
		}
	}
	if (i >= 0)
		return -ECANCELED;
	*last = x;
	*rank = r;
	*equal = eq;
	return 0;
}

static __always_inline int __ffkx_skiplist_lookup(struct ffkx_skiplist __arena *sl, const void __arena *key,
						  __u32 key_size, struct ffkx_sl_node __arena **out,
						  ffkx_sl_cmp_fn cmp)
{
	struct ffkx_sl_node __arena *x;
	bool eq;
	__u32 r;
	int err;

	err = __ffkx_sl_descend(sl, key, key_size, true, cmp, false, &x, &r, &eq);
	if (err)
		return err;
	if (!eq)
		return -ENOENT;
	*out = x;
	return 0;
}

/*
 * A node for `key` (copied in) with room for value_size bytes of value, not
 * yet in any list. Allocate before taking the list's lock: the allocator calls
 * helpers, which the verifier forbids while a lock is held. Returns 0 with the
 * node in *out, -ENOMEM when the heap is full, or -ECANCELED.
 */
static __always_inline int ffkx_sl_node_new(const void __arena *key, __u32 key_size, __u32 value_size,
					    struct ffkx_sl_node __arena **out)
{
	__u32 h = ffkx_sl_random_height();
	struct ffkx_sl_node __arena *n;
	int err;

	n = ffkx_malloc(sizeof(*n) + h * sizeof(n->level[0]) + ((key_size + 7ULL) & ~7ULL) + value_size);
	if (!n)
		return -ENOMEM;
	n->prev = (struct ffkx_sl_node __arena *)ffkx_zero();
	n->key_size = key_size;
	n->value_size = value_size;
	n->height = h;
	n->reserved = 0;
	err = ffkx_bytes_copy(ffkx_sl_key(n), key, key_size);
	if (err) {
		ffkx_free(n);
		return err;
	}
	*out = n;
	return 0;
}

/*
 * Links node n (from ffkx_sl_node_new) in at its key's place. Returns 0;
 * -EEXIST, with the node already holding the key in *existing and n left
 * out (free it, or keep it for another try); or -ECANCELED, with nothing
 * changed.
 */
static __always_inline int __ffkx_skiplist_insert(struct ffkx_skiplist __arena *sl, struct ffkx_sl_node __arena *n,
						  struct ffkx_sl_node __arena **existing, ffkx_sl_cmp_fn cmp)
{
	struct ffkx_sl_node __arena *x, *u, *next;
	__u32 r, rk, h = n->height, level, top, i;
	bool eq;
	int err;

	err = __ffkx_sl_descend(sl, ffkx_sl_key(n), n->key_size, false, cmp, true, &x, &r, &eq);
	if (err)
		return err;
	if (eq) {
		*existing = x->level[0].next;
		return -EEXIST;
	}

	level = sl->level;
	for (i = 0; i < FFKX_SL_MAX_LEVEL && i < ffkx_sl_bound(&n->height); i++) {
		if (i < ffkx_sl_bound(&sl->level)) {
			u = ffkx_sl_path_node(sl, i);
			rk = sl->path_rank[i];
		} else {
			/* A level new to the list: it runs from the head (rank 0) to the end. */
			u = ffkx_skiplist_head(sl);
			rk = 0;
			u->level[i].span = sl->length + 1;
		}
		/* n lands at rank r + 1, between u (rank rk) and u's old next. */
		n->level[i].next = u->level[i].next;
		n->level[i].span = u->level[i].span - (r - rk);
		u->level[i].next = n;
		u->level[i].span = r + 1 - rk;
	}
	/* The levels above n's now skip one more node. */
	for (; i < FFKX_SL_MAX_LEVEL && i < ffkx_sl_bound(&sl->level); i++)
		ffkx_sl_path_node(sl, i)->level[i].span++;
	top = h > level ? h : level;
	sl->level = top < FFKX_SL_MAX_LEVEL ? top : FFKX_SL_MAX_LEVEL;
	n->prev = x == ffkx_skiplist_head(sl) ? NULL : x;
	next = n->level[0].next;
	if (next)
		next->prev = n;
	else
		sl->tail = n;
	sl->length++;
	return 0;
}

/*
 * Unlinks the node holding the key and hands it back in *out, for the caller
 * to read and then free with ffkx_free. Returns 0, -ENOENT or -ECANCELED;
 * nothing changes unless it returns 0.
 */
static __always_inline int __ffkx_skiplist_remove(struct ffkx_skiplist __arena *sl, const void __arena *key,
						  __u32 key_size, struct ffkx_sl_node __arena **out,
						  ffkx_sl_cmp_fn cmp)
{
	struct ffkx_sl_node __arena *x, *n, *u, *next;
	__u32 r, level, i;
	bool eq;
	int err;

	err = __ffkx_sl_descend(sl, key, key_size, false, cmp, true, &x, &r, &eq);
	if (err)
		return err;
	if (!eq)
		return -ENOENT;
	n = x->level[0].next;

	/* No cancellation point from here on: see the top of the file. */
	for (i = 0; i < FFKX_SL_MAX_LEVEL && i < ffkx_sl_bound(&sl->level); i++) {
		u = ffkx_sl_path_node(sl, i);
		if (u->level[i].next == n) {
			u->level[i].span += n->level[i].span - 1;
			u->level[i].next = n->level[i].next;
		} else {
			u->level[i].span--;
		}
	}
	next = n->level[0].next;
	if (next)
		next->prev = n->prev;
	else
		sl->tail = n->prev;
	/* Levels that n alone used are empty now. */
	for (i = 0; i < FFKX_SL_MAX_LEVEL; i++) {
		level = ffkx_sl_bound(&sl->level);
		if (level <= 1 || ffkx_skiplist_head(sl)->level[(level - 1) % FFKX_SL_MAX_LEVEL].next)
			break;
		sl->level = level - 1;
	}
	sl->length--;
	*out = n;
	return 0;
}

/*
 * The 0-based rank of the node holding the key, or -ENOENT, or -ECANCELED.
 */
static __always_inline long __ffkx_skiplist_rank(struct ffkx_skiplist __arena *sl, const void __arena *key,
						 __u32 key_size, ffkx_sl_cmp_fn cmp)
{
	struct ffkx_sl_node __arena *x;
	bool eq;
	__u32 r;
	int err;

	err = __ffkx_sl_descend(sl, key, key_size, true, cmp, false, &x, &r, &eq);
	if (err)
		return err;
	return eq ? (long)r - 1 : -ENOENT;
}

/*
 * The node at 0-based rank `rank` in *out. Returns 0, -ENOENT (rank past the
 * end) or -ECANCELED.
 */
static __always_inline int ffkx_skiplist_at(struct ffkx_skiplist __arena *sl, __u64 rank,
					    struct ffkx_sl_node __arena **out)
{
	struct ffkx_sl_node __arena *x = ffkx_skiplist_head(sl), *next;
	__u64 want = rank + 1, r = 0;
	int i;

	/*
	 * No early test of rank against the length: the verifier would then know
	 * r < want on entry and track r exactly, level after level.
	 */
	for (i = ffkx_sl_top(sl); i >= 0 && can_loop; i--) {
		for (;;) {
			if (!can_loop)
				return -ECANCELED;
			next = x->level[i % FFKX_SL_MAX_LEVEL].next;
			if (!next || r + x->level[i % FFKX_SL_MAX_LEVEL].span > want)
				break;
			r += x->level[i % FFKX_SL_MAX_LEVEL].span;
			x = next;
		}
		if (r == want && x != ffkx_skiplist_head(sl)) {
			*out = x;
			return 0;
		}
	}
	return i >= 0 ? -ECANCELED : -ENOENT;
}

/*
 * Nodes at 0-based ranks start..stop (both included; stop past the end means
 * up to the last node). Returns how many there are, with the first in *first,
 * to be walked with ffkx_sl_next; or 0 when the range is empty; or -ECANCELED.
 */
static __always_inline long ffkx_skiplist_range_by_rank(struct ffkx_skiplist __arena *sl, __u64 start,
							__u64 stop, struct ffkx_sl_node __arena **first)
{
	__u64 len = sl->length;
	int err;

	if (stop >= len)
		stop = len - 1;
	if (start >= len || start > stop)
		return 0;
	err = ffkx_skiplist_at(sl, start, first);
	if (err)
		return err == -ENOENT ? 0 : err;
	return stop - start + 1;
}

/*
 * Nodes with keys between min and max. A NULL bound is open; an exclusive
 * bound leaves out a key equal to it. Returns how many there are, with the
 * first in *first and its 0-based rank in *first_rank, to be walked with
 * ffkx_sl_next; or 0 when the range is empty; or -ECANCELED.
 *
 * For score ranges of a sorted set, bound with 8-byte keys (a score and no
 * member): the empty member sorts before every other, so (s) inclusive as a
 * minimum is "score >= s". Turn the other three cases into that one with
 * ffkx_score_next_up: score > s is score >= next_up(s); score <= s is
 * key < (next_up(s)) exclusive; score < s is key < (s) exclusive.
 */
static __always_inline long __ffkx_skiplist_range_by_key(struct ffkx_skiplist __arena *sl,
							 const void __arena *min, __u32 min_size, bool min_excl,
							 const void __arena *max, __u32 max_size, bool max_excl,
							 struct ffkx_sl_node __arena **first, __u64 *first_rank,
							 ffkx_sl_cmp_fn cmp)
{
	struct ffkx_sl_node __arena *lo = ffkx_skiplist_head(sl), *hi;
	__u32 lo_rank = 0, hi_rank = sl->length;
	bool eq;
	int err;

	if (min) {
		/* lo: the last node before the range. */
		err = __ffkx_sl_descend(sl, min, min_size, min_excl, cmp, false, &lo, &lo_rank, &eq);
		if (err)
			return err;
	}
	if (max) {
		/* hi: the last node in the range. */
		err = __ffkx_sl_descend(sl, max, max_size, !max_excl, cmp, false, &hi, &hi_rank, &eq);
		if (err)
			return err;
	}
	if (hi_rank <= lo_rank)
		return 0;
	*first = lo->level[0].next;
	*first_rank = lo_rank;
	return hi_rank - lo_rank;
}

/*
 * Binds the keyed operations to a comparator: NAME_insert, NAME_lookup,
 * NAME_remove, NAME_rank and NAME_range_by_key, as documented on their
 * __ffkx_skiplist_* bodies. The comparator is inlined into each.
 */
#define FFKX_SKIPLIST_DEFINE(name, cmp)								\
static __always_inline int name##_insert(struct ffkx_skiplist __arena *sl, struct ffkx_sl_node __arena *n,	\
					 struct ffkx_sl_node __arena **existing)			\
{												\
	return __ffkx_skiplist_insert(sl, n, existing, cmp);					\
}												\
static __always_inline int name##_lookup(struct ffkx_skiplist __arena *sl, const void __arena *key,	\
					 __u32 key_size, struct ffkx_sl_node __arena **out)	\
{												\
	return __ffkx_skiplist_lookup(sl, key, key_size, out, cmp);				\
}												\
static __always_inline int name##_remove(struct ffkx_skiplist __arena *sl, const void __arena *key,	\
					 __u32 key_size, struct ffkx_sl_node __arena **out)	\
{												\
	return __ffkx_skiplist_remove(sl, key, key_size, out, cmp);				\
}												\
static __always_inline long name##_rank(struct ffkx_skiplist __arena *sl, const void __arena *key,	\
					__u32 key_size)						\
{												\
	return __ffkx_skiplist_rank(sl, key, key_size, cmp);					\
}												\
static __always_inline long name##_range_by_key(struct ffkx_skiplist __arena *sl,			\
						const void __arena *min, __u32 min_size, bool min_excl,	\
						const void __arena *max, __u32 max_size, bool max_excl,	\
						struct ffkx_sl_node __arena **first, __u64 *first_rank)	\
{												\
	return __ffkx_skiplist_range_by_key(sl, min, min_size, min_excl, max, max_size, max_excl,	\
					    first, first_rank, cmp);				\
}

#endif /* FFKX_SKIPLIST_H */
