/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A singly linked list of key/value nodes in the heap: lookup, insert or
 * update, delete. It is also the hashmap's bucket.
 *
 * Readers take no lock. A writer holds the list's lock stripe and makes the
 * list's sequence count odd while it changes links or values; a reader notes
 * the count, walks, copies the value out and checks the count is unchanged,
 * else tries again. A reader may walk into a node deleted and reused under it:
 * that is safe because heap memory is never unmapped, and harmless because the
 * count has moved, which the reader checks at every step. After a few torn
 * reads the reader takes the lock, so it always finishes.
 *
 * The reader's check relies on loads not passing loads (x86, TSO): BPF has no
 * load-acquire before clang 21. Writers order with atomics, which are full
 * barriers on every JIT.
 *
 * Keys are 1..key_max bytes, read as 8-byte words from an 8-byte aligned
 * buffer of key_max bytes (bytes past the key's length are ignored); values are
 * value_size bytes, 8-byte aligned. Both sizes are compile-time constants of a
 * FFKX_LIST_DEFINE instance, so the loops over them unroll.
 */
#ifndef FFKX_LIST_H
#define FFKX_LIST_H

#include "alloc.h"
#include "hash.h"
#include "lock.h"

/* Torn optimistic reads before a reader takes the lock. */
#define FFKX_LIST_READ_TRIES 4

struct ffkx_list_node {
	struct ffkx_list_node __arena *next;
	__u64 hash;
	__u32 key_len;
	__u32 pad;
	__u64 data[]; /* the key, zero-padded to key_max bytes, then the value */
};

struct ffkx_list {
	__u32 seq;   /* odd while a writer changes the list */
	__u32 count;
	struct ffkx_list_node __arena *head;
};

#define ffkx_barrier() asm volatile("" ::: "memory")

static __always_inline __u64 ffkx_list_node_size(__u32 key_max, __u32 value_size)
{
	return sizeof(struct ffkx_list_node) + key_max + value_size;
}

/* 0, or -E2BIG / -EINVAL for a key the instance cannot hold. */
static __always_inline int ffkx_key_check(__u32 len, __u32 key_max)
{
	if (ffkx_unlikely(len > key_max))
		return -E2BIG;
	return ffkx_unlikely(!len) ? -EINVAL : 0;
}

static __always_inline bool ffkx_list_node_is(struct ffkx_list_node __arena *n, __u64 hash, const __u64 *key,
					      __u32 len, __u32 key_max)
{
	__u32 i;

	if (n->hash != hash || n->key_len != len)
		return false;
	for (i = 0; i < key_max / 8; i++) {
		if (i * 8 >= len)
			break;
		if (n->data[i] != ffkx_key_word(key, i, len))
			return false;
	}
	return true;
}

static __always_inline void ffkx_list_value_out(__u64 *dst, struct ffkx_list_node __arena *n, __u32 key_max,
						__u32 value_size)
{
	ffkx_heap_word *src = &n->data[key_max / 8];
	__u32 i;

	for (i = 0; i < value_size / 8; i++)
		dst[i] = src[i];
}

static __always_inline void ffkx_list_value_in(struct ffkx_list_node __arena *n, const __u64 *src, __u32 key_max,
					       __u32 value_size)
{
	ffkx_heap_word *dst = &n->data[key_max / 8];
	__u32 i;

	for (i = 0; i < value_size / 8; i++)
		dst[i] = src[i];
}

/* Writers bracket every change; the atomics order the change between them. */
static __always_inline void ffkx_list_write_begin(struct ffkx_list __arena *l)
{
	__sync_fetch_and_add(&l->seq, 1);
}

static __always_inline void ffkx_list_write_end(struct ffkx_list __arena *l)
{
	__sync_fetch_and_add(&l->seq, 1);
}

/*
 * With the lock held: the link (the head, or a node's next) pointing at the
 * key's node, or NULL when absent (*err = 0) or when the walk was cancelled
 * (*err = -ECANCELED).
 */
static __always_inline struct ffkx_list_node __arena * __arena *
ffkx_list_find_locked(struct ffkx_list __arena *l, __u64 hash, const __u64 *key, __u32 len, __u32 key_max, int *err)
{
	struct ffkx_list_node __arena * __arena *link = &l->head;

	*err = 0;
	while (can_loop) {
		struct ffkx_list_node __arena *n = *link;

		if (!n || ffkx_list_node_is(n, hash, key, len, key_max))
			return n ? link : NULL;
		link = &n->next;
	}
	*err = -ECANCELED;
	return NULL;
}

/* One optimistic read: 0, -ENOENT, -EAGAIN when a writer got in the way, -ECANCELED. */
static __always_inline int ffkx_list_read(struct ffkx_list __arena *l, __u64 hash, const __u64 *key, __u32 len,
					  __u32 key_max, __u64 *value, __u32 value_size)
{
	volatile __u32 __arena *seqp = &l->seq;
	__u32 seq = *seqp;
	struct ffkx_list_node __arena *n;

	if (seq & 1)
		return -EAGAIN;
	ffkx_barrier();
	n = l->head;
	while (n) {
		if (ffkx_list_node_is(n, hash, key, len, key_max)) {
			ffkx_list_value_out(value, n, key_max, value_size);
			ffkx_barrier();
			return *seqp == seq ? 0 : -EAGAIN;
		}
		n = n->next;
		if (*seqp != seq)
			return -EAGAIN;
		if (!can_loop)
			return -ECANCELED;
	}
	ffkx_barrier();
	return *seqp == seq ? -ENOENT : -EAGAIN;
}

/* Copies the key's value out: 0, -ENOENT, -ECANCELED, or a lock error. */
static __always_inline int ffkx_list_lookup_hashed(struct ffkx_list __arena *l, __u64 hash, const __u64 *key,
						   __u32 len, __u32 key_max, __u64 *value, __u32 value_size)
{
	struct ffkx_list_node __arena * __arena *link;
	struct ffkx_lock *lock;
	unsigned long irq;
	__u32 i;
	int err;

	for (i = ffkx_loop_from(0); i < FFKX_LIST_READ_TRIES; i++) {
		err = ffkx_list_read(l, hash, key, len, key_max, value, value_size);
		if (err != -EAGAIN)
			return err;
	}
	/* Writers keep winning: read under the lock, which always finishes. */
	lock = ffkx_lock_for(l);
	if (!lock)
		return -EINVAL;
	err = ffkx_lock(lock, &irq);
	if (err)
		return err;
	link = ffkx_list_find_locked(l, hash, key, len, key_max, &err);
	if (link)
		ffkx_list_value_out(value, *link, key_max, value_size);
	else if (!err)
		err = -ENOENT;
	ffkx_unlock(lock, &irq);
	return err;
}

/*
 * Inserts or updates as flags says (BPF_ANY, BPF_NOEXIST, BPF_EXIST): 0,
 * -EEXIST, -ENOENT, -ENOMEM (a new key and a full heap), -ECANCELED, or a
 * lock error. The node is allocated before locking, as the allocator may not
 * run under a lock, and freed again if the key turns out to exist.
 */
static __always_inline int ffkx_list_update_hashed(struct ffkx_list __arena *l, __u64 hash, const __u64 *key,
						   __u32 len, __u32 key_max, const __u64 *value, __u32 value_size,
						   __u64 flags)
{
	struct ffkx_list_node __arena * __arena *link;
	struct ffkx_list_node __arena *node = NULL;
	struct ffkx_lock *lock = ffkx_lock_for(l);
	unsigned long irq;
	__u32 i;
	int err;

	if (!lock || flags > BPF_EXIST)
		return -EINVAL;
	if (flags != BPF_EXIST)
		node = ffkx_malloc(ffkx_list_node_size(key_max, value_size));
	/* Without a node (heap full) an existing key is still updated in place. */
	if (node) {
		node->hash = hash;
		node->key_len = len;
		for (i = 0; i < key_max / 8; i++)
			((ffkx_heap_word *)node->data)[i] = i * 8 < len ? ffkx_key_word(key, i, len) : 0;
		ffkx_list_value_in(node, value, key_max, value_size);
	}
	err = ffkx_lock(lock, &irq);
	if (err) {
		ffkx_free(node);
		return err;
	}
	link = ffkx_list_find_locked(l, hash, key, len, key_max, &err);
	if (err) {
		/* cancelled: nothing changed */
	} else if (link) {
		if (flags == BPF_NOEXIST) {
			err = -EEXIST;
		} else {
			ffkx_list_write_begin(l);
			ffkx_list_value_in(*link, value, key_max, value_size);
			ffkx_list_write_end(l);
		}
	} else if (flags == BPF_EXIST) {
		err = -ENOENT;
	} else if (!node) {
		err = -ENOMEM;
	} else {
		node->next = l->head;
		ffkx_list_write_begin(l);
		l->head = node;
		l->count++;
		ffkx_list_write_end(l);
		node = NULL;
	}
	ffkx_unlock(lock, &irq);
	ffkx_free(node);
	return err;
}

/* Deletes the key: 0, -ENOENT, -ECANCELED, or a lock error. */
static __always_inline int ffkx_list_delete_hashed(struct ffkx_list __arena *l, __u64 hash, const __u64 *key,
						   __u32 len, __u32 key_max)
{
	struct ffkx_list_node __arena * __arena *link;
	struct ffkx_list_node __arena *gone = NULL;
	struct ffkx_lock *lock = ffkx_lock_for(l);
	unsigned long irq;
	int err;

	if (!lock)
		return -EINVAL;
	err = ffkx_lock(lock, &irq);
	if (err)
		return err;
	link = ffkx_list_find_locked(l, hash, key, len, key_max, &err);
	if (link) {
		gone = *link;
		ffkx_list_write_begin(l);
		*link = gone->next;
		l->count--;
		ffkx_list_write_end(l);
	} else if (!err) {
		err = -ENOENT;
	}
	ffkx_unlock(lock, &irq);
	/* Readers still on the node see the count moved and retry. */
	ffkx_free(gone);
	return err;
}

/* An empty list in the heap, or NULL when the heap is full. */
static __always_inline struct ffkx_list __arena *ffkx_list_new(void)
{
	struct ffkx_list __arena *l = ffkx_malloc(sizeof(*l));

	if (l) {
		((ffkx_heap_word *)l)[0] = 0; /* seq and count */
		((ffkx_heap_word *)l)[1] = 0; /* head */
	}
	return l;
}

/*
 * A list of keys up to KEY_MAX bytes and values of VALUE_SIZE bytes (both
 * multiples of 8): NAME_lookup(l, key, len, value), NAME_update(l, key, len,
 * value, flags), NAME_delete(l, key, len). key and value are 8-byte aligned
 * kernel memory (stack, map value, context).
 */
#define FFKX_LIST_DEFINE(NAME, KEY_MAX, VALUE_SIZE)                                                        \
	_Static_assert((KEY_MAX) > 0 && (KEY_MAX) % 8 == 0, #NAME ": key size is a multiple of 8");       \
	_Static_assert((VALUE_SIZE) % 8 == 0, #NAME ": value size is a multiple of 8");                   \
	static __always_inline int NAME##_lookup(struct ffkx_list __arena *l, const void *key, __u32 len,     \
						 void *value)                                                \
	{                                                                                                  \
		int err = ffkx_key_check(len, KEY_MAX);                                                    \
		return err ? err : ffkx_list_lookup_hashed(l, ffkx_hash_key(key, len, KEY_MAX), key, len,  \
							   KEY_MAX, value, VALUE_SIZE);                     \
	}                                                                                                  \
	static __always_inline int NAME##_update(struct ffkx_list __arena *l, const void *key, __u32 len,     \
						 const void *value, __u64 flags)                              \
	{                                                                                                  \
		int err = ffkx_key_check(len, KEY_MAX);                                                    \
		return err ? err : ffkx_list_update_hashed(l, ffkx_hash_key(key, len, KEY_MAX), key, len,  \
							   KEY_MAX, value, VALUE_SIZE, flags);              \
	}                                                                                                  \
	static __always_inline int NAME##_delete(struct ffkx_list __arena *l, const void *key, __u32 len)     \
	{                                                                                                  \
		int err = ffkx_key_check(len, KEY_MAX);                                                    \
		return err ? err : ffkx_list_delete_hashed(l, ffkx_hash_key(key, len, KEY_MAX), key, len,  \
							   KEY_MAX);                                        \
	}

#endif /* FFKX_LIST_H */
