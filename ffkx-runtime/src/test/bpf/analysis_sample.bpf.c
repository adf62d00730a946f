// SPDX-License-Identifier: GPL-2.0
/*
 * Heap code for the guard-statistics test: a list built in the extension heap, walked, and
 * bumped with atomics, so the compiled program holds casts, plain heap accesses and atomics.
 */
#include <ffkx/common.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16);
} heap SEC(".maps");

struct sample_node {
	__u64 value;
	__u64 hits;
	struct sample_node __arena *next;
};

/* A loop bound the verifier does not have to prove: may_goto ends it. */
#define can_loop ({ __label__ l_break, l_continue; int ret = 1;			\
	asm volatile goto("may_goto %l[l_break]" ::: : l_break);		\
	goto l_continue; l_break: ret = 0; l_continue:; ret; })

SEC("syscall")
int build_and_sum(void *ctx)
{
	struct sample_node __arena *page, *n, *list = NULL;
	__u64 sum = 0;
	int i;

	page = bpf_arena_alloc_pages(&heap, NULL, 1, -1, 0);
	if (!page)
		return 1;
	for (i = 0; i < 8; i++) {
		n = &page[i];
		n->value = i;
		n->hits = 0;
		n->next = list;
		list = n;
	}
	for (n = list; n && can_loop; n = n->next) {
		sum += n->value;
		__sync_fetch_and_add(&n->hits, 1);
	}
	bpf_arena_free_pages(&heap, page, 1);
	return sum == 28 ? 0 : 2;
}

FFKX_LICENSE;
