/**
 * A differential test harness that holds a Redis reimplementation (ffkx's in-kernel store) to a
 * real redis-server 7.0, reply byte for reply byte, and the real-client checks of issue 5.
 *
 * <p>A seeded {@link dev.ffkx.redis.diff.CommandGenerator} writes a long run of commands, right
 * and wrong; a {@link dev.ffkx.redis.diff.DiffSession} plays it against two
 * {@link dev.ffkx.redis.diff.ServerUnderTest}s in lockstep, in pipelines of random depth cut at
 * random bytes, and a {@link dev.ffkx.runtime.diff.DiffReport} lists what differed. RESP replies
 * frame themselves, so unlike memcached's harness this one needs no model of the request parser:
 * every command gets one reply, except the few empty requests Redis skips. Only the replies
 * {@code ReplyComparator} names are normalised. The reference is
 * {@link dev.ffkx.redis.diff.RedisServer}.
 *
 * <p>{@link dev.ffkx.redis.diff.RedisBenchmark} runs redis-benchmark and reads its result;
 * {@link dev.ffkx.redis.diff.ZaddWorkload} runs KFlex's ZADD benchmark against a server and
 * checks the sorted sets it built against redis-server's, given the same recorded commands.
 */
package dev.ffkx.redis.diff;
