/*
 * Drives a red-black tree of u64 keys from Java: batches of operations checked
 * against a TreeMap. The keys order as numbers through a custom comparator,
 * not as bytes. Every operation on the tree runs under the tree's lock, as in
 * production, so the verifier proves no tree operation calls a helper there.
 */
#include "test_batch.h"
#include <ffkx/lock.h>
#include <ffkx/rbtree.h>

static __always_inline int u64_cmp(const void __arena *a, __u32 a_size, const void __arena *b, __u32 b_size)
{
	return ffkx_u64_order(*(const __u64 __arena *)a, *(const __u64 __arena *)b);
}

FFKX_RBTREE_DEFINE(tree, u64_cmp)

enum {
	RB_INSERT = 1, /* key, arg = value; out_value = the existing value on -EEXIST */
	RB_UPDATE,     /* key, arg = new value; out_value = old value */
	RB_REMOVE,     /* key; out_value = value */
	RB_LOOKUP,     /* key; out_value = value */
	RB_LOWER_BOUND,/* key; out = first entry with a key not below it */
	RB_FIRST,      /* out = first entry */
	RB_LAST,       /* out = last entry */
	RB_NEXT,       /* key (present); out = entry after it */
	RB_PREV,       /* key (present); out = entry before it */
	RB_WALK,       /* result = entries first to last, sum over keys */
	RB_WALK_BACK,  /* result = entries last to first, sum over keys */
};

struct rb_op {
	__u32 op;
	__u32 pad;
	__u64 key;
	__u64 arg;
	__s64 result;
	__u64 out_key;
	__u64 out_value;
	__u64 sum;
};

struct rb_setup_args {
	__u64 tree; /* out: heap address of the tree */
};

#define ROOT_TREE 0

/* Creates the tree and publishes it in a heap root. */
SEC("syscall")
int rb_setup(struct rb_setup_args *args)
{
	struct ffkx_rbtree __arena *t = ffkx_malloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	ffkx_rbtree_init(t);
	*ffkx_heap_root(ROOT_TREE) = (__u64)t;
	args->tree = (__u64)t;
	return 0;
}

static __always_inline __u64 __arena *value_of(struct ffkx_rb_node __arena *n)
{
	return ffkx_rb_value(n);
}

static __always_inline __u64 key_of(struct ffkx_rb_node __arena *n)
{
	return *(__u64 __arena *)ffkx_rb_key(n);
}

static __always_inline void put_entry(struct rb_op __arena *op, struct ffkx_rb_node __arena *n)
{
	op->out_key = key_of(n);
	op->out_value = *value_of(n);
}

/* Walks the whole tree in order (or in reverse), counting nodes and folding keys into an order-sensitive sum. */
static __always_inline long walk(struct ffkx_rbtree __arena *t, bool back, __u64 *sum)
{
	struct ffkx_rb_node __arena *n;
	__u64 s = 0;
	long count;
	int err;

	if (back) {
		err = ffkx_rbtree_last(t, &n);
	} else {
		n = ffkx_rbtree_first(t);
		err = n ? 0 : -ENOENT;
	}
	for (count = ffkx_loop_from(0); !err; count++) {
		s = s * 31 + key_of(n);
		err = back ? ffkx_rb_prev(n, &n) : ffkx_rb_next(n, &n);
		cond_break;
	}
	*sum = s;
	return err == -ENOENT ? count : -ECANCELED;
}

/* A subprogram, not inlined, so that the batch loop converges (see test_structs.bpf.c). */
static __noinline long run_op(struct ffkx_rbtree __arena *t, struct rb_op __arena *op)
{
	struct ffkx_rb_node __arena *n = NULL, *e = NULL;
	struct ffkx_lock *lock = ffkx_lock_for(t);
	unsigned long irq;
	__u64 sum = 0;
	long ret;
	int err;

	if (!lock)
		return -EINVAL;
	if (op->op == RB_INSERT) {
		err = ffkx_rb_node_new(&op->key, sizeof(op->key), sizeof(__u64), &n);
		if (err)
			return err;
		*value_of(n) = op->arg;
		err = ffkx_lock(lock, &irq);
		if (err) {
			ffkx_free(n);
			return err;
		}
		ret = tree_insert(t, n, &e);
		if (ret == -EEXIST)
			op->out_value = *value_of(e);
		ffkx_unlock(lock, &irq);
		if (ret)
			ffkx_free(n);
		return ret;
	}
	if (op->op == RB_REMOVE) {
		err = ffkx_lock(lock, &irq);
		if (err)
			return err;
		ret = tree_remove(t, &op->key, sizeof(op->key), &n);
		ffkx_unlock(lock, &irq);
		if (!ret) {
			put_entry(op, n);
			ffkx_free(n);
		}
		return ret;
	}

	err = ffkx_lock(lock, &irq);
	if (err)
		return err;
	switch (op->op) {
	case RB_UPDATE:
		ret = tree_lookup(t, &op->key, sizeof(op->key), &n);
		if (!ret) {
			op->out_value = *value_of(n);
			*value_of(n) = op->arg;
		}
		break;
	case RB_LOOKUP:
		ret = tree_lookup(t, &op->key, sizeof(op->key), &n);
		if (!ret)
			op->out_value = *value_of(n);
		break;
	case RB_LOWER_BOUND:
		ret = tree_lower_bound(t, &op->key, sizeof(op->key), &n);
		if (!ret)
			put_entry(op, n);
		break;
	case RB_FIRST:
		n = ffkx_rbtree_first(t);
		ret = n ? 0 : -ENOENT;
		if (n)
			put_entry(op, n);
		break;
	case RB_LAST:
		ret = ffkx_rbtree_last(t, &n);
		if (!ret)
			put_entry(op, n);
		break;
	case RB_NEXT:
	case RB_PREV:
		ret = tree_lookup(t, &op->key, sizeof(op->key), &n);
		if (!ret)
			ret = op->op == RB_NEXT ? ffkx_rb_next(n, &n) : ffkx_rb_prev(n, &n);
		if (!ret)
			put_entry(op, n);
		break;
	case RB_WALK:
	case RB_WALK_BACK:
		ret = walk(t, op->op == RB_WALK_BACK, &sum);
		op->sum = sum;
		break;
	default:
		ret = -EINVAL;
	}
	ffkx_unlock(lock, &irq);
	return ret;
}

SEC("syscall")
int rb_batch(struct batch_args *args)
{
	struct ffkx_rbtree __arena *t = (struct ffkx_rbtree __arena *)*ffkx_heap_root(ROOT_TREE);

	return TEST_BATCH_RUN(args, struct rb_op, run_op(t, op));
}

/*
 * The tree from XDP, where keys arrive in packets: the first 8 bytes of the
 * frame are a key, copied straight into a fresh node. Inserts it (value: the
 * key's complement) and writes the key before it over bytes 8..15 (~0 if it
 * is the first): XDP_PASS; XDP_DROP when the key was there already or the
 * heap is full; XDP_ABORTED for a short frame.
 */
SEC("xdp")
int xdp_rb_insert(struct xdp_md *ctx)
{
	__u64 *p = (void *)(long)ctx->data;
	struct ffkx_rbtree __arena *t = (struct ffkx_rbtree __arena *)*ffkx_heap_root(ROOT_TREE);
	struct ffkx_lock *lock = ffkx_lock_for(t);
	struct ffkx_rb_node __arena *n, *e, *prev;
	__u64 before = ~0ULL;
	unsigned long irq;
	int err;

	if ((void *)(p + 2) > (void *)(long)ctx->data_end || !lock)
		return XDP_ABORTED;
	n = ffkx_rb_node_alloc(sizeof(__u64), sizeof(__u64));
	if (!n)
		return XDP_DROP;
	*(__u64 __arena *)ffkx_rb_key(n) = p[0];
	*value_of(n) = ~p[0];
	if (ffkx_lock(lock, &irq)) {
		ffkx_free(n);
		return XDP_ABORTED;
	}
	err = tree_insert(t, n, &e);
	if (!err && !ffkx_rb_prev(n, &prev))
		before = key_of(prev);
	ffkx_unlock(lock, &irq);
	if (err) {
		ffkx_free(n);
		return XDP_DROP;
	}
	p[1] = before;
	return XDP_PASS;
}

FFKX_LICENSE;
