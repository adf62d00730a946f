/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Count-min sketch and count sketch over heap keys: depth rows of width
 * counters each (KFlex used 4 x 512).
 *
 * A key is hashed once (hash.h); each row then takes its own counter from a
 * per-row remix of that hash, which keeps an update at one pass over the key
 * however deep the sketch. The row index is the low 32 bits mapped onto the
 * width by a multiply and shift, so any width works without a division; the
 * count sketch's sign is the remix's top bit.
 *
 * Updates are atomic adds, so a sketch needs no lock: updaters on several CPUs
 * never lose a count. An estimate reads counters one by one and may see some
 * of a concurrent update and not the rest.
 *
 * The math is deterministic and mirrored in Java (dev.ffkx.runtime.heap.Sketches).
 */
#ifndef FFKX_SKETCH_H
#define FFKX_SKETCH_H

#include "hash.h"

/*
 * Bounds the count sketch's median buffer on the stack (8 bytes a row). A power
 * of two: indices into the buffer are reduced modulo it so the verifier sees
 * them in bounds.
 */
#define FFKX_SKETCH_MAX_DEPTH 16

struct ffkx_sketch {
	__u32 depth;
	__u32 width;
	__u64 seed;
	/* depth rows of width counters; a count-min sketch reads them as __u64 */
	__s64 counter[];
};

/* Heap bytes a sketch of this shape takes, header included. */
static __always_inline __u64 ffkx_sketch_size(__u32 depth, __u32 width)
{
	return sizeof(struct ffkx_sketch) + (__u64)depth * width * sizeof(__s64);
}

/*
 * Sets up a sketch in ffkx_sketch_size(depth, width) bytes of heap, all
 * counters zero. Returns 0, -EINVAL for a shape out of range, or -ECANCELED
 * (the sketch is then unusable until initialized again).
 */
static __always_inline int ffkx_sketch_init(struct ffkx_sketch __arena *s, __u32 depth, __u32 width,
					    __u64 seed)
{
	__u64 n = (__u64)depth * width, i;

	if (!depth || depth > FFKX_SKETCH_MAX_DEPTH || !width)
		return -EINVAL;
	/* A zero depth marks the sketch unusable until every counter is cleared. */
	s->depth = 0;
	s->width = width;
	s->seed = seed;
	for (i = 0; i < n && can_loop; i++)
		s->counter[i] = 0;
	if (i < n)
		return -ECANCELED;
	s->depth = depth;
	return 0;
}

/* The counter a key hashes to in row `row`, and its count-sketch sign in *sign. */
static __always_inline __s64 __arena *ffkx_sketch_cell(struct ffkx_sketch __arena *s, __u64 hash,
						       __u32 row, __s64 *sign)
{
	__u64 g = ffkx_hash_mix(hash + row * FFKX_HASH_M1);
	__u64 col = ((g & 0xffffffffULL) * s->width) >> 32;

	*sign = (__s64)g < 0 ? -1 : 1;
	return &s->counter[(__u64)row * s->width + col];
}

/* Adds delta (signed by the row's sign when `signed_rows`) to the key's counter in every row. */
static __always_inline int ffkx_sketch_add(struct ffkx_sketch __arena *s, const void __arena *key,
					   __u32 size, __s64 delta, bool signed_rows)
{
	__u32 depth = s->depth, row;
	__s64 sign;
	__u64 h;
	int err;

	err = ffkx_hash(key, size, s->seed, &h);
	if (err)
		return err;
	for (row = 0; row < depth && can_loop; row++) {
		__s64 __arena *c = ffkx_sketch_cell(s, h, row, &sign);

		__sync_fetch_and_add(c, signed_rows ? sign * delta : delta);
	}
	return row < depth ? -ECANCELED : 0;
}

/* Count-min: counts `count` more occurrences of the key. Returns 0 or -ECANCELED. */
static __always_inline int ffkx_cms_update(struct ffkx_sketch __arena *s, const void __arena *key,
					   __u32 size, __u64 count)
{
	return ffkx_sketch_add(s, key, size, count, false);
}

/*
 * Count-min: an upper bound of the key's count (the least of its counters)
 * in *out. Returns 0 or -ECANCELED.
 */
static __always_inline int ffkx_cms_estimate(struct ffkx_sketch __arena *s, const void __arena *key,
					     __u32 size, __u64 *out)
{
	__u32 depth = s->depth, row;
	__u64 h, least = ~0ULL, v;
	__s64 sign;
	int err;

	err = ffkx_hash(key, size, s->seed, &h);
	if (err)
		return err;
	for (row = 0; row < depth && can_loop; row++) {
		v = *ffkx_sketch_cell(s, h, row, &sign);
		if (v < least)
			least = v;
	}
	if (row < depth)
		return -ECANCELED;
	*out = depth ? least : 0;
	return 0;
}

/* Count sketch: adds delta (which may be negative) to the key's count. Returns 0 or -ECANCELED. */
static __always_inline int ffkx_cs_update(struct ffkx_sketch __arena *s, const void __arena *key,
					  __u32 size, __s64 delta)
{
	return ffkx_sketch_add(s, key, size, delta, true);
}

/*
 * Count sketch: the median of the key's signed counters in *out (for an even
 * depth, the mean of the middle two rounded toward minus infinity). Returns 0
 * or -ECANCELED.
 */
static __always_inline int ffkx_cs_estimate(struct ffkx_sketch __arena *s, const void __arena *key,
					    __u32 size, __s64 *out)
{
	__s64 v[FFKX_SKETCH_MAX_DEPTH] = {}, x, sign;
	__u32 depth = s->depth, row, j;
	__u64 h;
	int err;

	if (depth > FFKX_SKETCH_MAX_DEPTH)
		return -EINVAL;
	if (!depth) {
		*out = 0;
		return 0;
	}
	err = ffkx_hash(key, size, s->seed, &h);
	if (err)
		return err;
	/* Insertion sort: with at most 16 rows nothing smarter pays for itself. */
	for (row = 0; row < depth; row++) {
		if (!can_loop)
			return -ECANCELED;
		x = *ffkx_sketch_cell(s, h, row, &sign) * sign;
		for (j = row; j > 0; j--) {
			if (!can_loop)
				return -ECANCELED;
			if (v[(j - 1) % FFKX_SKETCH_MAX_DEPTH] <= x)
				break;
			v[j % FFKX_SKETCH_MAX_DEPTH] = v[(j - 1) % FFKX_SKETCH_MAX_DEPTH];
		}
		v[j % FFKX_SKETCH_MAX_DEPTH] = x;
	}
	row = depth / 2;
	if (depth % 2)
		*out = v[row % FFKX_SKETCH_MAX_DEPTH];
	else
		*out = (v[(row - 1) % FFKX_SKETCH_MAX_DEPTH] + v[row % FFKX_SKETCH_MAX_DEPTH]) >> 1;
	return 0;
}

#endif /* FFKX_SKETCH_H */
