package dev.ffkx.redis.diff;

import dev.ffkx.runtime.diff.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real redis-server (the Debian package's, 7.0) started for one test on a free port of
 * 127.0.0.1 with persistence off, never the system service.
 */
public final class RedisServer implements ServerUnderTest {
    private static final String BINARY = "/usr/bin/redis-server";
    private static final String HOST = "127.0.0.1";

    private final String name;
    private final List<String> extraArgs;
    private int port;
    private ServerProcess process;

    /** @param extraArgs more options, as redis-server takes them on its command line ("--maxmemory", "1mb") */
    public RedisServer(String name, String... extraArgs) {
        this.name = name;
        this.extraArgs = List.of(extraArgs);
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
            List<String> cmd = new ArrayList<>(List.of(BINARY, "--bind", HOST, "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
                    System.getProperty("java.io.tmpdir")));
            cmd.addAll(extraArgs);
            try {
                process = ServerProcess.start("redis-server-" + name, cmd, this::answers, Duration.ofSeconds(10));
                return;
            } catch (IOException e) {
                // Another process may have taken the port between our probe and redis-server's bind.
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
        return name + " (redis-server " + String.join(" ", extraArgs) + " on " + HOST + ":" + port + ")";
    }
}
