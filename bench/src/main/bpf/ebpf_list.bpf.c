/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baseline linked list: bpf_obj_new nodes in a bpf_list_head under a bpf_spin_lock. Insert
 * pushes at the front and delete pops the front. A bpf_list cannot be walked, so a lookup
 * rotates the list (pop the front, compare, push at the back) until it meets the key.
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

SEC("syscall")
int list_insert(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		struct list_entry *e = bpf_obj_new(struct list_entry);

		if (!e)
			return -ENOMEM;
		e->key = *key;
		bench_value_of(key, &e->value);
		bpf_spin_lock(&list_lock);
		bpf_list_push_front(&list, &e->node);
		list_len++;
		bpf_spin_unlock(&list_lock);
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
		bpf_spin_lock(&list_lock);
		for (__u32 left = list_len; left > 0 && can_loop; left--) {
			struct bpf_list_node *n = bpf_list_pop_front(&list);
			struct list_entry *e;
			bool found;

			if (!n)
				break;
			e = container_of(n, struct list_entry, node);
			found = bench_key_eq(&e->key, key);
			bpf_list_push_back(&list, &e->node);
			if (found) {
				b.hits++;
				break;
			}
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
		struct bpf_list_node *n;

		bpf_spin_lock(&list_lock);
		n = bpf_list_pop_front(&list);
		if (n)
			list_len--;
		bpf_spin_unlock(&list_lock);
		if (n) {
			bpf_obj_drop(container_of(n, struct list_entry, node));
			b.hits++;
		}
	}
	return bench_end(&b);
}

FFKX_LICENSE;
