package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server process that stops reading for a while (SIGSTOP, as a long pause would) while clients
 * keep sending: the kernel goes on answering until the announcement ring fills, then hands every
 * request up, and once the process resumes every request gets its reply, in order. Before the
 * back-pressure in sk_stream.h the connections whose announcements did not fit hung for good.
 */
@ExtendWith(NoLeftovers.class)
class StalledServerTest {
    private static final int CONNECTIONS = 1024;
    /** 24,576 writes: ten times the ~2,300 announcements the ring holds. */
    private static final int REQUESTS_PER_CONNECTION = 24;
    /**
     * Between rounds of writes: past the receiver's delayed ACK, so no write waits for one and
     * merges with the next (TCP autocorking), which made as few as half of them skbs.
     */
    private static final long ROUND_GAP_MS = 50;
    private static final int VALUE_BYTES = 1000;
    private static final Pattern UNANNOUNCED = Pattern.compile("unannounced (?:passes )?(\\d+)");

    @Test
    void memcachedAnswersEveryRequestSentWhileItWasStopped() throws Exception {
        byte[] value = value();
        byte[] set = concat(ascii("set k 0 0 " + VALUE_BYTES + "\r\n"), value, ascii("\r\n"));
        byte[] reply = concat(ascii("VALUE k 0 " + VALUE_BYTES + "\r\n"), value, ascii("\r\nEND\r\n"));
        try (SandboxedMemcached ffkx = new SandboxedMemcached()) {
            List<String> out = Collections.synchronizedList(new ArrayList<>()); // read while ffkx runs
            Process p = ffkx.start(out);
            run(p, out, new InetSocketAddress(ffkx.sandbox.hostAddress(), ffkx.port),
                    set, ascii("STORED\r\n"), ascii("get k\r\n"), reply);
        }
    }

    @Test
    void redisAnswersEveryRequestSentWhileItWasStopped() throws Exception {
        byte[] value = value();
        byte[] set = concat(ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + VALUE_BYTES + "\r\n"), value, ascii("\r\n"));
        byte[] reply = concat(ascii("$" + VALUE_BYTES + "\r\n"), value, ascii("\r\n"));
        int port = Ports.free();
        try (FfkxProcesses ffkx = new FfkxProcesses()) {
            List<String> out = Collections.synchronizedList(new ArrayList<>()); // read while ffkx runs
            Process p = ffkx.start(out, "--kredis", "--port", Integer.toString(port), "--heap", "128m",
                    "--stats-interval", "1");
            run(p, out, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    set, ascii("+OK\r\n"), ascii("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), reply);
        }
    }

    /**
     * Stores a value with set on the ffkx process p, stops it, sends each connection's gets one
     * write at a time, resumes it and reads every reply; out is what p printed.
     */
    private static void run(Process p, List<String> out, InetSocketAddress server, byte[] set, byte[] stored,
                            byte[] get, byte[] reply) throws Exception {
        assertTrue(p.isAlive(), printed(out));
        List<Socket> clients = new ArrayList<>();
        try {
            try (Socket s = connect(server)) {
                s.getOutputStream().write(set);
                assertArrayEquals(stored, s.getInputStream().readNBytes(stored.length));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(connect(server));
            }
            signal(p, "STOP");
            try {
                for (int r = 0; r < REQUESTS_PER_CONNECTION; r++) {
                    for (Socket s : clients) {
                        s.getOutputStream().write(get);
                    }
                    Thread.sleep(ROUND_GAP_MS);
                }
            } finally {
                signal(p, "CONT");
            }
            for (int c = 0; c < clients.size(); c++) {
                InputStream in = clients.get(c).getInputStream();
                for (int r = 0; r < REQUESTS_PER_CONNECTION; r++) {
                    try {
                        assertArrayEquals(reply, in.readNBytes(reply.length), "reply " + r + " on connection " + c);
                    } catch (SocketTimeoutException e) {
                        throw new AssertionError("no reply " + r + " on connection " + c + "; ffkx printed:\n"
                                + printed(out), e);
                    }
                }
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        long unannounced = awaitUnannounced(out);
        assertTrue(unannounced > 0, "the ring buffer overflowed while the server was stopped:\n" + printed(out));
    }

    /** The unannounced count of the first stats line that shows one above zero, or 0 after 5 s. */
    private static long awaitUnannounced(List<String> out) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (String line : printed(out).split("\n")) {
                Matcher m = UNANNOUNCED.matcher(line);
                if (line.startsWith("stats:") && m.find() && Long.parseLong(m.group(1)) > 0) {
                    return Long.parseLong(m.group(1));
                }
            }
            Thread.sleep(200);
        }
        return 0;
    }

    private static String printed(List<String> out) {
        synchronized (out) {
            return String.join("\n", out);
        }
    }

    private static Socket connect(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(20_000);
        s.connect(server, 5_000);
        return s;
    }

    private static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal);
    }

    private static byte[] value() {
        byte[] v = new byte[VALUE_BYTES];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) ('a' + i % 26);
        }
        return v;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(b -> b.length).sum()];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        return all;
    }
}
