/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDP echo for memcached over UDP: the ceiling of the UDP path. It answers every request to
 * `port` straight from the driver with XDP_TX, so what it reaches is what the client and the veth
 * can carry with no server at all. The answer is the smallest a memcached client accepts as one:
 * the request's frame header (same request id, one datagram) and "END\r\n" for a get (a miss) or
 * "STORED\r\n" for anything else.
 */
#include <ffkx/packet.h>

#define MC_FRAME_HEADER 8
#ifndef ETH_ALEN
#define ETH_ALEN 6
#endif

/* The UDP port to answer, in host order; set before load. */
const volatile __u16 port = 11211;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} echoed SEC(".maps");

static __always_inline __u16 ip_checksum(struct iphdr *ip)
{
	__u16 *words = (__u16 *)ip;
	__u32 sum = 0;

	ip->check = 0;
#pragma unroll
	for (int i = 0; i < (int)(sizeof(*ip) / 2); i++)
		sum += words[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

SEC("xdp")
int xdp_echo(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__u8 *payload = (void *)(udp + 1);
	__u8 mac[ETH_ALEN];
	__u32 zero = 0, addr;
	__u16 reply_len, old_len, sport;
	__u64 *count;

	if ((void *)(payload + MC_FRAME_HEADER + 4) > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP ||
	    (ip->frag_off & bpf_htons(0x3fff)) || udp->dest != bpf_htons(port))
		return XDP_PASS;

	old_len = (__u16)(end - (void *)payload);
	if (payload[8] == 'g' && payload[9] == 'e' && payload[10] == 't' && payload[11] == ' ') {
		reply_len = 5;
		if ((void *)(payload + MC_FRAME_HEADER + 5) > end)
			return XDP_PASS;
		__builtin_memcpy(payload + MC_FRAME_HEADER, "END\r\n", 5);
	} else {
		reply_len = 8;
		if ((void *)(payload + MC_FRAME_HEADER + 8) > end)
			return XDP_PASS;
		__builtin_memcpy(payload + MC_FRAME_HEADER, "STORED\r\n", 8);
	}
	/* Keep the request id (bytes 0-1); sequence 0 of 1 datagram, reserved 0. */
	payload[2] = 0;
	payload[3] = 0;
	payload[4] = 0;
	payload[5] = 1;
	payload[6] = 0;
	payload[7] = 0;

	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->ttl = 64;
	ip->tot_len = bpf_htons(sizeof(*ip) + sizeof(*udp) + MC_FRAME_HEADER + reply_len);
	ip->check = ip_checksum(ip);
	sport = udp->source;
	udp->source = udp->dest;
	udp->dest = sport;
	udp->len = bpf_htons(sizeof(*udp) + MC_FRAME_HEADER + reply_len);
	udp->check = 0; /* optional for IPv4 */

	if (bpf_xdp_adjust_tail(ctx, (int)(MC_FRAME_HEADER + reply_len) - (int)old_len))
		return XDP_ABORTED;
	count = bpf_map_lookup_elem(&echoed, &zero);
	if (count)
		(*count)++;
	return XDP_TX;
}

FFKX_LICENSE;
