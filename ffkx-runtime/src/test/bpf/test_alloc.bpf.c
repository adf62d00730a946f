/*
 * Drives the allocator from Java: a batch of allocations and frees, each
 * allocation stamped at both ends with its own address so that a later free
 * can tell whether anyone else wrote over it.
 */
#include "test_batch.h"

enum { OP_ALLOC = 1, OP_FREE = 2, OP_ZALLOC = 3 };
enum { R_OK = 0, R_NULL = 1, R_STAMP = 2, R_DIRTY = 3, R_CANCELED = 4 };

struct alloc_op {
	__u32 op;
	__u32 result;
	__u64 size;
	__u64 addr; /* in for OP_FREE, out for OP_ALLOC and OP_ZALLOC */
};

#define STAMP(addr) ((addr) ^ 0x5a5a5a5a5a5a5a5aULL)

static __always_inline void stamp_ends(__u64 __arena *p, __u64 size, __u64 v)
{
	p[0] = v;
	if (size >= 16)
		*(__u64 __arena *)((char __arena *)p + ((size - 8) & ~7ULL)) = v;
}

static __always_inline bool stamped_ends(__u64 __arena *p, __u64 size, __u64 v)
{
	if (p[0] != v)
		return false;
	return size < 16 || *(__u64 __arena *)((char __arena *)p + ((size - 8) & ~7ULL)) == v;
}

static __always_inline bool zeroed(__u64 __arena *p, __u64 size)
{
	__u64 i, words = size / 8;

	for (i = ffkx_loop_from(0); i < words; i++) {
		if (p[i])
			return false;
		cond_break;
	}
	return i == words;
}

SEC("syscall")
int alloc_batch(struct batch_args *args)
{
	struct alloc_op __arena *ops = (struct alloc_op __arena *)args->ops;
	__u32 i, n = args->count;
	__u64 t0 = bpf_ktime_get_ns();

	for (i = ffkx_loop_from(0); i < n; i++) {
		struct alloc_op __arena *op = &ops[i];
		__u64 __arena *p;

		if (op->op == OP_ALLOC) {
			p = ffkx_malloc(op->size);
			op->addr = (__u64)p;
			op->result = p ? R_OK : R_NULL;
			if (p && op->size >= 8)
				stamp_ends(p, op->size, STAMP((__u64)p));
		} else if (op->op == OP_ZALLOC) {
			int err = 0;

			p = ffkx_zalloc(op->size, &err);
			op->addr = (__u64)p;
			if (!p)
				op->result = err == -ECANCELED ? R_CANCELED : R_NULL;
			else
				op->result = zeroed(p, op->size) ? R_OK : R_DIRTY;
			if (p && op->size >= 8)
				stamp_ends(p, op->size, STAMP((__u64)p));
		} else {
			p = (__u64 __arena *)op->addr;
			op->result = R_OK;
			/* Only sizes the allocator handed out are checked: bad-input ops pass size 0. */
			if (op->size >= 8 && !stamped_ends(p, op->size, STAMP((__u64)p)))
				op->result = R_STAMP;
			if (op->size >= 8)
				stamp_ends(p, op->size, 0);
			ffkx_free(p);
		}
		cond_break;
	}
	args->done = i;
	args->ns = bpf_ktime_get_ns() - t0;
	return i == n ? 0 : -ECANCELED;
}

struct bench_args {
	__u64 size;
	__u32 pairs;
	__u32 done;
	__u64 ns;
};

/* Alloc+free pairs of one size, timed in the kernel: the allocator's fast path. */
SEC("syscall")
int alloc_bench(struct bench_args *args)
{
	__u64 size = args->size, t0 = bpf_ktime_get_ns();
	__u32 i, n = args->pairs;

	for (i = ffkx_loop_from(0); i < n; i++) {
		void __arena *p = ffkx_malloc(size);

		if (!p)
			break;
		ffkx_free(p);
		cond_break;
	}
	args->ns = bpf_ktime_get_ns() - t0;
	args->done = i;
	return 0;
}

FFKX_LICENSE;
