package dev.ffkx.cli;

import dev.ffkx.runtime.net.VethSandbox;
import java.io.IOException;
import java.util.List;

/**
 * ffkx --kmemcached as its own process on the host end of a fresh veth sandbox, on a free port.
 * Closing kills the processes, then removes the sandbox.
 */
final class SandboxedMemcached implements AutoCloseable {
    final VethSandbox sandbox;
    final int port;
    private final FfkxProcesses ffkx = new FfkxProcesses();

    SandboxedMemcached() throws IOException {
        sandbox = VethSandbox.create();
        try {
            port = Ports.free();
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /** Starts ffkx --kmemcached (XDP generic) and waits for its ready line, or its exit. */
    Process start(List<String> out) throws IOException, InterruptedException {
        return ffkx.start(out, "--kmemcached", "--ifindex", Integer.toString(sandbox.hostIfindex()),
                "--port", Integer.toString(port), "--xdp-mode", "generic", "--heap", "128m", "--stats-interval", "1");
    }

    @Override
    public void close() throws InterruptedException {
        try {
            ffkx.close();
        } finally {
            sandbox.close();
        }
    }
}
