package dev.ffkx.redis;

import java.util.List;

/**
 * Runs one command through the kernel engine (rd_run, RD_MODE_SYSCALL) on the offload's heap: the
 * reply, or null when the engine leaves the command to Java (see {@link RedisKernel#run}).
 */
@FunctionalInterface
public interface KernelCall {
    byte[] call(List<byte[]> argv);
}
