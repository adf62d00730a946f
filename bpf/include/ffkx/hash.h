/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hashing of keys. Keys are read as 8-byte words from an 8-byte aligned
 * buffer, little-endian, with the bytes past the key's length masked off so
 * the caller's buffer need not be cleared past it.
 */
#ifndef FFKX_HASH_H
#define FFKX_HASH_H

#include "common.h"

/* Spreads every input bit over the whole word (the 64-bit finaliser of MurmurHash3). */
static __always_inline __u64 ffkx_hash_mix(__u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Word i of a key of len bytes, zero past its end. */
static __always_inline __u64 ffkx_key_word(const __u64 *key, __u32 i, __u32 len)
{
	__u64 w = key[i];
	__u32 left = len - i * 8;

	return left >= 8 ? w : w & ((1ULL << (left * 8)) - 1);
}

/*
 * Hash of a key of len bytes in a buffer of max bytes (max a multiple of 8,
 * known at compile time so the loop unrolls; len <= max, checked by callers).
 */
static __always_inline __u64 ffkx_hash_key(const __u64 *key, __u32 len, __u32 max)
{
	__u64 h = 0x9E3779B97F4A7C15ULL ^ len;
	__u32 i;

	for (i = 0; i < max / 8; i++) {
		if (i * 8 >= len)
			break;
		h = (h ^ ffkx_key_word(key, i, len)) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return ffkx_hash_mix(h);
}

/* Spreads a row (or probe) number over the word before it is mixed into a hash. */
#define FFKX_HASH_ROW_SPREAD 0x9E3779B97F4A7C15ULL

/*
 * Hash number `row` derived from one key hash and a seed: a sketch hashes a key
 * once and takes every row's hash from this, however deep it is.
 */
static __always_inline __u64 ffkx_hash_row(__u64 hash, __u64 seed, __u32 row)
{
	return ffkx_hash_mix(hash + seed + row * FFKX_HASH_ROW_SPREAD);
}

/* The low 32 bits of a hash mapped onto 0..n-1 by a multiply and a shift: any n, no division. */
static __always_inline __u32 ffkx_hash_range(__u64 hash, __u32 n)
{
	return ((hash & 0xffffffffULL) * n) >> 32;
}

#endif /* FFKX_HASH_H */
