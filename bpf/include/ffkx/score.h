/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The order of Redis sorted-set entries: by score as a double, then by member
 * bytes (memcmp, the shorter first), as Redis orders its skiplist.
 *
 * A zset key in the heap is the score's IEEE-754 bits (8 bytes, little endian)
 * followed by the member bytes, so key size = 8 + member length. Compare keys
 * with ffkx_zset_cmp, e.g. FFKX_SKIPLIST_DEFINE(zset, ffkx_zset_cmp).
 *
 * BPF has no floating point, so scores are compared as integers: a double's
 * sign-magnitude bits are mapped onto an unsigned integer in the same order.
 * Redis compares scores with < and ==, so -0.0 and 0.0 are the same score;
 * the mapping folds them together. Infinities order as numbers do. Redis
 * never stores NaN, and neither may callers: NaN would sort outside the
 * infinities instead of being rejected.
 */
#ifndef FFKX_SCORE_H
#define FFKX_SCORE_H

#include "bytes.h"

#define FFKX_SCORE_SIGN (1ULL << 63)

/* A double's bits as an unsigned integer that orders as the double does. */
static __always_inline __u64 ffkx_score_order(__u64 bits)
{
	if (bits == FFKX_SCORE_SIGN) /* -0.0 */
		bits = 0;
	/* Negative: flip all bits, so larger magnitudes come first. Positive: lift above them. */
	return bits ^ (-(bits >> 63) | FFKX_SCORE_SIGN);
}

/*
 * The bits of the least double above `bits`. Turns an exclusive score bound
 * into an inclusive one: score > s exactly when score >= next_up(s). Not
 * defined for +inf (nothing is above it) or NaN.
 */
static __always_inline __u64 ffkx_score_next_up(__u64 bits)
{
	__u64 o = ffkx_score_order(bits) + 1;

	return o & FFKX_SCORE_SIGN ? o ^ FFKX_SCORE_SIGN : ~o;
}

/*
 * Orders two zset keys (at least 8 bytes each: score bits, then member).
 * Returns -1, 0, 1 or FFKX_CMP_CANCELED.
 */
static __always_inline int ffkx_zset_cmp(const void __arena *a, __u32 a_size,
					 const void __arena *b, __u32 b_size)
{
	__u64 x = ffkx_score_order(*(const __u64 __arena *)a);
	__u64 y = ffkx_score_order(*(const __u64 __arena *)b);

	if (x != y)
		return ffkx_u64_order(x, y);
	return ffkx_bytes_cmp((const __u8 __arena *)a + 8, a_size - 8,
			      (const __u8 __arena *)b + 8, b_size - 8);
}

#endif /* FFKX_SCORE_H */
