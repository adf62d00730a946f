/* SPDX-License-Identifier: GPL-2.0 */
/* Packet header constants that vmlinux.h, being types only, does not carry. */
#ifndef FFKX_PACKET_H
#define FFKX_PACKET_H

#include "common.h"

#define ETH_ALEN   6
#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

/* The IPv4 header checksum, for a header without options. */
static __always_inline __u16 ffkx_ipv4_checksum(struct iphdr *ip)
{
	__u16 *w = (__u16 *)ip;
	__u32 sum = 0;
	int i;

	ip->check = 0;
	for (i = 0; i < 10; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/*
 * Turns a received IPv4/UDP frame into the reply to it, to go back out with XDP_TX: swaps
 * the MAC and IP addresses and the ports, and sets the lengths for a UDP payload of
 * payload_len bytes. The UDP checksum is left out, which IPv4 allows.
 */
static __always_inline void ffkx_udp_turnaround(struct ethhdr *eth, struct iphdr *ip, struct udphdr *udp,
						__u32 payload_len)
{
	__u8 mac[ETH_ALEN];
	__be32 addr;
	__be16 port;

	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->tot_len = bpf_htons(sizeof(*ip) + sizeof(*udp) + payload_len);
	ip->ttl = 64;
	ip->check = ffkx_ipv4_checksum(ip);
	port = udp->source;
	udp->source = udp->dest;
	udp->dest = port;
	udp->len = bpf_htons(sizeof(*udp) + payload_len);
	udp->check = 0;
}

#endif /* FFKX_PACKET_H */
