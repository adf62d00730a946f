/* Arena probe: allocate a heap page and write through an __arena pointer. */
#include <ffkx/common.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
} probe_heap SEC(".maps");

SEC("syscall")
int probe_arena(void *ctx)
{
	__u64 __arena *page = bpf_arena_alloc_pages(&probe_heap, NULL, 1, NUMA_NO_NODE, 0);

	if (!page)
		return -ENOMEM;
	*page = 42;
	return *page == 42 ? 0 : -EINVAL;
}

FFKX_LICENSE;
