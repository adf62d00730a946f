/* SPDX-License-Identifier: GPL-2.0 */
/* Baseline hash map: BPF_MAP_TYPE_HASH, preallocated, 32-byte keys and 64-byte values. */
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BENCH_MAX_KEYS);
	__type(key, struct bench_key);
	__type(value, struct bench_value);
} table SEC(".maps");

SEC("syscall")
int hashmap_insert(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;
	struct bench_value v;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		bench_value_of(key, &v);
		if (!bpf_map_update_elem(&table, key, &v, BPF_ANY))
			b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int hashmap_lookup(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b)))
		if (bpf_map_lookup_elem(&table, key))
			b.hits++;
	return bench_end(&b);
}

SEC("syscall")
int hashmap_delete(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b)))
		if (!bpf_map_delete_elem(&table, key))
			b.hits++;
	return bench_end(&b);
}

FFKX_LICENSE;
