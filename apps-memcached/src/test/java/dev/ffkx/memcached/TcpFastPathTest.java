package dev.ffkx.memcached;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.net.Interfaces;
import dev.ffkx.runtime.stream.StreamOffloadServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sk_skb fast path of ffkx --kmemcached: what the kernel runs, and the order replies leave in. */
@ExtendWith(NoLeftovers.class)
class TcpFastPathTest {
    private static MemcachedOffload offload;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        offload = MemcachedOffload.start(new MemcachedOffload.Options(Interfaces.ifindex("lo"), port, 64L << 20,
                1 << 20, XdpMode.GENERIC));
    }

    @AfterAll
    static void stop() {
        if (offload != null) {
            offload.close();
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        return s;
    }

    /**
     * A pipeline of stores, then pipelines of gets, each written whole on a fresh connection: every
     * command is one the engine takes, so the slow path answers none of them, whichever way the
     * kernel delivers the replies.
     */
    @Test
    void pipelinesOfGetsRunInTheKernel() throws IOException {
        StreamOffloadServer.Stats before = offload.tcpStats();
        StringBuilder sets = new StringBuilder(), stored = new StringBuilder();
        StringBuilder gets = new StringBuilder(), values = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            String key = "hit:" + i, value = "v".repeat(32 - 2) + String.format("%02d", i);
            sets.append("set ").append(key).append(" 0 0 32\r\n").append(value).append("\r\n");
            stored.append("STORED\r\n");
            gets.append("get ").append(key).append("\r\n");
            values.append("VALUE ").append(key).append(" 0 32\r\n").append(value).append("\r\nEND\r\n");
        }
        try (Socket s = connect()) {
            exchange(s, sets.toString(), stored.toString());
            for (int i = 0; i < 200; i++) {
                exchange(s, gets.toString(), values.toString());
            }
        }
        StreamOffloadServer.Stats after = offload.tcpStats();
        assertEquals(0, after.slowCommands() - before.slowCommands(), "the slow path answered none of 3216 commands");
    }

    private static void exchange(Socket s, String request, String reply) throws IOException {
        s.getOutputStream().write(ascii(request));
        assertEquals(reply, new String(s.getInputStream().readNBytes(reply.length()), StandardCharsets.ISO_8859_1));
    }

    /** One command and the exact reply it must get; slow ones only user space answers. */
    private record Command(String request, String reply, boolean slow, int replies) {}

    private static Command command(Random rnd, String id) {
        String key = "o:" + id;
        switch (rnd.nextInt(16)) {
            case 0: case 6: case 7: case 8: case 9: {
                String v = "x" + id;
                return new Command("set " + key + " 0 0 " + v.length() + "\r\n" + v + "\r\nget " + key + "\r\n",
                        "STORED\r\nVALUE " + key + " 0 " + v.length() + "\r\n" + v + "\r\nEND\r\n", false, 2);
            }
            case 1: {
                String v = "L".repeat(3000) + id; // larger than the engine's buffer: the slow path stores and reads it
                return new Command("set " + key + " 7 0 " + v.length() + "\r\n" + v + "\r\nget " + key + "\r\n",
                        "STORED\r\nVALUE " + key + " 7 " + v.length() + "\r\n" + v + "\r\nEND\r\n", true, 2);
            }
            case 2:
                return new Command("version\r\n", "VERSION 1.6.18-ffkx\r\n", true, 1);
            case 3: case 10: case 11: case 12:
                return new Command("get missing:" + id + "\r\n", "END\r\n", false, 1);
            case 4: case 13: case 14:
                return new Command("set n:" + id + " 0 0 1 noreply\r\n5\r\nincr n:" + id + " 37\r\n", "42\r\n", false, 1);
            default:
                return new Command("delete missing:" + id + "\r\n", "NOT_FOUND\r\n", false, 1);
        }
    }

    /**
     * Pipelines mixing commands the kernel runs with commands only user space answers, cut at
     * random bytes into separate writes: every reply comes back, in request order.
     */
    @Test
    void fastAndSlowCommandsInterleavedKeepTheirOrder() throws IOException {
        Random rnd = new Random(7);
        StreamOffloadServer.Stats before = offload.tcpStats();
        int replies = 0, slow = 0;
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int batch = 0; batch < 400; batch++) {
                ByteArrayOutputStream req = new ByteArrayOutputStream(), rep = new ByteArrayOutputStream();
                int depth = 1 + rnd.nextInt(24);
                for (int i = 0; i < depth; i++) {
                    Command c = command(rnd, batch + "." + i);
                    req.writeBytes(ascii(c.request()));
                    rep.writeBytes(ascii(c.reply()));
                    slow += c.slow() ? c.replies() : 0;
                    replies += c.replies();
                }
                byte[] r = req.toByteArray();
                for (int at = 0; at < r.length; ) {
                    int n = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(r.length - at) : r.length - at;
                    out.write(r, at, n);
                    out.flush();
                    at += n;
                }
                byte[] expected = rep.toByteArray();
                assertArrayEquals(expected, in.readNBytes(expected.length), "batch " + batch);
            }
        }
        StreamOffloadServer.Stats after = offload.tcpStats();
        long answeredUp = after.slowCommands() - before.slowCommands();
        assertTrue(answeredUp >= slow, "every slow command went up (" + answeredUp + " of " + replies + " replies)");
        assertTrue(answeredUp < replies, "the kernel ran a share of the commands (user space answered "
                + answeredUp + " of " + replies + ")");
        assertTrue(after.kernelDelivered() > before.kernelDelivered(), "some kernel replies went through user space");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
