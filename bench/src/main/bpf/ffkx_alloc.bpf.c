/* SPDX-License-Identifier: GPL-2.0 */
/* The heap allocator: an ffkx_malloc / ffkx_free pair of a 96-byte object (key + value). */
#include "bench.h"
#include <ffkx/alloc.h>

SEC("syscall")
int alloc_alloc_free(struct bench_args *args)
{
	struct bench_batch b;
	__u64 size = sizeof(struct bench_key) + sizeof(struct bench_value);

	barrier_var(size);
	if (bench_begin(&b, args))
		return -EINVAL;
	while (bench_next(&b)) {
		void __arena *p = ffkx_malloc(size);

		if (!p)
			return -ENOMEM;
		ffkx_free(p);
		b.hits++;
	}
	return bench_end(&b);
}

FFKX_LICENSE;
