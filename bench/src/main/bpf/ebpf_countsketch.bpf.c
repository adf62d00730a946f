/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baseline count sketch in a global array: update adds +1 or -1 per row (the sign is the top
 * bit of the row's mix), estimate is the median of the signed row counters.
 */
#include "ebpf_sketch.h"

__s32 cs[SKETCH_DEPTH][SKETCH_WIDTH];

static __always_inline __s32 sign_of(__u32 mix)
{
	return (mix >> 31) ? -1 : 1;
}

SEC("syscall")
int countsketch_update(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		__u64 h = bench_hash(key);

		for (__u32 r = 0; r < SKETCH_DEPTH; r++) {
			__u32 m = sketch_mix(h, r);

			cs[r][sketch_slot(m)] += sign_of(m);
		}
		b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int countsketch_estimate(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		__u64 h = bench_hash(key);
		__s32 lo = 0x7fffffff, hi = -0x7fffffff - 1, sum = 0;

		for (__u32 r = 0; r < SKETCH_DEPTH; r++) {
			__u32 m = sketch_mix(h, r);
			__s32 c = cs[r][sketch_slot(m)] * sign_of(m);

			sum += c;
			lo = c < lo ? c : lo;
			hi = c > hi ? c : hi;
		}
		/* median of four: the mean of the two middle values */
		if ((sum - lo - hi) / 2 > 0)
			b.hits++;
	}
	return bench_end(&b);
}

FFKX_LICENSE;
