/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte strings in the extension heap: ordering and copying.
 *
 * Keys of the ordered structures (rbtree.h, skiplist.h) live in the heap on
 * both sides of a comparison: the key stored in a node and the probe the
 * caller searches for. Unlike the hashmap's keys (kernel memory, bounded at
 * compile time, compared with a few nodes after one hash), they are compared
 * log n times a search and have no useful bound (sorted-set members): reading
 * both sides through __arena pointers needs no verifier bounds bookkeeping at
 * any length, and an insert copies the probe straight into its node.
 *
 * Keys start 8-byte aligned (nodes place them so; callers align their probes),
 * so the code moves whole aligned words. The last word of a key may extend past
 * its end: an aligned word never crosses a page, so it is mapped if the key's
 * last byte is, and the bytes past the end are masked off.
 */
#ifndef FFKX_BYTES_H
#define FFKX_BYTES_H

#include "heap.h"

/*
 * What a comparator returns when its loop budget ran out. The ordered
 * structures turn it into -ECANCELED; it is outside {-1, 0, 1}, the only other
 * values a comparator may return.
 */
#define FFKX_CMP_CANCELED (-ECANCELED)

/*
 * The comparator of the ordered structures: orders key a against key b, both
 * in the heap and 8-byte aligned. BPF has no function pointers; the structures
 * take one only in always-inline bodies that their FFKX_*_DEFINE macros bind
 * to a named comparator, so clang calls (and inlines) it directly.
 */
typedef int (*ffkx_cmp_fn)(const void __arena *a, __u32 a_size, const void __arena *b, __u32 b_size);

/* The first `bytes` (1..7) bytes of a little-endian word, the rest zero. */
static __always_inline __u64 ffkx_word_head(__u64 w, __u32 bytes)
{
	return w & ((1ULL << (bytes * 8)) - 1);
}

static __always_inline int ffkx_u64_order(__u64 a, __u64 b)
{
	return a < b ? -1 : a > b;
}

/*
 * memcmp order, then the shorter string first: the order of Redis members and
 * of Java's Arrays.compareUnsigned. Returns -1, 0, 1 or FFKX_CMP_CANCELED.
 */
static __always_inline int ffkx_bytes_cmp(const void __arena *a, __u32 a_size,
					  const void __arena *b, __u32 b_size)
{
	const __u64 __arena *x = a, *y = b;
	__u32 n = a_size < b_size ? a_size : b_size;
	__u32 words = n / 8, i, tail;
	__u64 u, v;

	for (i = ffkx_loop_from(0); i < words && can_loop; i++) {
		/* Byte-swapped, a word compares as unsigned the way memcmp compares its bytes. */
		u = x[i];
		v = y[i];
		if (u != v)
			return ffkx_u64_order(bpf_be64_to_cpu(u), bpf_be64_to_cpu(v));
	}
	if (i < words)
		return FFKX_CMP_CANCELED;
	tail = n % 8;
	if (tail) {
		u = ffkx_word_head(x[i], tail);
		v = ffkx_word_head(y[i], tail);
		if (u != v)
			return ffkx_u64_order(bpf_be64_to_cpu(u), bpf_be64_to_cpu(v));
	}
	return ffkx_u64_order(a_size, b_size);
}

/*
 * Copies `size` bytes between heap buffers that do not overlap. The destination
 * is written in whole words up to the next multiple of 8 past `size`, so it
 * must have that room (nodes do). Returns 0 or -ECANCELED.
 */
static __always_inline int ffkx_bytes_copy(void __arena *dst, const void __arena *src, __u32 size)
{
	ffkx_heap_word *d = dst;
	const __u64 __arena *s = src;
	__u32 words = (size + 7) / 8, i;

	for (i = ffkx_loop_from(0); i < words && can_loop; i++)
		d[i] = s[i];
	return i < words ? -ECANCELED : 0;
}

#endif /* FFKX_BYTES_H */
