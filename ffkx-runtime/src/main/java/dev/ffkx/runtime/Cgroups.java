package dev.ffkx.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the cgroup-v2 hierarchy. It is not always at /sys/fs/cgroup: /proc/mounts says where. */
public final class Cgroups {
    private Cgroups() {}

    /** The mount point of the cgroup2 file system, if one is mounted. */
    public static Optional<Path> v2Root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    return Optional.of(Path.of(f[1].replace("\\040", " ")));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/mounts", e);
        }
    }
}
