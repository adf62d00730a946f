/* SPDX-License-Identifier: GPL-2.0 */
/* The heap hashmap (hashmap.h): 2^17 buckets of lock-free-read lists, 32-byte keys, 64-byte values. */
#include "bench.h"
#include <ffkx/hashmap.h>

FFKX_HASHMAP_DEFINE(bench_map, sizeof(struct bench_key), sizeof(struct bench_value))

#define MAP_ROOT 0

static __always_inline struct ffkx_hashmap __arena *the_map(void)
{
	return (struct ffkx_hashmap __arena *)*ffkx_heap_root(MAP_ROOT);
}

SEC("syscall")
int hashmap_create(void *ctx)
{
	struct ffkx_hashmap __arena *m = bench_map_new(BENCH_MAX_KEYS);

	if (!m)
		return -ENOMEM;
	*ffkx_heap_root(MAP_ROOT) = (__u64)m;
	return 0;
}

/* Each operation is a subprogram of its own, so the batch loop's verifier states converge. */
static __noinline int insert_one(struct ffkx_hashmap __arena *m, const struct bench_key *key)
{
	struct bench_value v;

	bench_value_of(key, &v);
	return bench_map_update(m, key, sizeof(*key), &v, BPF_ANY);
}

static __noinline int lookup_one(struct ffkx_hashmap __arena *m, const struct bench_key *key)
{
	struct bench_value v;

	return bench_map_lookup(m, key, sizeof(*key), &v);
}

static __noinline int delete_one(struct ffkx_hashmap __arena *m, const struct bench_key *key)
{
	return bench_map_delete(m, key, sizeof(*key));
}

BENCH_KEYED_BATCH(hashmap, insert, struct ffkx_hashmap __arena *, the_map())
BENCH_KEYED_BATCH(hashmap, lookup, struct ffkx_hashmap __arena *, the_map())
BENCH_KEYED_BATCH(hashmap, delete, struct ffkx_hashmap __arena *, the_map())

FFKX_LICENSE;
