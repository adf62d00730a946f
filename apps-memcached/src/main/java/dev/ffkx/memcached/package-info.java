/**
 * The memcached offload: an authoritative memcached store in the extension heap. The kernel side
 * (src/main/bpf) parses and executes the common commands in XDP; {@link dev.ffkx.memcached.MemcachedKernel}
 * loads it and gives the Java slow path the same engine, on the same heap, through a syscall program.
 */
package dev.ffkx.memcached;
