/* cgroup probes: a sockops program and a cgroup_skb program that change nothing. */
#include <ffkx/common.h>

SEC("sockops")
int probe_sockops(struct bpf_sock_ops *ops)
{
	return 1;
}

SEC("cgroup_skb/ingress")
int probe_cgroup_skb(struct __sk_buff *skb)
{
	return 1; /* allow */
}

FFKX_LICENSE;
