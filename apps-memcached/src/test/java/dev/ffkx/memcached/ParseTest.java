package dev.ffkx.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fast path's parser, run in the kernel on requests Java hands it. */
class ParseTest {
    private static final int SLOW = 1;
    private static final int GET = 1, GETS = 2, SET = 3, CAS = 8, DELETE = 9, INCR = 10, TOUCH = 12;
    private static final int CMD = 8, REQ = CMD + 128, IO_SIZE = REQ + 2048;

    private static BpfObject obj;
    private static TestRun run;

    /** The parsed command, or just {@code ret} when the parser declined. */
    private record Parsed(int ret, int op, boolean noreply, int nkeys, long flags, long exptime, long arg,
                          int vlen, int dataOff, int end, int[] keyOff, int[] keyLen) {}

    @BeforeAll
    static void load() {
        obj = BpfObject.openResource("/bpf/test_mc_parse.bpf.o").load();
        run = obj.program("parse").testRun();
    }

    @AfterAll
    static void close() {
        run.close();
        obj.close();
    }

    private static Parsed parse(String request) {
        byte[] req = request.getBytes(StandardCharsets.ISO_8859_1);
        byte[] io = new byte[IO_SIZE];
        LittleEndian.putInt(io, 0, req.length);
        System.arraycopy(req, 0, io, REQ, req.length);
        BpfMap map = obj.map("parse_io");
        map.update(0, io);
        assertEquals(0, run.runForRetval());
        byte[] out = map.lookup(0);
        int nkeys = out[CMD + 2];
        int[] off = new int[nkeys], len = new int[nkeys];
        for (int i = 0; i < nkeys; i++) {
            int k = CMD + 40 + 4 * i;
            off[i] = (out[k] & 0xff) | (out[k + 1] & 0xff) << 8;
            len[i] = (out[k + 2] & 0xff) | (out[k + 3] & 0xff) << 8;
        }
        return new Parsed(LittleEndian.getInt(out, 4), out[CMD], out[CMD + 1] != 0, nkeys,
                LittleEndian.getInt(out, CMD + 4) & 0xffffffffL, LittleEndian.getLong(out, CMD + 8),
                LittleEndian.getLong(out, CMD + 16), LittleEndian.getInt(out, CMD + 24),
                LittleEndian.getInt(out, CMD + 28), LittleEndian.getInt(out, CMD + 32), off, len);
    }

    private static void assertSlow(String request) {
        assertEquals(SLOW, parse(request).ret(), request);
    }

    /** One-key gets take a word-at-a-time parser (mc_parse_get1): it must agree with the general one. */
    @Test
    void oneKeyGetsAtEveryLengthAndEdge() {
        for (int n = 1; n <= 251; n++) {
            String key = "k".repeat(n);
            for (String cmd : new String[] {"get", "gets"}) {
                for (String eol : new String[] {"\r\n", "\n"}) {
                    String request = cmd + " " + key + eol;
                    if (n > 250) {
                        assertSlow(request);
                        continue;
                    }
                    Parsed p = parse(request);
                    assertEquals(0, p.ret(), request);
                    assertEquals(cmd.equals("get") ? GET : GETS, p.op());
                    assertEquals(1, p.nkeys());
                    assertEquals(cmd.length() + 1, p.keyOff()[0]);
                    assertEquals(n, p.keyLen()[0], request);
                    assertEquals(request.length(), p.end());
                }
            }
        }
        assertEquals(3, parse("get a\rb\r\n").keyLen()[0], "a \\r inside a key is part of it");
        assertEquals(2, parse("get a\r\r\n").keyLen()[0], "only the \\r before \\n ends the line");
        assertEquals(7, parse("get k\r\nget j\r\n").end(), "a pipelined request ends at its own line");
        assertEquals(5, parse("get  k\r\n").keyOff()[0], "runs of spaces separate like one");
        assertEquals(1, parse("get k \r\n").keyLen()[0]);
        assertEquals(3, parse("get k\u0000j\r\n").keyLen()[0], "NUL is a key byte");
        assertEquals(2, parse("get k j\r\n").nkeys());
        assertSlow("get \r\n");
        assertSlow("get kkkkkkkk");
    }

    @Test
    void retrieval() {
        Parsed p = parse("get foo\r\n");
        assertEquals(0, p.ret());
        assertEquals(GET, p.op());
        assertEquals(1, p.nkeys());
        assertEquals(4, p.keyOff()[0]);
        assertEquals(3, p.keyLen()[0]);
        assertEquals(9, p.end());

        p = parse("gets a  bb ccc\n");
        assertEquals(GETS, p.op());
        assertEquals(3, p.nkeys());
        assertEquals(3, p.keyLen()[2]);
        assertEquals(15, p.end());

        assertEquals(22, parse("get" + " k".repeat(22) + "\r\n").nkeys());
        assertSlow("get" + " k".repeat(23) + "\r\n");
        assertSlow("get\r\n");
    }

    @Test
    void storage() {
        Parsed p = parse("set k 5 100 3\r\nabc\r\n");
        assertEquals(0, p.ret());
        assertEquals(SET, p.op());
        assertEquals(5, p.flags());
        assertEquals(100, p.exptime());
        assertEquals(3, p.vlen());
        assertEquals(15, p.dataOff());
        assertEquals(20, p.end());
        assertEquals(false, p.noreply());

        assertEquals(true, parse("set k 5 100 3 noreply\r\nabc\r\n").noreply());
        assertEquals(-1, parse("set k 0 -1 0\r\n\r\n").exptime());
        assertEquals(4294967295L, parse("set k 4294967295 0 1\r\nx\r\n").flags());

        p = parse("cas k 0 0 1 77\r\nx\r\n");
        assertEquals(CAS, p.op());
        assertEquals(77, p.arg());

        assertSlow("set k 5 100 3 junk\r\nabc\r\n");
        assertSlow("set k 5 100 3\r\nabcd\r\n");
        assertSlow("set k 5 100 3\r\nab");
        assertSlow("set k 4294967296 0 1\r\nx\r\n");
        assertSlow("set k 0 2147483648 1\r\nx\r\n");
        assertSlow("set k 0 0 -1\r\nx\r\n");
        assertSlow("set k +1 0 1\r\nx\r\n");
        assertSlow("set k 0 0\r\n");
        assertSlow("cas k 0 0 1\r\nx\r\n");
    }

    @Test
    void deleteArithmeticTouch() {
        assertEquals(DELETE, parse("delete k\r\n").op());
        assertEquals(true, parse("delete k noreply\r\n").noreply());
        assertSlow("delete k 0\r\n");

        Parsed p = parse("incr k 5\r\n");
        assertEquals(INCR, p.op());
        assertEquals(5, p.arg());
        assertEquals(-1L, parse("decr k 18446744073709551615\r\n").arg());
        assertSlow("incr k 18446744073709551616\r\n");
        assertSlow("incr k -5\r\n");
        assertSlow("incr k\r\n");

        p = parse("touch k -1 noreply\r\n");
        assertEquals(TOUCH, p.op());
        assertEquals(-1, p.exptime());
        assertEquals(true, p.noreply());
    }

    @Test
    void keysAndWords() {
        assertEquals(0, parse("get " + "k".repeat(250) + "\r\n").ret());
        assertSlow("get " + "k".repeat(251) + "\r\n");
        assertSlow("GET foo\r\n");
        assertSlow("stats\r\n");
        assertSlow("\r\n");
        assertSlow("get foo");
        assertSlow("gat 0\r\n");
        assertEquals(14, parse("gats 10 a b\r\n").op());
    }
}
