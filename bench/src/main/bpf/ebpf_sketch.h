/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Geometry of the baseline sketches: SKETCH_DEPTH rows of SKETCH_WIDTH counters in a global
 * array. Row r's slot comes from one 64-bit key hash by double hashing (lo + r * hi), so a key
 * costs one hash whatever the depth; Java's reference computes the same slots.
 */
#ifndef FFKX_BENCH_EBPF_SKETCH_H
#define FFKX_BENCH_EBPF_SKETCH_H

#include "bench.h"

#define SKETCH_DEPTH 4
#define SKETCH_WIDTH (1 << 16)

static __always_inline __u32 sketch_mix(__u64 h, __u32 row)
{
	return (__u32)h + row * (__u32)(h >> 32);
}

static __always_inline __u32 sketch_slot(__u32 mix)
{
	return mix & (SKETCH_WIDTH - 1);
}

#endif /* FFKX_BENCH_EBPF_SKETCH_H */
