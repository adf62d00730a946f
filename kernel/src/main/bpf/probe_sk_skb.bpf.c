/* sk_skb probe: a verdict program that attaches to a SOCKHASH. */
#include <ffkx/common.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u64);
} probe_socks SEC(".maps");

SEC("sk_skb/stream_verdict")
int probe_sk_skb(struct __sk_buff *skb)
{
	return SK_PASS;
}

FFKX_LICENSE;
