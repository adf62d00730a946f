/*
 * XDP probe: loads for "bpf", attaches native and generic for the XDP rows. It counts what it
 * sees by IP protocol, so the same program also shows packets really flowed (ffkx demo).
 */
#include <ffkx/packet.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} packets_by_proto SEC(".maps");

SEC("xdp")
int probe_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 proto = 0;
	__u64 *count;

	if ((void *)(ip + 1) <= end && eth->h_proto == bpf_htons(ETH_P_IP))
		proto = ip->protocol;
	count = bpf_map_lookup_elem(&packets_by_proto, &proto);
	if (count)
		(*count)++;
	return XDP_PASS;
}

FFKX_LICENSE;
