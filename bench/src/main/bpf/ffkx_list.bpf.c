/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heap list (list.h), keyed: insert is an upsert (a scan, then a new node at the head or the
 * value updated in place), lookup scans without the lock, delete scans and unlinks under it.
 */
#include "bench.h"
#include <ffkx/list.h>

FFKX_LIST_DEFINE(bench_list, sizeof(struct bench_key), sizeof(struct bench_value))

#define LIST_ROOT 0

static __always_inline struct ffkx_list __arena *the_list(void)
{
	return (struct ffkx_list __arena *)*ffkx_heap_root(LIST_ROOT);
}

SEC("syscall")
int list_create(void *ctx)
{
	struct ffkx_list __arena *l = ffkx_list_new();

	if (!l)
		return -ENOMEM;
	*ffkx_heap_root(LIST_ROOT) = (__u64)l;
	return 0;
}

/* Each operation is a subprogram of its own, so the batch loop's verifier states converge. */
static __noinline int insert_one(struct ffkx_list __arena *l, const struct bench_key *key)
{
	struct bench_value v;

	bench_value_of(key, &v);
	return bench_list_update(l, key, sizeof(*key), &v, BPF_ANY);
}

static __noinline int lookup_one(struct ffkx_list __arena *l, const struct bench_key *key)
{
	struct bench_value v;

	return bench_list_lookup(l, key, sizeof(*key), &v);
}

static __noinline int delete_one(struct ffkx_list __arena *l, const struct bench_key *key)
{
	return bench_list_delete(l, key, sizeof(*key));
}

BENCH_KEYED_BATCH(list, insert, struct ffkx_list __arena *, the_list())
BENCH_KEYED_BATCH(list, lookup, struct ffkx_list __arena *, the_list())
BENCH_KEYED_BATCH(list, delete, struct ffkx_list __arena *, the_list())

FFKX_LICENSE;
