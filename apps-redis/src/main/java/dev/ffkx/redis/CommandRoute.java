package dev.ffkx.redis;

import java.util.List;

/**
 * The slow path of a family of commands kept outside this package, such as the sorted sets of
 * {@code ffkx --kredis}: given a command the table knows and whose arity is right, its reply.
 */
@FunctionalInterface
public interface CommandRoute {
    byte[] execute(List<byte[]> argv, KernelCall kernel);
}
