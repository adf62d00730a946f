/* Builds a singly linked list in an arena, for Java to walk through the mmapped heap. */
#include <ffkx/common.h>
#include <ffkx/loop.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 64);
} heap SEC(".maps");

struct list_node {
	struct list_node __arena *next;
	__u64 value;
};

struct build_args {
	__u32 count;
	__u32 pad;
	__u64 head; /* out: heap address of the first node */
};

SEC("syscall")
int build_list(struct build_args *args)
{
	__u32 count = args->count;
	__u32 pages = (count * sizeof(struct list_node) + 4095) / 4096;
	struct list_node __arena *nodes;
	struct list_node __arena *head = NULL;
	__u32 i;

	if (!count || pages > 32)
		return -E2BIG;
	nodes = bpf_arena_alloc_pages(&heap, NULL, pages, NUMA_NO_NODE, 0);
	if (!nodes)
		return -ENOMEM;
	/* Built back to front so the list reads 0, 1, 2, ... from the head. */
	for (i = count; i > 0; i--) {
		struct list_node __arena *n = &nodes[i - 1];

		n->value = (i - 1) * 3;
		n->next = head;
		head = n;
		cond_break;
	}
	if (i)
		return -ECANCELED;
	args->head = (__u64)head;
	return 0;
}

FFKX_LICENSE;
