package dev.ffkx.bench.net;

import java.util.ArrayList;
import java.util.List;

/** The reference servers, configured as DESIGN.md measured them. */
public final class RealServers {
    private RealServers() {}

    /** memcached with two worker threads, TCP and UDP on the same port. */
    public static ServerUnderTest memcached() {
        return ServerUnderTest.process("memcached -t 2", e -> memcachedCommand(e.address(), e.port()));
    }

    /** redis-server without persistence. */
    public static ServerUnderTest redis() {
        return ServerUnderTest.process("redis-server", e -> redisCommand(e.address(), e.port()));
    }

    public static List<String> memcachedCommand(String address, int port) {
        List<String> cmd = new ArrayList<>(List.of("memcached", "-t", "2", "-l", address, "-p", String.valueOf(port),
                "-U", String.valueOf(port), "-m", "1024", "-c", "4096"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "root"));
        }
        return cmd;
    }

    public static List<String> redisCommand(String address, int port) {
        return List.of("redis-server", "--bind", address, "--port", String.valueOf(port), "--save", "",
                "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no", "--logfile", "");
    }
}
