package dev.ffkx.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.TestRun;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel engine, through the slow path's way in and through the XDP fast path. */
class EngineTest {
    private static final int XDP_PASS = 2, XDP_TX = 3, XDP_DROP = 1;
    private static MemcachedKernel kernel;

    @BeforeAll
    static void load() {
        kernel = MemcachedKernel.load(32L << 20, 11211, 1 << 20);
    }

    @AfterAll
    static void close() {
        kernel.close();
    }

    private static String exec(String request) {
        byte[] reply = kernel.execute(request.getBytes(StandardCharsets.ISO_8859_1));
        return reply == null ? null : new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void storageAndRetrieval() {
        assertEquals("STORED\r\n", exec("set a 5 0 3\r\nabc\r\n"));
        assertEquals("VALUE a 5 3\r\nabc\r\nEND\r\n", exec("get a\r\n"));
        assertEquals("END\r\n", exec("get nope\r\n"));
        assertEquals("NOT_STORED\r\n", exec("add a 0 0 1\r\nx\r\n"));
        assertEquals("NOT_STORED\r\n", exec("replace nope 0 0 1\r\nx\r\n"));
        assertEquals("STORED\r\n", exec("replace a 7 0 2\r\nxy\r\n"));
        assertEquals("STORED\r\n", exec("append a 0 0 2\r\nzz\r\n"));
        assertEquals("STORED\r\n", exec("prepend a 0 0 1\r\n<\r\n"));
        assertEquals("VALUE a 7 5\r\n<xyzz\r\nEND\r\n", exec("get a\r\n"));
        assertEquals("NOT_STORED\r\n", exec("append nope 0 0 1\r\nx\r\n"));
        assertEquals("", exec("set b 0 0 1 noreply\r\nB\r\n"));
        assertEquals("VALUE a 7 5\r\n<xyzz\r\nVALUE b 0 1\r\nB\r\nEND\r\n", exec("get a nope b\r\n"));
        assertEquals("STORED\r\n", exec("set empty 0 0 0\r\n\r\n"));
        assertEquals("VALUE empty 0 0\r\n\r\nEND\r\n", exec("get empty\r\n"));
    }

    @Test
    void casUniques() {
        exec("set c 0 0 1\r\n1\r\n");
        String gets = exec("gets c\r\n");
        assertTrue(gets.startsWith("VALUE c 0 1 "), gets);
        long cas = Long.parseLong(gets.split("\r\n")[0].split(" ")[4]);
        assertEquals("EXISTS\r\n", exec("cas c 0 0 1 " + (cas + 1000) + "\r\n2\r\n"));
        assertEquals("STORED\r\n", exec("cas c 0 0 1 " + cas + "\r\n2\r\n"));
        assertEquals("EXISTS\r\n", exec("cas c 0 0 1 " + cas + "\r\n3\r\n"));
        assertEquals("NOT_FOUND\r\n", exec("cas nope 0 0 1 1\r\n3\r\n"));
    }

    @Test
    void deleteTouchAndExpiry() {
        exec("set d 0 0 1\r\nx\r\n");
        assertEquals("DELETED\r\n", exec("delete d\r\n"));
        assertEquals("NOT_FOUND\r\n", exec("delete d\r\n"));
        assertEquals("STORED\r\n", exec("set gone 0 -1 1\r\nx\r\n"));
        assertEquals("END\r\n", exec("get gone\r\n"));
        exec("set t 0 0 1\r\nx\r\n");
        assertEquals("TOUCHED\r\n", exec("touch t -1\r\n"));
        assertEquals("END\r\n", exec("get t\r\n"));
        assertEquals("NOT_FOUND\r\n", exec("touch t 0\r\n"));
        long past = System.currentTimeMillis() / 1000 - 10;
        assertEquals("STORED\r\n", exec("set abs 0 " + past + " 1\r\nx\r\n"));
        assertEquals("END\r\n", exec("get abs\r\n"));
    }

    @Test
    void arithmetic() {
        exec("set n 0 0 2\r\n10\r\n");
        assertEquals("15\r\n", exec("incr n 5\r\n"));
        assertEquals("9\r\n", exec("decr n 6\r\n"));
        assertEquals("VALUE n 0 2\r\n9 \r\nEND\r\n", exec("get n\r\n"), "memcached pads an in-place result");
        assertEquals("0\r\n", exec("decr n 100\r\n"));
        assertEquals("NOT_FOUND\r\n", exec("incr nope 1\r\n"));
        exec("set big 0 0 20\r\n18446744073709551615\r\n");
        assertEquals("0\r\n", exec("incr big 1\r\n"), "incr wraps at 2^64");
        exec("set word 0 0 3\r\nabc\r\n");
        assertNull(exec("incr word 1\r\n"), "a non-number is the slow path's to answer");
        assertNull(exec("incr n 123456789\r\n"), "a longer number needs a new item: slow path");
    }

    @Test
    void whatTheEngineLeavesToTheSlowPath() {
        assertNull(exec("stats\r\n"));
        assertNull(exec("get " + "k".repeat(251) + "\r\n"));
        assertNull(exec("set x 0 0 3\r\nabcd\r\n"));
        assertNull(exec("bogus\r\n"));
    }

    @Test
    void xdpAnswersOneFrameRequests() {
        exec("set xk 3 0 5\r\nhello\r\n");
        try (TestRun run = kernel.xdp().testRun()) {
            TestRun.Result r = run.data(UdpFrames.request(11211, 77, "get xk\r\n")).dataOutCapacity(2048).run();
            assertEquals(XDP_TX, r.retval());
            ByteBuffer out = ByteBuffer.wrap(r.data());
            assertEquals(2, out.get(5), "destination MAC is the sender's");
            assertEquals(11211, out.getShort(34) & 0xffff, "source port is the server's");
            assertEquals(40000, out.getShort(36) & 0xffff);
            assertEquals(77, out.getShort(42));
            assertEquals(1, out.getShort(46), "one datagram");
            String reply = new String(Arrays.copyOfRange(r.data(), 50, r.data().length), StandardCharsets.ISO_8859_1);
            assertEquals("VALUE xk 3 5\r\nhello\r\nEND\r\n", reply);
            assertEquals(out.getShort(38) & 0xffff, 8 + 8 + reply.length());

            assertEquals(XDP_TX, run.data(UdpFrames.request(11211, 78, "set xk 0 0 2\r\nhi\r\n")).run().retval());
            assertEquals("VALUE xk 0 2\r\nhi\r\nEND\r\n", exec("get xk\r\n"));
            assertEquals(XDP_DROP, run.data(UdpFrames.request(11211, 79, "delete xk noreply\r\n")).run().retval());
            assertEquals(XDP_PASS, run.data(UdpFrames.request(11211, 80, "stats\r\n")).run().retval());
            assertEquals(XDP_PASS, run.data(UdpFrames.request(11211, 81, "get a\r\nget b\r\n")).run().retval());
        }
    }
}
