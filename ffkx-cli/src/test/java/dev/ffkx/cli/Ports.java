package dev.ffkx.cli;

import java.io.IOException;
import java.net.ServerSocket;

/** Ports for the servers these tests start. */
final class Ports {
    private Ports() {}

    /** A TCP port nothing listens on now: the kernel's pick for a socket bound and closed again. */
    static int free() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
