/* BTF probe: a CO-RE relocation that only resolves against the running kernel's BTF. */
#include <ffkx/common.h>
#include <bpf/bpf_core_read.h>

SEC("xdp")
int probe_btf(struct xdp_md *ctx)
{
	return bpf_core_field_exists(struct xdp_buff, data_hard_start) ? XDP_PASS : XDP_ABORTED;
}

FFKX_LICENSE;
