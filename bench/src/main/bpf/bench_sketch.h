/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every sketch benchmark shares, so the ffkx and plain-eBPF rows differ only in where the
 * counters live: KFlex's shape (BENCH_SKETCH_DEPTH rows of BENCH_SKETCH_WIDTH 64-bit counters),
 * one seed, and sketch.h's hashing (the key hashed once with ffkx_hash_key, each row's counter
 * and sign from ffkx_hash_row). JavaSubjects mirrors all of it.
 *
 *	BENCH_SKETCH_PROGRAMS(countmin, TYPE, STATE)
 *
 * defines countmin_update and countmin_estimate around the including file's
 *	int update_one(TYPE s, const struct bench_key *k)               0 or an error
 *	int estimate_one(TYPE s, const struct bench_key *k, __s64 *est)  0 or an error
 * with STATE giving the sketch of a batch. An estimate above zero counts as a hit.
 */
#ifndef FFKX_BENCH_SKETCH_H
#define FFKX_BENCH_SKETCH_H

#include "bench.h"
#include <ffkx/hash.h>

#define BENCH_SKETCH_DEPTH 4
#define BENCH_SKETCH_WIDTH 512
#define BENCH_SKETCH_SEED  0x5EED5EED5EED5EEDULL /* JavaSubjects.SKETCH_SEED */

#define BENCH_SKETCH_PROGRAMS(NAME, TYPE, STATE)						\
SEC("syscall")											\
int NAME##_update(struct bench_args *args)							\
{												\
	TYPE s = STATE;										\
	const struct bench_key *key;								\
	struct bench_batch b;									\
	int err;										\
												\
	if (!s || bench_begin(&b, args))							\
		return -EINVAL;									\
	while ((key = bench_next(&b))) {							\
		err = update_one(s, key);							\
		if (err)									\
			return err;								\
		b.hits++;									\
	}											\
	return bench_end(&b);									\
}												\
												\
SEC("syscall")											\
int NAME##_estimate(struct bench_args *args)							\
{												\
	TYPE s = STATE;										\
	const struct bench_key *key;								\
	struct bench_batch b;									\
	__s64 est;										\
	int err;										\
												\
	if (!s || bench_begin(&b, args))							\
		return -EINVAL;									\
	while ((key = bench_next(&b))) {							\
		err = estimate_one(s, key, &est);						\
		if (err)									\
			return err;								\
		if (est > 0)									\
			b.hits++;								\
	}											\
	return bench_end(&b);									\
}

#endif /* FFKX_BENCH_SKETCH_H */
