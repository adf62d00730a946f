/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The heap sketches (sketch.h) in the shape of bench_sketch.h:
 *
 *	BENCH_FFKX_SKETCH(countmin, cms)
 *
 * defines countmin_create (allocates the sketch once, then clears it on every call),
 * countmin_update (bench_sketch_cms_update with a count of 1) and countmin_estimate
 * (bench_sketch_cms_estimate); with cs, the count sketch's counterparts.
 */
#ifndef FFKX_BENCH_FFKX_SKETCH_H
#define FFKX_BENCH_FFKX_SKETCH_H

#include "bench_sketch.h"
#include <ffkx/alloc.h>
#include <ffkx/sketch.h>

#define BENCH_ROOT_SKETCH 0

FFKX_SKETCH_DEFINE(bench_sketch, sizeof(struct bench_key))

static __always_inline struct ffkx_sketch __arena *sketch_root(void)
{
	return (struct ffkx_sketch __arena *)*ffkx_heap_root(BENCH_ROOT_SKETCH);
}

#define BENCH_FFKX_SKETCH(NAME, KIND)								\
SEC("syscall")											\
int NAME##_create(void *ctx)									\
{												\
	struct ffkx_sketch __arena *s = sketch_root();						\
												\
	if (!s) {										\
		s = ffkx_malloc(ffkx_sketch_size(BENCH_SKETCH_DEPTH, BENCH_SKETCH_WIDTH));	\
		if (!s)										\
			return -ENOMEM;								\
		*ffkx_heap_root(BENCH_ROOT_SKETCH) = (__u64)s;					\
	}											\
	return ffkx_sketch_init(s, BENCH_SKETCH_DEPTH, BENCH_SKETCH_WIDTH, BENCH_SKETCH_SEED);	\
}												\
												\
static __always_inline int update_one(struct ffkx_sketch __arena *s, const struct bench_key *k)	\
{												\
	return bench_sketch_##KIND##_update(s, k, sizeof(*k), 1);				\
}												\
												\
static __always_inline int estimate_one(struct ffkx_sketch __arena *s, const struct bench_key *k,	\
					__s64 *est)						\
{												\
	return bench_sketch_##KIND##_estimate(s, k, sizeof(*k), (void *)est);			\
}												\
												\
BENCH_SKETCH_PROGRAMS(NAME, struct ffkx_sketch __arena *, sketch_root())

#endif /* FFKX_BENCH_FFKX_SKETCH_H */
