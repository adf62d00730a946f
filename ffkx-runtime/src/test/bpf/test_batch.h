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

/* Room in the heap for Java to write operations into. */
SEC("syscall")
int test_buffer(struct buffer_args *args)
{
	args->addr = (__u64)ffkx_malloc(args->size);
	return 0;
}

#endif /* TEST_BATCH_H */
