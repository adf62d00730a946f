/*
 * Drives hashmap.h, list.h and the allocator from Java with batches of
 * operation records, plus in-kernel benchmarks and an XDP program that uses
 * them from softirq context.
 */
#include <ffkx/hashmap.h>
#include "test_batch.h"

#define KEY_MAX 16
#define VALUE_SIZE 24

FFKX_HASHMAP_DEFINE(tmap, KEY_MAX, VALUE_SIZE)
FFKX_LIST_DEFINE(tlist, KEY_MAX, VALUE_SIZE)

#define ROOT_MAP  0
#define ROOT_LIST 1
#define ROOT_BUSY 2 /* CPU + 1 while test_spin runs there */

enum {
	OP_MAP_LOOKUP = 1, OP_MAP_UPDATE, OP_MAP_DELETE,
	OP_LIST_LOOKUP, OP_LIST_UPDATE, OP_LIST_DELETE,
	OP_ALLOC, OP_FREE,
};

struct op {
	__u32 op;
	__s32 result;
	__u32 len;   /* key length; for OP_ALLOC/OP_FREE the object's size */
	__u32 flags; /* BPF_ANY, BPF_NOEXIST, BPF_EXIST */
	__u64 key[KEY_MAX / 8];
	__u64 value[VALUE_SIZE / 8]; /* OP_ALLOC: value[0] out = address; OP_FREE: value[0] in */
};

struct create_args {
	__u32 buckets;
	__u32 pad;
	__u64 map;  /* out */
	__u64 list; /* out */
};

/* Creates the map and the list and publishes them in root slots. */
SEC("syscall")
int test_create(struct create_args *args)
{
	struct ffkx_hashmap __arena *m = tmap_new(args->buckets);
	struct ffkx_list __arena *l = ffkx_list_new();

	if (!m || !l)
		return -ENOMEM;
	*ffkx_heap_root(ROOT_MAP) = (__u64)m;
	*ffkx_heap_root(ROOT_LIST) = (__u64)l;
	args->map = (__u64)m;
	args->list = (__u64)l;
	return 0;
}

#define STAMP(addr) ((addr) ^ 0xa5a5a5a5a5a5a5a5ULL)

/* A subprogram, not inlined: its stack is gone after each call, so the batch loop's states converge. */
static __noinline int run_op(struct op __arena *op, struct ffkx_hashmap __arena *m,
				  struct ffkx_list __arena *l)
{
	__u64 key[KEY_MAX / 8], value[VALUE_SIZE / 8];
	__u64 __arena *p;
	__u32 len = op->len, i;
	int err = 0;

	for (i = 0; i < KEY_MAX / 8; i++)
		key[i] = ((ffkx_heap_word *)op->key)[i];
	for (i = 0; i < VALUE_SIZE / 8; i++)
		value[i] = ((ffkx_heap_word *)op->value)[i];
	switch (op->op) {
	case OP_MAP_LOOKUP:
		err = tmap_lookup(m, key, len, value);
		break;
	case OP_MAP_UPDATE:
		return tmap_update(m, key, len, value, op->flags);
	case OP_MAP_DELETE:
		return tmap_delete(m, key, len);
	case OP_LIST_LOOKUP:
		err = tlist_lookup(l, key, len, value);
		break;
	case OP_LIST_UPDATE:
		return tlist_update(l, key, len, value, op->flags);
	case OP_LIST_DELETE:
		return tlist_delete(l, key, len);
	case OP_ALLOC:
		p = ffkx_malloc(len);
		op->value[0] = (__u64)p;
		if (!p)
			return -ENOMEM;
		/* Stamped with its own address: a free finds out whether anyone else wrote it. */
		if (len >= 8)
			p[0] = STAMP((__u64)p);
		return 0;
	case OP_FREE:
		p = (__u64 __arena *)op->value[0];
		if (len >= 8) {
			if (p[0] != STAMP((__u64)p))
				err = -EFAULT;
			p[0] = 0;
		}
		ffkx_free(p);
		return err;
	default:
		return -EINVAL;
	}
	if (!err)
		for (i = 0; i < VALUE_SIZE / 8; i++)
			((ffkx_heap_word *)op->value)[i] = value[i];
	return err;
}

SEC("syscall")
int test_batch(struct batch_args *args)
{
	struct ffkx_hashmap __arena *m = (struct ffkx_hashmap __arena *)*ffkx_heap_root(ROOT_MAP);
	struct ffkx_list __arena *l = (struct ffkx_list __arena *)*ffkx_heap_root(ROOT_LIST);

	return TEST_BATCH_RUN(args, struct op, run_op(op, m, l));
}

/* The baseline for lookups: the kernel's own hash map with the same key and value sizes. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 16);
	__type(key, __u64[KEY_MAX / 8]);
	__type(value, __u64[VALUE_SIZE / 8]);
} baseline SEC(".maps");

struct bench_args {
	__u32 keys;   /* keys 0..keys-1 */
	__u32 rounds; /* lookups of each */
	__u64 ns;     /* out */
	__u64 found;  /* out */
};

/* Fills both the heap map and the baseline with the benchmark's keys. */
SEC("syscall")
int bench_fill(struct bench_args *args)
{
	__u64 key[KEY_MAX / 8] = {}, value[VALUE_SIZE / 8] = {};
	__u32 i;
	int err;

	for (i = ffkx_loop_from(0); i < args->keys; i++) {
		key[0] = i;
		key[1] = ~(__u64)i;
		value[0] = i;
		err = tmap_update((struct ffkx_hashmap __arena *)*ffkx_heap_root(ROOT_MAP), key, KEY_MAX, value, BPF_ANY);
		if (err)
			return err;
		err = bpf_map_update_elem(&baseline, key, value, BPF_ANY);
		if (err)
			return err;
		cond_break;
	}
	return 0;
}

SEC("syscall")
int bench_lookup_heap(struct bench_args *args)
{
	struct ffkx_hashmap __arena *m = (struct ffkx_hashmap __arena *)*ffkx_heap_root(ROOT_MAP);
	__u64 key[KEY_MAX / 8] = {}, value[VALUE_SIZE / 8], found = 0;
	__u32 i, n = args->keys * args->rounds, keys = args->keys;
	__u64 t0 = bpf_ktime_get_ns();

	if (!keys)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i < n; i++) {
		__u32 k = i % keys;

		key[0] = k;
		key[1] = ~(__u64)k;
		if (!tmap_lookup(m, key, KEY_MAX, value))
			found += value[0] == k;
		cond_break;
	}
	args->ns = bpf_ktime_get_ns() - t0;
	args->found = found;
	return 0;
}

SEC("syscall")
int bench_lookup_baseline(struct bench_args *args)
{
	__u64 key[KEY_MAX / 8] = {}, found = 0, *value;
	__u32 i, n = args->keys * args->rounds, keys = args->keys;
	__u64 t0 = bpf_ktime_get_ns();

	if (!keys)
		return -EINVAL;
	for (i = ffkx_loop_from(0); i < n; i++) {
		__u32 k = i % keys;

		key[0] = k;
		key[1] = ~(__u64)k;
		value = bpf_map_lookup_elem(&baseline, key);
		if (value)
			found += value[0] == k;
		cond_break;
	}
	args->ns = bpf_ktime_get_ns() - t0;
	args->found = found;
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64[5]); /* found, missing, allocated, failed, nested */
} xdp_counts SEC(".maps");

/*
 * XDP: looks the first 16 bytes after the Ethernet header up in the heap map,
 * and allocates and frees a scratch object as a packet handler would.
 */
SEC("xdp")
int xdp_lookup(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ffkx_hashmap __arena *m = (struct ffkx_hashmap __arena *)*ffkx_heap_root(ROOT_MAP);
	__u64 key[KEY_MAX / 8], value[VALUE_SIZE / 8], *counts;
	__u64 __arena *scratch;
	__u32 zero = 0;
	int found;

	counts = bpf_map_lookup_elem(&xdp_counts, &zero);
	if (!counts || data + 14 + KEY_MAX > end)
		return XDP_ABORTED;
	/* This softirq interrupted test_spin on this CPU, in the middle of its allocations. */
	if (*ffkx_heap_root(ROOT_BUSY) == bpf_get_smp_processor_id() + 1)
		__sync_fetch_and_add(&counts[4], 1);
	__builtin_memcpy(key, data + 14, KEY_MAX);
	found = !m ? 0 : !tmap_lookup(m, key, KEY_MAX, value);
	__sync_fetch_and_add(&counts[found ? 0 : 1], 1);
	scratch = ffkx_malloc(VALUE_SIZE);
	if (scratch) {
		scratch[0] = found;
		ffkx_free(scratch);
		__sync_fetch_and_add(&counts[2], 1);
	} else {
		__sync_fetch_and_add(&counts[3], 1);
	}
	return found ? XDP_PASS : XDP_DROP;
}

struct spin_args {
	__u64 ns;     /* in: how long to run */
	__u64 pairs;  /* out: alloc/free pairs done */
	__u64 broken; /* out: objects written by someone else while held */
};

/*
 * Allocates, stamps, looks up and frees for a while, advertising the CPU in a
 * root slot so that a softirq program (xdp_lookup in generic mode) running on
 * the same CPU can tell it interrupted this.
 */
SEC("syscall")
int test_spin(struct spin_args *args)
{
	struct ffkx_hashmap __arena *m = (struct ffkx_hashmap __arena *)*ffkx_heap_root(ROOT_MAP);
	__u64 end = bpf_ktime_get_ns() + args->ns, pairs = 0, broken = 0;
	__u64 key[KEY_MAX / 8] = {}, value[VALUE_SIZE / 8];

	*ffkx_heap_root(ROOT_BUSY) = bpf_get_smp_processor_id() + 1;
	while (bpf_ktime_get_ns() < end) {
		__u64 __arena *p = ffkx_malloc(VALUE_SIZE);

		if (!p)
			break;
		p[0] = STAMP((__u64)p);
		key[0] = pairs;
		tmap_lookup(m, key, KEY_MAX, value);
		if (p[0] != STAMP((__u64)p))
			broken++;
		ffkx_free(p);
		pairs++;
		cond_break;
	}
	*ffkx_heap_root(ROOT_BUSY) = 0;
	args->pairs = pairs;
	args->broken = broken;
	return 0;
}

FFKX_LICENSE;
