/* rqspinlock probe: take and release a bpf_res_spin_lock held in a map value. */
#include <ffkx/common.h>

struct probe_lock {
	struct bpf_res_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_lock);
} probe_locks SEC(".maps");

SEC("xdp")
int probe_res_spin_lock(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct probe_lock *l = bpf_map_lookup_elem(&probe_locks, &key);

	if (!l || bpf_res_spin_lock(&l->lock))
		return XDP_ABORTED;
	bpf_res_spin_unlock(&l->lock);
	return XDP_PASS;
}

FFKX_LICENSE;
