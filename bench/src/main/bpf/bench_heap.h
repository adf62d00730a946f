/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The key set in the extension heap, for ffkx structures whose probes must be heap memory
 * (rbtree.h, skiplist.h). <structure>_create allocates it and publishes it in root slot
 * BENCH_ROOT_KEYS; Java then copies the same keys there as into bench_keys, so these
 * structures read their probes from the heap instead of copying each key in.
 */
#ifndef FFKX_BENCH_HEAP_H
#define FFKX_BENCH_HEAP_H

#include "bench.h"
#include <ffkx/alloc.h>

#define BENCH_ROOT_KEYS 15 /* BpfSubject.HEAP_KEYS_ROOT */
#define BENCH_ROOT_STRUCT 0

static __always_inline int bench_heap_keys_create(void)
{
	struct bench_keyset __arena *k = ffkx_malloc(sizeof(struct bench_keyset));

	if (!k)
		return -ENOMEM;
	*ffkx_heap_root(BENCH_ROOT_KEYS) = (__u64)k;
	return 0;
}

static __always_inline const struct bench_key __arena *bench_heap_key(__u32 idx)
{
	struct bench_keyset __arena *k = (struct bench_keyset __arena *)*ffkx_heap_root(BENCH_ROOT_KEYS);

	return &k->k[idx & (BENCH_MAX_KEYS - 1)];
}

/* bench_value_of() for a value in the heap. */
static __always_inline void bench_heap_value_of(const struct bench_key __arena *k, __u64 __arena *v)
{
	for (int i = 0; i < 8; i++)
		v[i] = k->w[i & 3] ^ i;
}

#endif /* FFKX_BENCH_HEAP_H */
