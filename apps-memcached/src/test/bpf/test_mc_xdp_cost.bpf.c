/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcached object with a wrapper for measuring the UDP fast path with test_run's repeat.
 *
 * test_run does not reset the packet between repeats, and mc_xdp turns a request into its reply;
 * so mc_cost_serve writes the request back after each run, and mc_cost_restore does only that, so
 * its time can be subtracted. Each returned action is counted, to tell what was measured.
 */
#include "memcached.bpf.c"

#define MC_COST_FRAME 256

struct mc_cost_frame {
	__u32 len;
	__u8 b[MC_COST_FRAME];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mc_cost_frame);
} mc_cost_frame SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} mc_cost_actions SEC(".maps");

/* Puts the request frame back; 0, or -1 when it could not. */
static __always_inline int mc_cost_put_back(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct mc_cost_frame *f = bpf_map_lookup_elem(&mc_cost_frame, &zero);
	__u32 len, cur = ctx->data_end - ctx->data;

	if (!f)
		return -1;
	len = f->len;
	if (len == 0 || len > MC_COST_FRAME)
		return -1;
	/* always called, also when the size is right, so both programs pay for it */
	if (bpf_xdp_adjust_tail(ctx, (int)len - (int)cur))
		return -1;
	return bpf_xdp_store_bytes(ctx, 0, f->b, len) ? -1 : 0;
}

static __always_inline void mc_cost_count(__u32 action)
{
	__u64 *n = bpf_map_lookup_elem(&mc_cost_actions, &action);

	if (n)
		(*n)++;
}

SEC("xdp")
int mc_cost_serve(struct xdp_md *ctx)
{
	int action = mc_udp_serve(ctx);

	mc_cost_count(action & 7);
	return mc_cost_put_back(ctx) ? XDP_ABORTED : action;
}

SEC("xdp")
int mc_cost_restore(struct xdp_md *ctx)
{
	mc_cost_count(XDP_TX);
	return mc_cost_put_back(ctx) ? XDP_ABORTED : XDP_TX;
}
