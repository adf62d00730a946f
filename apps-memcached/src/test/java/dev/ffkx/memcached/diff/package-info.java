/**
 * A differential test harness that holds a memcached reimplementation (ffkx's in-kernel store)
 * to real memcached 1.6, reply byte for reply byte.
 *
 * <p>A seeded {@link dev.ffkx.memcached.diff.CommandGenerator} writes a long run of text-protocol
 * commands, well-formed and malformed; a {@link dev.ffkx.memcached.diff.DiffSession} plays it
 * against two {@link dev.ffkx.memcached.diff.ServerUnderTest}s in lockstep, over TCP (random
 * pipelines, requests split at random bytes) or UDP (memcached's frame header, one command per
 * datagram), and a {@link dev.ffkx.runtime.diff.DiffReport} lists what differed. The reference
 * is {@link dev.ffkx.memcached.diff.MemcachedServer}; a server under test implements the same
 * interface.
 *
 * <p>TCP replies carry nothing that ties them to their request, so the harness carries a model
 * of memcached's request parser ({@code RequestModel}) that says how many replies each command
 * gets, and checks it against the reference on every batch. Its rules, and the generator's list
 * of what it avoids, document memcached's behaviour for whoever reimplements it.
 */
package dev.ffkx.memcached.diff;
