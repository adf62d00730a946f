/**
 * The Redis offload: a keyspace in the extension heap served at sk_skb ({@code redis.bpf.o}) and
 * a Java slow path on the same socket and the same heap, speaking RESP2 as Redis 7.0 does.
 */
package dev.ffkx.redis;
