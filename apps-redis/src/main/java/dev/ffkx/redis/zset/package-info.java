/**
 * Redis sorted sets, the Java side: {@link dev.ffkx.redis.zset.Scores} parses and prints scores as
 * Redis 7.0 does (strtod, "%.17g"), and {@link dev.ffkx.redis.zset.ZsetSlowPath} answers every Z*
 * command the kernel fast path leaves to user space, through the kernel executor (rd_zset.h) in
 * syscall mode, where scores travel as IEEE-754 bits.
 */
package dev.ffkx.redis.zset;
