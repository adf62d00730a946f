/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A seeded 64-bit hash of heap bytes.
 *
 * Cheap enough for a fast path (one multiply and one shift per 8 bytes, a
 * short finalizer at the end) and well mixed in every output bit, so callers
 * may slice the result: the sketches take a row index from the low half and a
 * sign from the top bit. It is not collision resistant against an adversary
 * who knows the seed.
 *
 * The exact arithmetic is part of the contract: Java reproduces it to predict
 * sketch counters bit for bit (dev.ffkx.runtime.heap.HeapHash), so a change here
 * must be made there too.
 */
#ifndef FFKX_HASH_H
#define FFKX_HASH_H

#include "bytes.h"

#define FFKX_HASH_M1 0x9e3779b97f4a7c15ULL /* 2^64 / golden ratio: spreads the length and row numbers */
#define FFKX_HASH_M2 0xbf58476d1ce4e5b9ULL
#define FFKX_HASH_M3 0x94d049bb133111ebULL

/* Folds one word in: the multiply carries low bits up, the shift brings high bits back down. */
static __always_inline __u64 ffkx_hash_step(__u64 h, __u64 w)
{
	h = (h ^ w) * FFKX_HASH_M1;
	return h ^ (h >> 32);
}

/* A bijective finalizer: every input bit reaches every output bit. */
static __always_inline __u64 ffkx_hash_mix(__u64 h)
{
	h ^= h >> 30;
	h *= FFKX_HASH_M2;
	h ^= h >> 27;
	h *= FFKX_HASH_M3;
	return h ^ (h >> 31);
}

/*
 * Hashes `size` bytes at `key` (8-byte aligned, see bytes.h) with `seed`.
 * Returns 0 with the hash in *out, or -ECANCELED.
 */
static __always_inline int ffkx_hash(const void __arena *key, __u32 size, __u64 seed, __u64 *out)
{
	const __u64 __arena *w = key;
	__u32 words = size / 8, tail = size % 8, i;
	/* The length goes in first so that keys differing only in trailing zero bytes differ. */
	__u64 h = seed ^ ((__u64)size * FFKX_HASH_M1);

	for (i = 0; i < words && can_loop; i++)
		h = ffkx_hash_step(h, w[i]);
	if (i < words)
		return -ECANCELED;
	if (tail)
		h = ffkx_hash_step(h, ffkx_word_head(w[i], tail));
	*out = ffkx_hash_mix(h);
	return 0;
}

#endif /* FFKX_HASH_H */
