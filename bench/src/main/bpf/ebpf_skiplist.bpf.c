/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baseline skip list: without an arena there are no pointers to keep, so nodes live in a
 * BPF_MAP_TYPE_ARRAY and link to each other by index, and every hop is an (inlined) array
 * lookup. It takes no lock: a bpf_spin_lock forbids the map lookups a hop needs, so this
 * baseline is single-writer, which only flatters it.
 */
#include "bench.h"

#define SL_LEVELS 16
#define SL_NODES (BENCH_MAX_KEYS + 1) /* index 0 is the head; a next of 0 ends a level */

struct sl_node {
	struct bench_key key;
	struct bench_value value;
	__u32 next[SL_LEVELS];
	__u32 level;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SL_NODES);
	__type(key, __u32);
	__type(value, struct sl_node);
} sl_nodes SEC(".maps");

__u32 sl_levels = 1;   /* levels in use */
__u32 sl_fresh = 1;    /* first node never handed out */
__u32 sl_free;         /* freed nodes, chained through next[0] */

static __always_inline struct sl_node *sl_node(__u32 i)
{
	return bpf_map_lookup_elem(&sl_nodes, &i);
}

/*
 * Fills prev[l] with the last node before key on each level in use and returns the level-0 successor
 * (0 if none), or -1 if the loop budget ran out.
 */
static __always_inline long sl_find(const struct bench_key *key, __u32 *prev)
{
	__u32 x = 0;
	struct sl_node *xn = sl_node(0);
	int l = sl_levels - 1;

	if (!xn)
		return -1;
	/* One flat loop over (level, node): nested may_goto loops cost the verifier far more. */
	while (l >= 0 && l < SL_LEVELS && can_loop) {
		__u32 nx = xn->next[l];
		struct sl_node *nn = nx ? sl_node(nx) : NULL;

		if (nn && bench_key_cmp(&nn->key, key) < 0) {
			x = nx;
			xn = nn;
			continue;
		}
		prev[l] = x;
		if (l == 0)
			return xn->next[0];
		l--;
	}
	return -1;
}

static __always_inline bool sl_holds(__u32 i, const struct bench_key *key)
{
	struct sl_node *n = i ? sl_node(i) : NULL;

	return n && bench_key_eq(&n->key, key);
}

static __always_inline __u32 sl_random_level(void)
{
	__u32 r = bpf_get_prandom_u32(), level = 1;

	while ((r & 3) == 0 && level < SL_LEVELS) { /* p = 1/4, as Redis */
		level++;
		r >>= 2;
	}
	return level;
}

static __always_inline __u32 sl_alloc(void)
{
	struct sl_node *n;
	__u32 i = sl_free;

	if (i) {
		n = sl_node(i);
		if (!n)
			return 0;
		sl_free = n->next[0];
		return i;
	}
	return sl_fresh < SL_NODES ? sl_fresh++ : 0;
}

SEC("syscall")
int skiplist_insert(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;
	__u32 prev[SL_LEVELS];

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		long succ = sl_find(key, prev);
		struct sl_node *n;
		__u32 i, level;

		if (succ < 0)
			return -EINVAL;
		if (sl_holds(succ, key)) {
			n = sl_node(succ);
			if (n)
				bench_value_of(key, &n->value);
			b.hits++;
			continue;
		}
		i = sl_alloc();
		n = i ? sl_node(i) : NULL;
		if (!n)
			return -ENOMEM;
		n->key = *key;
		bench_value_of(key, &n->value);
		level = sl_random_level();
		n->level = level;
		for (int l = 0; l < SL_LEVELS && l < level; l++) {
			/* above the levels in use, the head precedes the new node */
			struct sl_node *p = sl_node(l < sl_levels ? prev[l] : 0);

			if (!p)
				return -EINVAL;
			n->next[l] = p->next[l];
			p->next[l] = i;
		}
		if (level > sl_levels)
			sl_levels = level;
		b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int skiplist_lookup(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;
	__u32 prev[SL_LEVELS];

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		long succ = sl_find(key, prev);

		if (succ < 0)
			return -EINVAL;
		if (sl_holds(succ, key))
			b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int skiplist_delete(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;
	__u32 prev[SL_LEVELS];

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		long succ = sl_find(key, prev);
		struct sl_node *n;

		if (succ < 0)
			return -EINVAL;
		if (!sl_holds(succ, key))
			continue;
		n = sl_node(succ);
		if (!n)
			return -EINVAL;
		for (int l = 0; l < SL_LEVELS && l < n->level; l++) {
			struct sl_node *p = sl_node(prev[l]);

			if (!p)
				return -EINVAL;
			if (p->next[l] == succ)
				p->next[l] = n->next[l];
		}
		n->next[0] = sl_free;
		sl_free = succ;
		b.hits++;
	}
	return bench_end(&b);
}

FFKX_LICENSE;
