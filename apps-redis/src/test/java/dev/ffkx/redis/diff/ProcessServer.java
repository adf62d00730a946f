package dev.ffkx.redis.diff;

import dev.ffkx.runtime.diff.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A Redis-compatible server run as a child process on a free port of 127.0.0.1, ready once it
 * answers PING: redis-server ({@link RedisServer}), or the offload as a command, e.g.
 * <pre>{@code
 * new ProcessServer("ffkx --kredis", port -> List.of("bin/ffkx", "--kredis", "--port", Integer.toString(port)))
 * }</pre>
 */
public final class ProcessServer implements ServerUnderTest {
    private static final String HOST = "127.0.0.1";

    private final String name;
    private final IntFunction<List<String>> command;
    private final Duration startTimeout;
    private int port;
    private ServerProcess process;

    /** @param command the command line that serves on the given port */
    public ProcessServer(String name, IntFunction<List<String>> command, Duration startTimeout) {
        this.name = name;
        this.command = command;
        this.startTimeout = startTimeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                port = probe.getLocalPort();
            }
            try {
                process = ServerProcess.start(name.replace(' ', '-'), command.apply(port), this::answers, startTimeout);
                return;
            } catch (IOException e) {
                // Another process may have taken the port between our probe and the server's bind.
                last = e;
            }
        }
        throw last;
    }

    @Override
    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write(Resp.command("PING"));
            byte[] pong = Resp.ascii("+PONG\r\n");
            InputStream in = s.getInputStream();
            return Arrays.equals(in.readNBytes(pong.length), pong);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " on " + HOST + ":" + port;
    }
}
