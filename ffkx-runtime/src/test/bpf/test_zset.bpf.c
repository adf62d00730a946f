/*
 * Drives a skiplist ordered as a Redis sorted set from Java: batches of
 * operations checked against a ConcurrentSkipListMap with the same order.
 * Every operation on the list runs under the list's lock, as in production,
 * so the verifier proves that no list operation calls a helper there.
 */
#include "test_batch.h"
#include <ffkx/lock.h>
#include <ffkx/skiplist.h>
#include <ffkx/score.h>

FFKX_SKIPLIST_DEFINE(zset, ffkx_zset_cmp)

enum {
	ZS_INSERT = 1, /* key, arg = value; out = the existing value on -EEXIST */
	ZS_UPDATE,     /* key, arg = new value; out = old value */
	ZS_REMOVE,     /* key; out = value */
	ZS_LOOKUP,     /* key; out = value */
	ZS_RANK,       /* key; result = 0-based rank */
	ZS_AT,         /* arg = rank; out = value */
	ZS_RANGE_RANK, /* arg..arg2; result = count, sum over values */
	ZS_RANGE_KEY,  /* key..key2 with flags; result = count, out = first rank, sum */
	ZS_REVERSE,    /* result = count walking back from the last, sum */
	ZS_CMP,        /* result = ffkx_zset_cmp(key, key2) */
	ZS_NEXT_UP,    /* out = ffkx_score_next_up(arg) */
};

enum { MIN_EXCL = 1, MAX_EXCL = 2, MIN_OPEN = 4, MAX_OPEN = 8 };


#define KEY_MAX 48

struct zset_op {
	__u32 op;
	__u32 key_size;
	__u32 key2_size;
	__u32 flags;
	__u64 arg;
	__u64 arg2;
	__s64 result;
	__u64 out;
	__u64 sum;
	__u8 key[KEY_MAX];
	__u8 key2[KEY_MAX];
};

struct zset_setup_args {
	__u64 list; /* out: heap address of the list */
};

#define ROOT_LIST 0

/* Creates the list and publishes it in a heap root. */
SEC("syscall")
int zset_setup(struct zset_setup_args *args)
{
	struct ffkx_skiplist __arena *sl = ffkx_malloc(sizeof(*sl));

	if (!sl)
		return -ENOMEM;
	ffkx_skiplist_init(sl);
	*ffkx_heap_root(ROOT_LIST) = (__u64)sl;
	args->list = (__u64)sl;
	return 0;
}

static __always_inline __u64 __arena *value_of(struct ffkx_sl_node __arena *n)
{
	return ffkx_sl_value(n);
}

/* Folds `count` values from n on, walking forward or back, into an order-sensitive sum. */
static __always_inline int walk(struct ffkx_sl_node __arena *n, long count, bool back, __u64 *sum)
{
	__u64 s = 0;
	long i;

	for (i = ffkx_loop_from(0); i < count; i++) {
		if (!n)
			return -EFAULT; /* the count promised more nodes than there are */
		s = s * 31 + *value_of(n);
		n = back ? ffkx_sl_prev(n) : ffkx_sl_next(n);
		cond_break;
	}
	*sum = s;
	return i == count ? 0 : -ECANCELED;
}

/* A subprogram, not inlined, so that the batch loop converges (see test_structs.bpf.c). */
static __noinline long run_op(struct ffkx_skiplist __arena *sl, struct zset_op __arena *op)
{
	struct ffkx_sl_node __arena *n = NULL, *e = NULL;
	struct ffkx_lock *lock = ffkx_lock_for(sl);
	unsigned long irq;
	__u64 first_rank = 0, sum = 0;
	long ret;
	int err;

	if (!lock)
		return -EINVAL;
	switch (op->op) {
	case ZS_INSERT:
		n = ffkx_sl_node_alloc(op->key_size, sizeof(__u64));
		if (!n)
			return -ENOMEM;
		err = ffkx_bytes_copy(ffkx_sl_key(n), op->key, op->key_size);
		if (err) {
			ffkx_free(n);
			return err;
		}
		*value_of(n) = op->arg;
		err = ffkx_lock(lock, &irq);
		if (err) {
			ffkx_free(n);
			return err;
		}
		ret = zset_insert(sl, n, &e);
		if (ret == -EEXIST)
			op->out = *value_of(e);
		ffkx_unlock(lock, &irq);
		if (ret)
			ffkx_free(n);
		return ret;
	case ZS_REMOVE:
		err = ffkx_lock(lock, &irq);
		if (err)
			return err;
		ret = zset_remove(sl, op->key, op->key_size, &n);
		ffkx_unlock(lock, &irq);
		if (!ret) {
			op->out = *value_of(n);
			ffkx_free(n);
		}
		return ret;
	case ZS_CMP:
		return ffkx_zset_cmp(op->key, op->key_size, op->key2, op->key2_size);
	case ZS_NEXT_UP:
		op->out = ffkx_score_next_up(op->arg);
		return 0;
	}

	err = ffkx_lock(lock, &irq);
	if (err)
		return err;
	switch (op->op) {
	case ZS_UPDATE:
		ret = zset_lookup(sl, op->key, op->key_size, &n);
		if (!ret) {
			op->out = *value_of(n);
			*value_of(n) = op->arg;
		}
		break;
	case ZS_LOOKUP:
		ret = zset_lookup(sl, op->key, op->key_size, &n);
		if (!ret)
			op->out = *value_of(n);
		break;
	case ZS_RANK:
		ret = zset_rank(sl, op->key, op->key_size);
		break;
	case ZS_AT:
		ret = ffkx_skiplist_at(sl, op->arg, &n);
		if (!ret)
			op->out = *value_of(n);
		break;
	case ZS_RANGE_RANK:
		ret = ffkx_skiplist_range_by_rank(sl, op->arg, op->arg2, &n);
		if (ret > 0 && (err = walk(n, ret, false, &sum)))
			ret = err;
		op->sum = sum;
		break;
	case ZS_RANGE_KEY:
		ret = zset_range_by_key(sl, op->flags & MIN_OPEN ? NULL : op->key, op->key_size,
					op->flags & MIN_EXCL, op->flags & MAX_OPEN ? NULL : op->key2,
					op->key2_size, op->flags & MAX_EXCL, &n, &first_rank);
		if (ret > 0 && (err = walk(n, ret, false, &sum)))
			ret = err;
		op->out = first_rank;
		op->sum = sum;
		break;
	case ZS_REVERSE:
		ret = ffkx_skiplist_length(sl);
		if ((err = walk(ffkx_skiplist_last(sl), ret, true, &sum)))
			ret = err;
		op->sum = sum;
		break;
	default:
		ret = -EINVAL;
	}
	ffkx_unlock(lock, &irq);
	return ret;
}

SEC("syscall")
int zset_batch(struct batch_args *args)
{
	struct ffkx_skiplist __arena *sl = (struct ffkx_skiplist __arena *)*ffkx_heap_root(ROOT_LIST);

	return TEST_BATCH_RUN(args, struct zset_op, run_op(sl, op));
}

/*
 * The list from XDP, where keys arrive in packets: the first 16 bytes of the
 * frame are a key (score bits, an 8-byte member). The key goes straight into a
 * fresh node, whose key then also serves as the probe. Inserts it (value 1)
 * and writes its rank over bytes 16..23: XDP_PASS; XDP_DROP when the key was
 * there already or the heap is full; XDP_ABORTED for a short frame.
 */
SEC("xdp")
int xdp_zset_insert(struct xdp_md *ctx)
{
	__u64 *p = (void *)(long)ctx->data;
	struct ffkx_skiplist __arena *sl = (struct ffkx_skiplist __arena *)*ffkx_heap_root(ROOT_LIST);
	struct ffkx_lock *lock = ffkx_lock_for(sl);
	struct ffkx_sl_node __arena *n, *e;
	__u64 __arena *key;
	unsigned long irq;
	long rank;
	int err;

	if ((void *)(p + 3) > (void *)(long)ctx->data_end || !lock)
		return XDP_ABORTED;
	n = ffkx_sl_node_alloc(16, sizeof(__u64));
	if (!n)
		return XDP_DROP;
	key = ffkx_sl_key(n);
	key[0] = p[0];
	key[1] = p[1];
	*value_of(n) = 1;
	if (ffkx_lock(lock, &irq)) {
		ffkx_free(n);
		return XDP_ABORTED;
	}
	err = zset_insert(sl, n, &e);
	rank = err ? err : zset_rank(sl, key, 16);
	ffkx_unlock(lock, &irq);
	if (err) {
		ffkx_free(n);
		return XDP_DROP;
	}
	p[2] = rank;
	return XDP_PASS;
}

FFKX_LICENSE;
