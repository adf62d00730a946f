/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmark programs of an ordered heap structure. rbtree.h and skiplist.h share one
 * shape (allocate a node before locking, NAME_insert reporting an existing key, NAME_lookup,
 * NAME_remove handing the node back), so one definition serves both:
 *
 *	BENCH_ORDERED(rbtree, struct ffkx_rbtree, struct ffkx_rb_node, tree_init, ffkx_rb_node_new,
 *		      ffkx_rb_value, bench_tree)
 *
 * defines rbtree_create, rbtree_insert, rbtree_lookup and rbtree_delete. Keys order as
 * ffkx_bytes_cmp orders them; one lock stripe (lock.h) guards the structure, taken per operation
 * by every operation, as the plain-eBPF baselines hold their bpf_spin_lock.
 */
#ifndef FFKX_BENCH_ORDERED_H
#define FFKX_BENCH_ORDERED_H

#include "bench_heap.h"
#include <ffkx/lock.h>

#define BENCH_KEY_SIZE   sizeof(struct bench_key)
#define BENCH_VALUE_SIZE sizeof(struct bench_value)

#define BENCH_ORDERED(NAME, TYPE, NODE, INIT, NODE_NEW, VALUE, OPS)				\
static __always_inline TYPE __arena *NAME##_root(void)						\
{												\
	return (TYPE __arena *)*ffkx_heap_root(BENCH_ROOT_STRUCT);				\
}												\
												\
SEC("syscall")											\
int NAME##_create(void *ctx)									\
{												\
	TYPE __arena *s = ffkx_malloc(sizeof(TYPE));						\
												\
	if (!s)											\
		return -ENOMEM;									\
	INIT(s);										\
	*ffkx_heap_root(BENCH_ROOT_STRUCT) = (__u64)s;						\
	return bench_heap_keys_create();							\
}												\
												\
/*												\
 * Allocating and freeing are subprograms of their own: verified once, rather than once	\
 * for every path through the locked section around them.					\
 */												\
static __noinline __u64 NAME##_new_node(__u32 idx)						\
{												\
	const struct bench_key __arena *key = bench_heap_key(idx);				\
	NODE __arena *n;									\
												\
	if (NODE_NEW(key, BENCH_KEY_SIZE, BENCH_VALUE_SIZE, &n))				\
		return 0;									\
	bench_heap_value_of(key, VALUE(n));							\
	return (__u64)n;									\
}												\
												\
static __noinline void NAME##_free_node(__u64 n)						\
{												\
	ffkx_free((void __arena *)n);								\
}												\
												\
/* Upsert: a new node goes in, or the existing one takes the new value. 0 when stored. */	\
static __noinline int NAME##_insert_one(TYPE __arena *s, __u32 idx)				\
{												\
	NODE __arena *n = (NODE __arena *)NAME##_new_node(idx), *old = NULL;			\
	unsigned long flags;									\
	struct ffkx_lock *l = ffkx_lock_for(s);							\
	int err;										\
												\
	if (!n)											\
		return -ENOMEM;									\
	err = l ? ffkx_lock(l, &flags) : -EINVAL;						\
	if (err) {										\
		NAME##_free_node((__u64)n);							\
		return err;									\
	}											\
	err = OPS##_insert(s, n, &old);								\
	if (err == -EEXIST && old)								\
		bench_heap_value_of(bench_heap_key(idx), VALUE(old));				\
	ffkx_unlock(l, &flags);									\
	if (err == -EEXIST) {									\
		NAME##_free_node((__u64)n);							\
		err = 0;									\
	}											\
	return err;										\
}												\
												\
static __noinline int NAME##_lookup_one(TYPE __arena *s, __u32 idx)				\
{												\
	NODE __arena *n = NULL;									\
	unsigned long flags;									\
	struct ffkx_lock *l = ffkx_lock_for(s);							\
	int err;										\
												\
	err = l ? ffkx_lock(l, &flags) : -EINVAL;						\
	if (err)										\
		return err;									\
	err = OPS##_lookup(s, bench_heap_key(idx), BENCH_KEY_SIZE, &n);				\
	ffkx_unlock(l, &flags);									\
	return err;										\
}												\
												\
static __noinline int NAME##_delete_one(TYPE __arena *s, __u32 idx)				\
{												\
	NODE __arena *n = NULL;									\
	unsigned long flags;									\
	struct ffkx_lock *l = ffkx_lock_for(s);							\
	int err;										\
												\
	err = l ? ffkx_lock(l, &flags) : -EINVAL;						\
	if (err)										\
		return err;									\
	err = OPS##_remove(s, bench_heap_key(idx), BENCH_KEY_SIZE, &n);				\
	ffkx_unlock(l, &flags);									\
	if (!err)										\
		NAME##_free_node((__u64)n);							\
	return err;										\
}												\
												\
BENCH_ORDERED_BATCH(NAME, TYPE, insert)								\
BENCH_ORDERED_BATCH(NAME, TYPE, lookup)								\
BENCH_ORDERED_BATCH(NAME, TYPE, delete)

#define BENCH_ORDERED_BATCH(NAME, TYPE, OP)							\
SEC("syscall")											\
int NAME##_##OP(struct bench_args *args)							\
{												\
	TYPE __arena *s = NAME##_root();							\
	struct bench_batch b;									\
												\
	if (!s || bench_begin(&b, args))							\
		return -EINVAL;									\
	while (bench_next(&b))									\
		if (!NAME##_##OP##_one(s, b.idx))						\
			b.hits++;								\
	return bench_end(&b);									\
}

#endif /* FFKX_BENCH_ORDERED_H */
