/**
 * ffkx-load: a closed-loop load generator for memcached (text protocol over TCP and UDP) and Redis
 * (RESP over TCP), on Netty's native epoll transport. Its options follow memtier_benchmark's so
 * that habits carry over, and it adds what memtier lacks and the comparisons need: UDP, with every
 * timeout and late reply counted, and {@code --verify}, which checks each GET against the value
 * this run last stored under that key.
 */
package dev.ffkx.bench.load;
