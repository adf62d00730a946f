/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A red-black tree in the extension heap: ordered keys with lookup, insert and
 * delete in O(log n), the first node in O(1), and in-order walks.
 *
 * Nodes carry their key and value inline (sizes fixed per node at insert), so
 * one allocation and one cache line usually serve a lookup. Children sit in an
 * array indexed by direction, which lets one body handle both mirror cases of
 * every rebalancing step. The parent pointer carries the color in bit 0, which
 * the heap's 8-byte alignment leaves free.
 *
 * A comparator orders keys; it is bound at compile time, because BPF has no
 * function pointers:
 *
 *	FFKX_RBTREE_DEFINE(by_id, my_u64_cmp)
 *
 * defines by_id_insert, by_id_lookup, by_id_remove and by_id_lower_bound.
 * Operations that need no comparison are plain functions: ffkx_rbtree_first,
 * ffkx_rbtree_last, ffkx_rb_next, ffkx_rb_prev and ffkx_rbtree_erase. The
 * comparator's contract is the skiplist's (skiplist.h): heap keys, 8-byte
 * aligned, -1/0/1 or FFKX_CMP_CANCELED.
 *
 * Memory, as with bpf_obj_new and bpf_rbtree_add: ffkx_rb_node_new allocates
 * a node before the lock is taken, NAME_insert links it, NAME_remove and
 * ffkx_rbtree_erase unlink one and hand it back for the caller to free with
 * ffkx_free. Inside the lock nothing allocates or calls a helper.
 *
 * Locking: none inside. Writers must hold the lock that guards this tree (one
 * lock per instance, see lock.h) for every call. Readers should too: a reader
 * racing a writer cannot fault or loop forever, but may get a wrong answer.
 *
 * Cancellation: searches and walks return -ECANCELED when the loop budget runs
 * out, and writers search before they change anything. Rebalancing after an
 * insert or delete is a loop bounded by FFKX_RB_MAX_HEIGHT with no cancellation
 * point: a half-done rebalance would leave the colors inconsistent, and every
 * later rebalance relies on them.
 */
#ifndef FFKX_RBTREE_H
#define FFKX_RBTREE_H

#include "alloc.h"
#include "bytes.h"

/*
 * A red-black tree of n nodes is at most 2 log2(n + 1) high: below 64 for any
 * number of nodes a 4 GiB heap can hold. Rebalancing climbs at least one level
 * a step, so this bounds its steps.
 */
#define FFKX_RB_MAX_HEIGHT 64

#define FFKX_RB_LEFT  0
#define FFKX_RB_RIGHT 1
#define FFKX_RB_BLACK 1ULL

struct ffkx_rb_node {
	struct ffkx_rb_node __arena *child[2]; /* FFKX_RB_LEFT, FFKX_RB_RIGHT */
	__u64 parent_color;                    /* parent address | FFKX_RB_BLACK if black */
	__u32 key_size;
	__u32 value_size;
	/* the key, then the value at the next multiple of 8 */
};

/* Keep it in the heap (alone or inside a larger object): nodes link to its root slot. */
struct ffkx_rbtree {
	struct ffkx_rb_node __arena *root;
	struct ffkx_rb_node __arena *first; /* leftmost node, so in-order walks start in O(1) */
	__u64 count;
};

typedef int (*ffkx_rb_cmp_fn)(const void __arena *a, __u32 a_size, const void __arena *b, __u32 b_size);

static __always_inline void ffkx_rbtree_init(struct ffkx_rbtree __arena *t)
{
	__u64 zero = ffkx_zero();

	t->root = (struct ffkx_rb_node __arena *)zero;
	t->first = (struct ffkx_rb_node __arena *)zero;
	t->count = zero;
}

static __always_inline __u64 ffkx_rbtree_count(struct ffkx_rbtree __arena *t)
{
	return t->count;
}

static __always_inline void __arena *ffkx_rb_key(struct ffkx_rb_node __arena *n)
{
	return n + 1;
}

static __always_inline void __arena *ffkx_rb_value(struct ffkx_rb_node __arena *n)
{
	return (__u8 __arena *)(n + 1) + ((n->key_size + 7) & ~7U);
}

static __always_inline struct ffkx_rb_node __arena *ffkx_rb_parent(struct ffkx_rb_node __arena *n)
{
	return (struct ffkx_rb_node __arena *)(n->parent_color & ~FFKX_RB_BLACK);
}

/* NULL leaves count as black. */
static __always_inline bool ffkx_rb_is_red(struct ffkx_rb_node __arena *n)
{
	return n && !(n->parent_color & FFKX_RB_BLACK);
}

static __always_inline void ffkx_rb_set_parent(struct ffkx_rb_node __arena *n, struct ffkx_rb_node __arena *p)
{
	n->parent_color = (__u64)p | (n->parent_color & FFKX_RB_BLACK);
}

static __always_inline void ffkx_rb_set_black(struct ffkx_rb_node __arena *n)
{
	if (n)
		n->parent_color |= FFKX_RB_BLACK;
}

static __always_inline void ffkx_rb_set_red(struct ffkx_rb_node __arena *n)
{
	n->parent_color &= ~FFKX_RB_BLACK;
}

/* The side of p that holds n. */
static __always_inline int ffkx_rb_side(struct ffkx_rb_node __arena *p, struct ffkx_rb_node __arena *n)
{
	return p->child[FFKX_RB_RIGHT] == n;
}

/* Puts `new` where `old` hung under p (or at the root). */
static __always_inline void ffkx_rb_replace(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *p,
					    struct ffkx_rb_node __arena *old, struct ffkx_rb_node __arena *new)
{
	if (p)
		p->child[ffkx_rb_side(p, old)] = new;
	else
		t->root = new;
}

/* Rotates x down toward `dir`: its child on the other side takes its place. */
static __always_inline void ffkx_rb_rotate(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *x, int dir)
{
	struct ffkx_rb_node __arena *y = x->child[!dir], *p = ffkx_rb_parent(x), *inner;

	inner = y->child[dir];
	x->child[!dir] = inner;
	if (inner)
		ffkx_rb_set_parent(inner, x);
	ffkx_rb_set_parent(y, p);
	ffkx_rb_replace(t, p, x, y);
	y->child[dir] = x;
	ffkx_rb_set_parent(x, y);
}

/*
 * Restores the colors after n was linked in red. Checks the structure it
 * relies on rather than trusting it, so a tree torn by a racing writer stays
 * a tree (possibly unbalanced) instead of being dereferenced through NULL.
 */
static __always_inline void ffkx_rb_insert_fixup(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *n)
{
	struct ffkx_rb_node __arena *p, *g, *u;
	int i, dir;

	for (i = 0; i < FFKX_RB_MAX_HEIGHT; i++) {
		p = ffkx_rb_parent(n);
		if (!ffkx_rb_is_red(p))
			break;
		g = ffkx_rb_parent(p);
		if (!g)
			break; /* p is the root: blackened below */
		dir = ffkx_rb_side(g, p);
		u = g->child[!dir];
		if (ffkx_rb_is_red(u)) {
			/* Red uncle: push the red up two levels and go on from there. */
			ffkx_rb_set_black(p);
			ffkx_rb_set_black(u);
			ffkx_rb_set_red(g);
			n = g;
			continue;
		}
		if (ffkx_rb_side(p, n) != dir) {
			/* n is an inner grandchild: make it an outer one first. */
			ffkx_rb_rotate(t, p, dir);
			n = p;
			p = ffkx_rb_parent(n);
		}
		ffkx_rb_set_black(p);
		ffkx_rb_set_red(g);
		ffkx_rb_rotate(t, g, !dir);
		break;
	}
	ffkx_rb_set_black(t->root);
}

/*
 * Restores the black heights after a black node left from under xp, on the
 * side that now holds x (possibly NULL). Checks its assumptions like
 * ffkx_rb_insert_fixup.
 */
static __always_inline void ffkx_rb_erase_fixup(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *x,
						struct ffkx_rb_node __arena *xp)
{
	struct ffkx_rb_node __arena *w;
	int i, dir;

	for (i = 0; i < FFKX_RB_MAX_HEIGHT; i++) {
		if (!xp || ffkx_rb_is_red(x))
			break;
		/* x may be NULL, but then its sibling is not: its side is the one that is NULL. */
		dir = xp->child[FFKX_RB_LEFT] == x ? FFKX_RB_LEFT : FFKX_RB_RIGHT;
		w = xp->child[!dir];
		if (!w)
			break;
		if (ffkx_rb_is_red(w)) {
			/* Red sibling: rotate it above xp so that x gets a black sibling. */
			ffkx_rb_set_black(w);
			ffkx_rb_set_red(xp);
			ffkx_rb_rotate(t, xp, dir);
			w = xp->child[!dir];
			if (!w)
				break;
		}
		if (!ffkx_rb_is_red(w->child[FFKX_RB_LEFT]) && !ffkx_rb_is_red(w->child[FFKX_RB_RIGHT])) {
			/* Nothing red to borrow below w: make w red and move the deficit up. */
			ffkx_rb_set_red(w);
			x = xp;
			xp = ffkx_rb_parent(x);
			continue;
		}
		if (!ffkx_rb_is_red(w->child[!dir])) {
			/* Only w's inner child is red: rotate it outward first. */
			ffkx_rb_set_black(w->child[dir]);
			ffkx_rb_set_red(w);
			ffkx_rb_rotate(t, w, !dir);
			w = xp->child[!dir];
		}
		/* w's outer child is red: one rotation about xp settles it. */
		w->parent_color = (w->parent_color & ~FFKX_RB_BLACK) | (xp->parent_color & FFKX_RB_BLACK);
		ffkx_rb_set_black(xp);
		ffkx_rb_set_black(w->child[!dir]);
		ffkx_rb_rotate(t, xp, dir);
		x = t->root;
		break;
	}
	ffkx_rb_set_black(x);
}

/* The extreme node of n's subtree on side dir. Returns 0 with it in *out, or -ECANCELED. */
static __always_inline int ffkx_rb_extreme(struct ffkx_rb_node __arena *n, int dir,
					   struct ffkx_rb_node __arena **out)
{
	struct ffkx_rb_node __arena *c;

	for (;;) {
		if (!can_loop)
			return -ECANCELED;
		c = n->child[dir];
		if (!c)
			break;
		n = c;
	}
	*out = n;
	return 0;
}

/* The in-order neighbour of n toward dir. Returns 0 with it in *out, -ENOENT at the end, or -ECANCELED. */
static __always_inline int ffkx_rb_step(struct ffkx_rb_node __arena *n, int dir,
					struct ffkx_rb_node __arena **out)
{
	struct ffkx_rb_node __arena *p;

	if (n->child[dir])
		return ffkx_rb_extreme(n->child[dir], !dir, out);
	for (;;) {
		if (!can_loop)
			return -ECANCELED;
		p = ffkx_rb_parent(n);
		if (!p)
			return -ENOENT;
		if (p->child[dir] != n)
			break;
		n = p;
	}
	*out = p;
	return 0;
}

/* The node after n in key order: 0 with it in *out, -ENOENT after the last, or -ECANCELED. */
static __always_inline int ffkx_rb_next(struct ffkx_rb_node __arena *n, struct ffkx_rb_node __arena **out)
{
	return ffkx_rb_step(n, FFKX_RB_RIGHT, out);
}

/* The node before n in key order: 0 with it in *out, -ENOENT before the first, or -ECANCELED. */
static __always_inline int ffkx_rb_prev(struct ffkx_rb_node __arena *n, struct ffkx_rb_node __arena **out)
{
	return ffkx_rb_step(n, FFKX_RB_LEFT, out);
}

/* The node with the least key, or NULL when the tree is empty. */
static __always_inline struct ffkx_rb_node __arena *ffkx_rbtree_first(struct ffkx_rbtree __arena *t)
{
	return t->first;
}

/* The node with the greatest key: 0 with it in *out, -ENOENT when empty, or -ECANCELED. */
static __always_inline int ffkx_rbtree_last(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena **out)
{
	if (!t->root)
		return -ENOENT;
	return ffkx_rb_extreme(t->root, FFKX_RB_RIGHT, out);
}

/*
 * Unlinks node n of t, for the caller to free with ffkx_free. Returns 0 or
 * -ECANCELED (before any change: the walks that find n's successors come
 * first).
 */
static __always_inline int ffkx_rbtree_erase(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *n)
{
	struct ffkx_rb_node __arena *y = n, *x, *xp, *first = t->first, *np;
	bool black;
	int err;

	if (n == first) {
		err = ffkx_rb_next(n, &first);
		if (err == -ENOENT)
			first = NULL;
		else if (err)
			return err;
	}
	/* With two children, n trades places with its successor, which has at most one. */
	if (n->child[FFKX_RB_LEFT] && n->child[FFKX_RB_RIGHT]) {
		err = ffkx_rb_extreme(n->child[FFKX_RB_RIGHT], FFKX_RB_LEFT, &y);
		if (err)
			return err;
	}
	/* No cancellation point from here on: see the top of the file. */
	t->first = first;
	x = y->child[y->child[FFKX_RB_LEFT] ? FFKX_RB_LEFT : FFKX_RB_RIGHT];
	black = !ffkx_rb_is_red(y);
	np = ffkx_rb_parent(n);
	if (y == n) {
		xp = np;
		if (x)
			ffkx_rb_set_parent(x, xp);
		ffkx_rb_replace(t, xp, n, x);
	} else {
		/* y is the leftmost node of n's right subtree: x takes y's place, y takes n's. */
		xp = ffkx_rb_parent(y);
		if (xp == n) {
			xp = y;
		} else {
			xp->child[FFKX_RB_LEFT] = x;
			if (x)
				ffkx_rb_set_parent(x, xp);
			y->child[FFKX_RB_RIGHT] = n->child[FFKX_RB_RIGHT];
			ffkx_rb_set_parent(y->child[FFKX_RB_RIGHT], y);
		}
		y->child[FFKX_RB_LEFT] = n->child[FFKX_RB_LEFT];
		ffkx_rb_set_parent(y->child[FFKX_RB_LEFT], y);
		ffkx_rb_replace(t, np, n, y);
		y->parent_color = n->parent_color;
	}
	if (black)
		ffkx_rb_erase_fixup(t, x, xp);
	t->count--;
	return 0;
}

/* Walks down to the node holding the key (0), or finds it absent (-ENOENT), or -ECANCELED. */
static __always_inline int __ffkx_rbtree_lookup(struct ffkx_rbtree __arena *t, const void __arena *key,
						__u32 key_size, struct ffkx_rb_node __arena **out,
						ffkx_rb_cmp_fn cmp)
{
	struct ffkx_rb_node __arena *x = t->root;
	int c;

	while (x) {
		if (!can_loop)
			return -ECANCELED;
		c = cmp(key, key_size, ffkx_rb_key(x), x->key_size);
		if (c == FFKX_CMP_CANCELED)
			return -ECANCELED;
		if (!c) {
			*out = x;
			return 0;
		}
		x = x->child[c > 0];
	}
	return -ENOENT;
}

/* The first node whose key is not below `key`: 0 with it in *out, -ENOENT if none, or -ECANCELED. */
static __always_inline int __ffkx_rbtree_lower_bound(struct ffkx_rbtree __arena *t, const void __arena *key,
						     __u32 key_size, struct ffkx_rb_node __arena **out,
						     ffkx_rb_cmp_fn cmp)
{
	struct ffkx_rb_node __arena *x = t->root, *found = NULL;
	int c;

	while (x) {
		if (!can_loop)
			return -ECANCELED;
		c = cmp(key, key_size, ffkx_rb_key(x), x->key_size);
		if (c == FFKX_CMP_CANCELED)
			return -ECANCELED;
		if (c <= 0)
			found = x;
		if (!c)
			break;
		x = x->child[c > 0];
	}
	if (!found)
		return -ENOENT;
	*out = found;
	return 0;
}

/*
 * A node for `key` (copied in) with room for value_size bytes of value, not
 * yet in any tree. Allocate before taking the tree's lock: the allocator calls
 * helpers, which the verifier forbids while a lock is held. Returns 0 with the
 * node in *out, -ENOMEM when the heap is full, or -ECANCELED.
 */
static __always_inline int ffkx_rb_node_new(const void __arena *key, __u32 key_size, __u32 value_size,
					    struct ffkx_rb_node __arena **out)
{
	struct ffkx_rb_node __arena *n;
	int err;

	n = ffkx_malloc(sizeof(*n) + ((key_size + 7ULL) & ~7ULL) + value_size);
	if (!n)
		return -ENOMEM;
	n->key_size = key_size;
	n->value_size = value_size;
	err = ffkx_bytes_copy(ffkx_rb_key(n), key, key_size);
	if (err) {
		ffkx_free(n);
		return err;
	}
	*out = n;
	return 0;
}

/*
 * Links node n (from ffkx_rb_node_new) in at its key's place. Returns 0;
 * -EEXIST, with the node already holding the key in *existing and n left
 * out (free it, or keep it for another try); or -ECANCELED, with nothing
 * changed.
 */
static __always_inline int __ffkx_rbtree_insert(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *n,
						struct ffkx_rb_node __arena **existing, ffkx_rb_cmp_fn cmp)
{
	struct ffkx_rb_node __arena *x = t->root, *p = NULL;
	bool leftmost = true;
	int c = 0;

	while (x) {
		if (!can_loop)
			return -ECANCELED;
		c = cmp(ffkx_rb_key(n), n->key_size, ffkx_rb_key(x), x->key_size);
		if (c == FFKX_CMP_CANCELED)
			return -ECANCELED;
		if (!c) {
			*existing = x;
			return -EEXIST;
		}
		if (c > 0)
			leftmost = false;
		p = x;
		x = x->child[c > 0];
	}

	n->child[FFKX_RB_LEFT] = (struct ffkx_rb_node __arena *)ffkx_zero();
	n->child[FFKX_RB_RIGHT] = (struct ffkx_rb_node __arena *)ffkx_zero();
	n->parent_color = (__u64)p; /* red */
	if (p)
		p->child[c > 0] = n;
	else
		t->root = n;
	if (leftmost)
		t->first = n;
	t->count++;
	ffkx_rb_insert_fixup(t, n);
	return 0;
}

/*
 * Unlinks the node holding the key and hands it back in *out, for the caller
 * to read and then free with ffkx_free. Returns 0, -ENOENT or -ECANCELED (then
 * nothing changed).
 */
static __always_inline int __ffkx_rbtree_remove(struct ffkx_rbtree __arena *t, const void __arena *key,
						__u32 key_size, struct ffkx_rb_node __arena **out,
						ffkx_rb_cmp_fn cmp)
{
	struct ffkx_rb_node __arena *n;
	int err;

	err = __ffkx_rbtree_lookup(t, key, key_size, &n, cmp);
	if (!err)
		err = ffkx_rbtree_erase(t, n);
	if (!err)
		*out = n;
	return err;
}

/*
 * Binds the keyed operations to a comparator: NAME_insert, NAME_lookup,
 * NAME_remove and NAME_lower_bound, as documented on their __ffkx_rbtree_*
 * bodies. The comparator is inlined into each.
 */
#define FFKX_RBTREE_DEFINE(name, cmp)								\
static __always_inline int name##_insert(struct ffkx_rbtree __arena *t, struct ffkx_rb_node __arena *n,	\
					 struct ffkx_rb_node __arena **existing)			\
{												\
	return __ffkx_rbtree_insert(t, n, existing, cmp);					\
}												\
static __always_inline int name##_lookup(struct ffkx_rbtree __arena *t, const void __arena *key,	\
					 __u32 key_size, struct ffkx_rb_node __arena **out)	\
{												\
	return __ffkx_rbtree_lookup(t, key, key_size, out, cmp);				\
}												\
static __always_inline int name##_remove(struct ffkx_rbtree __arena *t, const void __arena *key,	\
					 __u32 key_size, struct ffkx_rb_node __arena **out)	\
{												\
	return __ffkx_rbtree_remove(t, key, key_size, out, cmp);				\
}												\
static __always_inline int name##_lower_bound(struct ffkx_rbtree __arena *t, const void __arena *key,	\
					      __u32 key_size, struct ffkx_rb_node __arena **out)	\
{												\
	return __ffkx_rbtree_lower_bound(t, key, key_size, out, cmp);				\
}

#endif /* FFKX_RBTREE_H */
