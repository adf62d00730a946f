/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hashmap in the heap: a power-of-two array of buckets, each a list.h list,
 * so lookups are lock-free and writers lock one bucket's stripe. Instantiate
 * it with FFKX_HASHMAP_DEFINE for a key size bound and a value size.
 *
 * The map records its sizes so Java (HashmapView) can walk it, and counts the
 * keys it refused (empty or longer than its bound).
 */
#ifndef FFKX_HASHMAP_H
#define FFKX_HASHMAP_H

#include "list.h"

#define FFKX_HASHMAP_MAGIC 0x50414D4858464646ULL /* "FFFXHMAP" */
#define FFKX_HASHMAP_MAX_BUCKETS (1U << 24)

struct ffkx_hashmap {
	__u64 magic;
	__u32 key_max;
	__u32 value_size;
	__u32 nr_buckets; /* a power of two */
	__u32 pad;
	struct ffkx_list __arena *buckets;
	__u64 bad_keys;
};

/* A map with at least nr_buckets buckets, or NULL (heap full, size out of range, cancelled). */
static __always_inline struct ffkx_hashmap __arena *ffkx_hashmap_new(__u32 nr_buckets, __u32 key_max,
								   __u32 value_size)
{
	struct ffkx_hashmap __arena *m;
	struct ffkx_list __arena *b;
	__u32 n = 1, i;

	if (!nr_buckets || nr_buckets > FFKX_HASHMAP_MAX_BUCKETS)
		return NULL;
	while (n < nr_buckets && n < FFKX_HASHMAP_MAX_BUCKETS)
		n <<= 1;
	m = ffkx_malloc(sizeof(*m));
	b = ffkx_malloc((__u64)n * sizeof(*b));
	if (!m || !b)
		goto fail;
	/* Reused heap memory is not zeroed. */
	for (i = ffkx_loop_from(0); i < n; i++) {
		((ffkx_heap_word *)&b[i])[0] = 0; /* seq and count */
		((ffkx_heap_word *)&b[i])[1] = 0; /* head */
		cond_break;
	}
	if (i < n)
		goto fail;
	m->key_max = key_max;
	m->value_size = value_size;
	m->nr_buckets = n;
	m->buckets = b;
	m->bad_keys = 0;
	/* An exchange is a full barrier: the map is whole before it is marked so. */
	__sync_lock_test_and_set(&m->magic, FFKX_HASHMAP_MAGIC);
	return m;
fail:
	ffkx_free(m);
	ffkx_free(b);
	return NULL;
}

static __always_inline struct ffkx_list __arena *ffkx_hashmap_bucket(struct ffkx_hashmap __arena *m, __u64 hash)
{
	return &m->buckets[hash & (m->nr_buckets - 1)];
}

static __always_inline int ffkx_hashmap_check(struct ffkx_hashmap __arena *m, __u32 len, __u32 key_max)
{
	int err = ffkx_key_check(len, key_max);

	if (ffkx_unlikely(err))
		__sync_fetch_and_add(&m->bad_keys, 1);
	return err;
}

/*
 * NAME_new(buckets), NAME_lookup(m, key, len, value), NAME_update(m, key,
 * len, value, flags), NAME_delete(m, key, len), for keys of 1..KEY_MAX bytes
 * and VALUE_SIZE-byte values (multiples of 8), 8-byte aligned kernel memory.
 * Results as list.h's, plus -E2BIG / -EINVAL (counted) for a bad key length.
 */
#define FFKX_HASHMAP_DEFINE(NAME, KEY_MAX, VALUE_SIZE)                                                     \
	_Static_assert((KEY_MAX) > 0 && (KEY_MAX) % 8 == 0, #NAME ": key size is a multiple of 8");       \
	_Static_assert((VALUE_SIZE) % 8 == 0, #NAME ": value size is a multiple of 8");                   \
	static __always_inline struct ffkx_hashmap __arena *NAME##_new(__u32 nr_buckets)                     \
	{                                                                                                  \
		return ffkx_hashmap_new(nr_buckets, KEY_MAX, VALUE_SIZE);                                  \
	}                                                                                                  \
	static __always_inline int NAME##_lookup(struct ffkx_hashmap __arena *m, const void *key, __u32 len,  \
						 void *value)                                                \
	{                                                                                                  \
		__u64 h;                                                                                   \
		if (ffkx_hashmap_check(m, len, KEY_MAX))                                                   \
			return ffkx_key_check(len, KEY_MAX);                                               \
		h = ffkx_hash_key(key, len, KEY_MAX);                                                      \
		return ffkx_list_lookup_hashed(ffkx_hashmap_bucket(m, h), h, key, len, KEY_MAX, value,     \
					       VALUE_SIZE);                                                \
	}                                                                                                  \
	static __always_inline int NAME##_update(struct ffkx_hashmap __arena *m, const void *key, __u32 len,  \
						 const void *value, __u64 flags)                              \
	{                                                                                                  \
		__u64 h;                                                                                   \
		if (ffkx_hashmap_check(m, len, KEY_MAX))                                                   \
			return ffkx_key_check(len, KEY_MAX);                                               \
		h = ffkx_hash_key(key, len, KEY_MAX);                                                      \
		return ffkx_list_update_hashed(ffkx_hashmap_bucket(m, h), h, key, len, KEY_MAX, value,     \
					       VALUE_SIZE, flags);                                         \
	}                                                                                                  \
	static __always_inline int NAME##_delete(struct ffkx_hashmap __arena *m, const void *key, __u32 len)  \
	{                                                                                                  \
		__u64 h;                                                                                   \
		if (ffkx_hashmap_check(m, len, KEY_MAX))                                                   \
			return ffkx_key_check(len, KEY_MAX);                                               \
		h = ffkx_hash_key(key, len, KEY_MAX);                                                      \
		return ffkx_list_delete_hashed(ffkx_hashmap_bucket(m, h), h, key, len, KEY_MAX);           \
	}

#endif /* FFKX_HASHMAP_H */
