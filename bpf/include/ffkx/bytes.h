/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte strings in the extension heap: ordering and copying.
 *
 * Keys of the ordered structures (rbtree.h, skiplist.h) live in the heap on
 * both sides of a comparison: the key stored in a node and the probe the
 * caller searches for. Reading both through __arena pointers needs no
 * verifier bounds bookkeeping at any length, and an insert copies the probe
 * straight into its node.
 *
 * Keys start 8-byte aligned (nodes place them so; callers align their probes),
 * so the code moves whole aligned words. The last word of a key may extend past
 * its end: an aligned word never crosses a page, so it is mapped if the key's
 * last byte is, and the bytes past the end are masked off.
 */
#ifndef FFKX_BYTES_H
#define FFKX_BYTES_H

#include "common.h"
#include "loop.h"

/*
 * What a comparator returns when its loop budget ran out. The ordered
 * structures turn it into -ECANCELED; it is outside {-1, 0, 1}, the only other
 * values a comparator may return.
 */
#define FFKX_CMP_CANCELED (-ECANCELED)

/*
 * A zero the compiler cannot see through, for initializing heap fields. Clang
 * merges adjacent stores of a constant into a memset, and before LLVM 22 it
 * lowers a memset on heap memory without the address-space cast that the
 * verifier needs (the program then fails with "invalid mem access 'scalar'").
 * Stores of this value stay separate plain stores.
 */
static __always_inline __u64 ffkx_zero(void)
{
	__u64 z = 0;

	asm volatile("" : "+r"(z));
	return z;
}

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

	for (i = 0; i < words && can_loop; i++) {
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
	__u64 __arena *d = dst;
	const __u64 __arena *s = src;
	__u32 words = (size + 7) / 8, i;

	for (i = 0; i < words && can_loop; i++)
		d[i] = s[i];
	return i < words ? -ECANCELED : 0;
}

#endif /* FFKX_BYTES_H */
