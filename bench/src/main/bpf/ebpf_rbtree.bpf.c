/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baseline red-black tree: bpf_obj_new nodes in a bpf_rb_root under a bpf_spin_lock, one lock
 * hold per operation. Lookups walk from the root with bpf_rbtree_left/right.
 */
#include "bench.h"
#include "ebpf_graph.h"

struct rb_entry {
	struct bpf_rb_node node;
	struct bench_key key;
	struct bench_value value;
};

private(tree) struct bpf_spin_lock tree_lock;
private(tree) struct bpf_rb_root tree __contains(rb_entry, node);

static bool entry_less(struct bpf_rb_node *a, const struct bpf_rb_node *b)
{
	return bench_key_cmp(&container_of(a, struct rb_entry, node)->key,
			     &container_of(b, struct rb_entry, node)->key) < 0;
}

/* The entry holding key, as a reference valid until tree_lock is released. Call with it held. */
static __always_inline struct rb_entry *tree_find(const struct bench_key *key)
{
	struct bpf_rb_node *n = bpf_rbtree_root(&tree);

	while (n && can_loop) {
		struct rb_entry *e = container_of(n, struct rb_entry, node);
		int c = bench_key_cmp(key, &e->key);

		if (!c)
			return e;
		n = c < 0 ? bpf_rbtree_left(&tree, n) : bpf_rbtree_right(&tree, n);
	}
	return NULL;
}

SEC("syscall")
int rbtree_insert(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		/* bpf_obj_new may not run under the lock: allocate first, drop if the key exists. */
		struct rb_entry *fresh = bpf_obj_new(struct rb_entry), *old;

		if (!fresh)
			return -ENOMEM;
		fresh->key = *key;
		bench_value_of(key, &fresh->value);
		bpf_spin_lock(&tree_lock);
		old = tree_find(key);
		if (old) {
			old->value = fresh->value;
			bpf_spin_unlock(&tree_lock);
			bpf_obj_drop(fresh);
		} else {
			bpf_rbtree_add(&tree, &fresh->node, entry_less);
			bpf_spin_unlock(&tree_lock);
		}
		b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int rbtree_lookup(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		bpf_spin_lock(&tree_lock);
		if (tree_find(key))
			b.hits++;
		bpf_spin_unlock(&tree_lock);
	}
	return bench_end(&b);
}

SEC("syscall")
int rbtree_delete(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		struct bpf_rb_node *removed = NULL;
		struct rb_entry *e;

		bpf_spin_lock(&tree_lock);
		e = tree_find(key);
		if (e)
			removed = bpf_rbtree_remove(&tree, &e->node);
		bpf_spin_unlock(&tree_lock);
		if (removed) {
			bpf_obj_drop(container_of(removed, struct rb_entry, node));
			b.hits++;
		}
	}
	return bench_end(&b);
}

FFKX_LICENSE;
