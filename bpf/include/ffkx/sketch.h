/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Count-min sketch and count sketch in the heap: depth rows of width counters
 * each (KFlex used 4 x 512).
 *
 * A key is hashed once, with the library's key hash (hash.h), so it is taken
 * the way the hashmap takes it: 1..KEY_MAX bytes in an 8-byte aligned buffer
 * of KEY_MAX bytes in kernel memory, KEY_MAX a multiple of 8 known at compile
 * time. Each row then takes its own counter from a remix of that hash with the
 * sketch's seed and the row number, which keeps an update at one pass over the
 * key however deep the sketch. The row index is the low 32 bits of the remix
 * mapped onto the width by a multiply and a shift, so any width works without
 * a division; the count sketch's sign is the remix's top bit.
 *
 * Updates are atomic adds, so a sketch needs no lock: updaters on several CPUs
 * never lose a count. An estimate reads the counters one by one and may see
 * part of a concurrent update.
 *
 *	FFKX_SKETCH_DEFINE(hot, 256)
 *
 * defines hot_cms_update, hot_cms_estimate, hot_cs_update and hot_cs_estimate
 * for keys of up to 256 bytes. The math is deterministic; the tests mirror it
 * in Java bit for bit.
 */
#ifndef FFKX_SKETCH_H
#define FFKX_SKETCH_H

#include "hash.h"
#include "heap.h"

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
 * (the sketch then has depth 0: it counts nothing and estimates 0).
 */
static __always_inline int ffkx_sketch_init(struct ffkx_sketch __arena *s, __u32 depth, __u32 width,
					    __u64 seed)
{
	__u64 n = (__u64)depth * width, i;

	if (!depth || depth > FFKX_SKETCH_MAX_DEPTH || !width)
		return -EINVAL;
	s->depth = 0;
	s->width = width;
	s->seed = seed;
	for (i = ffkx_loop_from(0); i < n; i++) {
		((ffkx_heap_word *)s->counter)[i] = 0;
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	/* Published last: until every counter is clear, updates and estimates see no rows. */
	s->depth = depth;
	return 0;
}

/* The counter a key's hash picks in row `row`, and that row's sign for the key in *sign. */
static __always_inline __s64 __arena *ffkx_sketch_cell(struct ffkx_sketch __arena *s, __u64 hash, __u32 row,
						       __s64 *sign)
{
	__u64 g = ffkx_hash_row(hash, s->seed, row);

	*sign = (__s64)g < 0 ? -1 : 1;
	return &s->counter[(__u64)row * s->width + ffkx_hash_range(g, s->width)];
}

/* Adds delta (times the row's sign, for a count sketch) to the key's counter in every row. */
static __always_inline int ffkx_sketch_add(struct ffkx_sketch __arena *s, __u64 hash, __s64 delta, bool signs)
{
	__u32 depth = s->depth, row;
	__s64 sign;

	for (row = ffkx_loop_from(0); row < depth; row++) {
		__s64 __arena *c = ffkx_sketch_cell(s, hash, row, &sign);

		__sync_fetch_and_add(c, signs ? sign * delta : delta);
		cond_break;
	}
	return row < depth ? -ECANCELED : 0;
}

/* Count-min: the least of the key's counters, an upper bound of its count. */
static __always_inline int ffkx_cms_min(struct ffkx_sketch __arena *s, __u64 hash, __u64 *out)
{
	__u32 depth = s->depth, row;
	__u64 least = 0, v;
	__s64 sign;

	for (row = ffkx_loop_from(0); row < depth; row++) {
		v = *ffkx_sketch_cell(s, hash, row, &sign);
		if (!row || v < least)
			least = v;
		cond_break;
	}
	if (row < depth)
		return -ECANCELED;
	*out = least;
	return 0;
}

/*
 * Count sketch: the median of the key's signed counters (for an even depth,
 * the mean of the middle two rounded toward minus infinity).
 */
static __always_inline int ffkx_cs_median(struct ffkx_sketch __arena *s, __u64 hash, __s64 *out)
{
	__s64 v[FFKX_SKETCH_MAX_DEPTH] = {}, x, sign;
	__u32 depth = s->depth, row, j;

	if (depth > FFKX_SKETCH_MAX_DEPTH)
		return -EINVAL;
	if (!depth) {
		*out = 0;
		return 0;
	}
	/* Insertion sort: with at most 16 rows nothing smarter pays for itself. */
	for (row = ffkx_loop_from(0); row < depth; row++) {
		x = *ffkx_sketch_cell(s, hash, row, &sign) * sign;
		for (j = row; j > 0; j--) {
			if (!can_loop)
				return -ECANCELED;
			if (v[(j - 1) % FFKX_SKETCH_MAX_DEPTH] <= x)
				break;
			v[j % FFKX_SKETCH_MAX_DEPTH] = v[(j - 1) % FFKX_SKETCH_MAX_DEPTH];
		}
		v[j % FFKX_SKETCH_MAX_DEPTH] = x;
		if (!can_loop)
			return -ECANCELED;
	}
	row = depth / 2;
	if (depth % 2)
		*out = v[row % FFKX_SKETCH_MAX_DEPTH];
	else
		*out = (v[(row - 1) % FFKX_SKETCH_MAX_DEPTH] + v[row % FFKX_SKETCH_MAX_DEPTH]) >> 1;
	return 0;
}

/*
 * NAME_cms_update(s, key, len, count), NAME_cms_estimate(s, key, len, &u64),
 * NAME_cs_update(s, key, len, delta), NAME_cs_estimate(s, key, len, &s64) for
 * keys of 0..KEY_MAX bytes as described at the top. Each returns 0, -E2BIG
 * for a longer key, or -ECANCELED.
 */
#define FFKX_SKETCH_DEFINE(NAME, KEY_MAX)                                                                  \
	_Static_assert((KEY_MAX) > 0 && (KEY_MAX) % 8 == 0, #NAME ": key size is a multiple of 8");       \
	static __always_inline int NAME##_cms_update(struct ffkx_sketch __arena *s, const void *key,        \
						     __u32 len, __u64 count)                                \
	{                                                                                                  \
		if (len > (KEY_MAX))                                                                       \
			return -E2BIG;                                                                     \
		return ffkx_sketch_add(s, ffkx_hash_key(key, len, KEY_MAX), count, false);                 \
	}                                                                                                  \
	static __always_inline int NAME##_cms_estimate(struct ffkx_sketch __arena *s, const void *key,      \
						       __u32 len, __u64 *out)                               \
	{                                                                                                  \
		if (len > (KEY_MAX))                                                                       \
			return -E2BIG;                                                                     \
		return ffkx_cms_min(s, ffkx_hash_key(key, len, KEY_MAX), out);                             \
	}                                                                                                  \
	static __always_inline int NAME##_cs_update(struct ffkx_sketch __arena *s, const void *key,         \
						    __u32 len, __s64 delta)                                 \
	{                                                                                                  \
		if (len > (KEY_MAX))                                                                       \
			return -E2BIG;                                                                     \
		return ffkx_sketch_add(s, ffkx_hash_key(key, len, KEY_MAX), delta, true);                  \
	}                                                                                                  \
	static __always_inline int NAME##_cs_estimate(struct ffkx_sketch __arena *s, const void *key,       \
						      __u32 len, __s64 *out)                                \
	{                                                                                                  \
		if (len > (KEY_MAX))                                                                       \
			return -E2BIG;                                                                     \
		return ffkx_cs_median(s, ffkx_hash_key(key, len, KEY_MAX), out);                           \
	}

#endif /* FFKX_SKETCH_H */
