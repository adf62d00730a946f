/* Shared by the heap tests: batches of operations that Java writes into the heap. */
#ifndef TEST_BATCH_H
#define TEST_BATCH_H

#include <ffkx/alloc.h>

struct batch_args {
	__u64 ops;   /* heap address of the first operation */
	__u32 count; /* operations to run */
	__u32 done;  /* out: operations run (fewer only if the loop was cancelled) */
	__u64 ns;    /* out: time spent in the loop */
};

struct buffer_args {
	__u64 size; /* in: bytes */
	__u64 addr; /* out: heap address, 0 if the heap is full */
};

/*
 * The loop of a batch program: for each of args->count operations of type OP_T, from the heap
 * address args->ops, sets op->result to RUN (an expression over op), and reports how many ran
 * and how long they took. Evaluates to 0, or -ECANCELED when the loop budget ran out.
 */
#define TEST_BATCH_RUN(args, OP_T, RUN)						\
	({									\
		OP_T __arena *__ops = (OP_T __arena *)(args)->ops;		\
		__u32 __i, __n = (args)->count;					\
		__u64 __t0 = bpf_ktime_get_ns();				\
										\
		for (__i = ffkx_loop_from(0); __i < __n; __i++) {		\
			OP_T __arena *op = &__ops[__i];				\
										\
			op->result = (RUN);					\
			cond_break;						\
		}								\
		(args)->done = __i;						\
		(args)->ns = bpf_ktime_get_ns() - __t0;				\
		__i == __n ? 0 : -ECANCELED;					\
	})

/* Room in the heap for Java to write operations into. */
SEC("syscall")
int test_buffer(struct buffer_args *args)
{
	args->addr = (__u64)ffkx_malloc(args->size);
	return 0;
}

#endif /* TEST_BATCH_H */
