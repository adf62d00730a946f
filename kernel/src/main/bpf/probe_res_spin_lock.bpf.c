/* rqspinlock probe: take and release a lock of the library's lock stripes (lock.h). */
#include <ffkx/lock.h>

SEC("xdp")
int probe_res_spin_lock(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct ffkx_lock *l = bpf_map_lookup_elem(&ffkx_locks, &key);
	unsigned long irq;

	if (!l || ffkx_lock(l, &irq))
		return XDP_ABORTED;
	ffkx_unlock(l, &irq);
	return XDP_PASS;
}

FFKX_LICENSE;
