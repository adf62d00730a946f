/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baseline linked list: bpf_obj_new nodes in a bpf_list_head under a bpf_spin_lock, keyed like
 * the heap list. A bpf_list cannot be walked, only popped and pushed, so finding a key rotates
 * the list (pop the front, compare, push at the back) until it meets the key. Insert is an
 * upsert (the value updated in place, else a new node pushed at the front), lookup finds the
 * key, delete finds it and drops it.
 */
#include "bench.h"
#include "ebpf_graph.h"

struct list_entry {
	struct bpf_list_node node;
	struct bench_key key;
	struct bench_value value;
};

private(list) struct bpf_spin_lock list_lock;
private(list) struct bpf_list_head list __contains(list_entry, node);
private(list) __u32 list_len;

/*
 * With list_lock held: the key's entry, taken off the list (the caller pushes it back or drops
 * it), or NULL when a whole rotation did not meet it.
 */
static __always_inline struct list_entry *list_take(const struct bench_key *key)
{
	for (__u32 left = list_len; left > 0 && can_loop; left--) {
		struct bpf_list_node *n = bpf_list_pop_front(&list);
		struct list_entry *e;

		if (!n)
			return NULL;
		e = container_of(n, struct list_entry, node);
		if (bench_key_eq(&e->key, key))
			return e;
		bpf_list_push_back(&list, &e->node);
	}
	return NULL;
}

SEC("syscall")
int list_insert(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		/* Allocated before locking, as the heap list does, and dropped if the key is there. */
		struct list_entry *e = bpf_obj_new(struct list_entry), *old;

		if (!e)
			return -ENOMEM;
		e->key = *key;
		bench_value_of(key, &e->value);
		bpf_spin_lock(&list_lock);
		old = list_take(key);
		if (old) {
			bench_value_of(key, &old->value);
			bpf_list_push_front(&list, &old->node);
		} else {
			bpf_list_push_front(&list, &e->node);
			e = NULL;
			list_len++;
		}
		bpf_spin_unlock(&list_lock);
		if (e)
			bpf_obj_drop(e);
		b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int list_lookup(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		struct list_entry *e;

		bpf_spin_lock(&list_lock);
		e = list_take(key);
		if (e) {
			bpf_list_push_back(&list, &e->node);
			b.hits++;
		}
		bpf_spin_unlock(&list_lock);
	}
	return bench_end(&b);
}

SEC("syscall")
int list_delete(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		struct list_entry *e;

		bpf_spin_lock(&list_lock);
		e = list_take(key);
		if (e)
			list_len--;
		bpf_spin_unlock(&list_lock);
		if (e) {
			bpf_obj_drop(e);
			b.hits++;
		}
	}
	return bench_end(&b);
}

FFKX_LICENSE;
