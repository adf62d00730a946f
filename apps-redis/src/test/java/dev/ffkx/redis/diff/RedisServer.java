package dev.ffkx.redis.diff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server (the Debian package's, 7.0) started for one test on a free port of
 * 127.0.0.1 with persistence off, never the system service.
 */
public final class RedisServer implements ServerUnderTest {
    private final ProcessServer process;

    /** @param extraArgs more options, as redis-server takes them on its command line ("--maxmemory", "1mb") */
    public RedisServer(String name, String... extraArgs) {
        this.process = new ProcessServer(name, port -> {
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-server", "--bind", "127.0.0.1", "--port",
                    Integer.toString(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir",
                    System.getProperty("java.io.tmpdir")));
            cmd.addAll(List.of(extraArgs));
            return cmd;
        }, Duration.ofSeconds(10));
    }

    @Override
    public String name() {
        return process.name();
    }

    @Override
    public String host() {
        return process.host();
    }

    @Override
    public int port() {
        return process.port();
    }

    @Override
    public void start() throws Exception {
        process.start();
    }

    @Override
    public void stop() {
        process.stop();
    }

    @Override
    public String toString() {
        return "redis-server " + process;
    }
}
