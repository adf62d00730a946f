/**
 * What every differential test harness shares, whatever protocol it speaks: a TCP connection that
 * pipelines and splits requests at random bytes, the report of what differed, reference server
 * processes, and bytes shown readably. The protocols' harnesses ({@code dev.ffkx.memcached.diff},
 * {@code dev.ffkx.redis.diff}) build on it through this module's test-jar.
 */
package dev.ffkx.runtime.diff;
