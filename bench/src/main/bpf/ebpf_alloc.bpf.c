/* SPDX-License-Identifier: GPL-2.0 */
/* Baseline allocator: a bpf_obj_new / bpf_obj_drop pair of a 96-byte object (key + value). */
#include "bench.h"
#include "ebpf_graph.h"

struct alloc_object {
	struct bench_key key;
	struct bench_value value;
};

SEC("syscall")
int alloc_alloc_free(struct bench_args *args)
{
	struct bench_batch b;

	if (bench_begin(&b, args))
		return -EINVAL;
	while (bench_next(&b)) {
		struct alloc_object *o = bpf_obj_new(struct alloc_object);

		if (!o)
			return -ENOMEM;
		bpf_obj_drop(o);
		b.hits++;
	}
	return bench_end(&b);
}

FFKX_LICENSE;
