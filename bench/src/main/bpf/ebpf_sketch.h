/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plain-eBPF sketches: the counters in a global array, updated with atomic adds as sketch.h
 * updates the heap's (so neither side can lose a count to a concurrent updater). Row slots and
 * signs are sketch.h's. The estimate is specialised to the fixed depth of four: count-min takes
 * the least counter (unsigned, as sketch.h does); the count sketch's median of four is the mean
 * of the middle two, (sum - least - greatest) / 2 rounded down, which is what sketch.h's sort gives.
 *
 *	BENCH_EBPF_SKETCH(countmin, false)
 *
 * defines countmin_create (clears the counters), countmin_update and countmin_estimate.
 */
#ifndef FFKX_BENCH_EBPF_SKETCH_H
#define FFKX_BENCH_EBPF_SKETCH_H

#include "bench_sketch.h"

#define SKETCH_CELLS (BENCH_SKETCH_DEPTH * BENCH_SKETCH_WIDTH)

__s64 sketch[SKETCH_CELLS];

/* Row `row`'s counter for a key hash, and the row's sign for the key in *sign. */
static __always_inline __s64 *sketch_cell(__s64 *c, __u64 hash, __u32 row, __s64 *sign)
{
	__u64 g = ffkx_hash_row(hash, BENCH_SKETCH_SEED, row);

	*sign = (__s64)g < 0 ? -1 : 1;
	return &c[row * BENCH_SKETCH_WIDTH + ffkx_hash_range(g, BENCH_SKETCH_WIDTH)];
}

static __always_inline __u64 sketch_hash(const struct bench_key *k)
{
	return ffkx_hash_key(k->w, sizeof(*k), sizeof(*k));
}

#define BENCH_EBPF_SKETCH(NAME, SIGNS)								\
SEC("syscall")											\
int NAME##_create(void *ctx)									\
{												\
	for (__u32 i = 0; i < SKETCH_CELLS; i++)						\
		((volatile __s64 *)sketch)[i] = 0; /* not a memset, which BPF lacks */	\
	return 0;										\
}												\
												\
static __always_inline int update_one(__s64 *c, const struct bench_key *k)			\
{												\
	__u64 h = sketch_hash(k);								\
	__s64 sign;										\
												\
	for (__u32 r = 0; r < BENCH_SKETCH_DEPTH; r++) {					\
		__s64 *cell = sketch_cell(c, h, r, &sign);					\
												\
		__sync_fetch_and_add(cell, (SIGNS) ? sign : 1);					\
	}											\
	return 0;										\
}												\
												\
static __always_inline int estimate_one(__s64 *c, const struct bench_key *k, __s64 *est)	\
{												\
	__u64 h = sketch_hash(k), least = ~0ULL;						\
	__s64 sign, lo = 0x7fffffffffffffffLL, hi = -0x7fffffffffffffffLL - 1, sum = 0, v;	\
												\
	for (__u32 r = 0; r < BENCH_SKETCH_DEPTH; r++) {					\
		v = *sketch_cell(c, h, r, &sign);						\
		least = (__u64)v < least ? (__u64)v : least;					\
		v *= sign;									\
		sum += v;									\
		lo = v < lo ? v : lo;								\
		hi = v > hi ? v : hi;								\
	}											\
	*est = (SIGNS) ? (sum - lo - hi) >> 1 : (__s64)least;					\
	return 0;										\
}												\
												\
BENCH_SKETCH_PROGRAMS(NAME, __s64 *, sketch)

#endif /* FFKX_BENCH_EBPF_SKETCH_H */
