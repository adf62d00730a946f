/* SPDX-License-Identifier: GPL-2.0 */
/* Baseline count-min sketch in a global array: update adds 1 per row, estimate takes the min. */
#include "ebpf_sketch.h"

__u32 cms[SKETCH_DEPTH][SKETCH_WIDTH];

SEC("syscall")
int countmin_update(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		__u64 h = bench_hash(key);

		for (__u32 r = 0; r < SKETCH_DEPTH; r++)
			cms[r][sketch_slot(sketch_mix(h, r))]++;
		b.hits++;
	}
	return bench_end(&b);
}

SEC("syscall")
int countmin_estimate(struct bench_args *args)
{
	struct bench_batch b;
	const struct bench_key *key;

	if (bench_begin(&b, args))
		return -EINVAL;
	while ((key = bench_next(&b))) {
		__u64 h = bench_hash(key);
		__u32 est = ~0U;

		for (__u32 r = 0; r < SKETCH_DEPTH; r++) {
			__u32 c = cms[r][sketch_slot(sketch_mix(h, r))];

			est = c < est ? c : est;
		}
		if (est)
			b.hits++;
	}
	return bench_end(&b);
}

FFKX_LICENSE;
