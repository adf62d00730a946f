package dev.ffkx.memcached.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request model and the reply framer on cases checked by hand against memcached 1.6.18
 * (the differential runs check them against it again, wholesale).
 */
class FramingTest {
    /** "name:replies" for each command line the bytes complete, e.g. "set:1". */
    private static List<String> lines(String bytes) {
        RequestModel m = new RequestModel();
        List<String> out = new ArrayList<>();
        for (RequestModel.Expected e : m.feed(RequestModel.ascii(bytes))) {
            out.add(e.name() + ":" + e.replies() + (e.closes() ? ":closes" : ""));
        }
        return out;
    }

    @Test
    void dataBlocksAreSkippedByTheirDeclaredLength() {
        assertEquals(List.of("set:1", "get:1"), lines("set k 0 0 5\r\na\r\nbc\r\nget k\r\n"));
        assertEquals(List.of("set:1"), lines("set k 0 0 0\r\n\r\n"));
        // The declared length is read as 32 bits: 4294967297 is 1.
        assertEquals(List.of("set:1", "get:1"), lines("set k 0 0 4294967297\r\na\r\nget k\r\n"));
    }

    @Test
    void aWrongDataBlockIsStillReadAsLengthPlusTwoBytes() {
        // abc + "de": bad data chunk. The \r\n left over is a line of one \r (memcached strips a \r
        // only after something): ERROR.
        assertEquals(List.of("set:1", "\r:1"), lines("set k 0 0 3\r\nabcde\r\n"));
        // Too short: the block runs on into what follows (here it makes a valid 5-byte value).
        assertEquals(List.of("set:1"), lines("set k 0 0 5\r\nab\r\nX\r\n"));
        assertEquals(List.of("set:1", ":1"), lines("set k 0 0 2\r\nab\n\r\n"));
    }

    @Test
    void aRefusedStorageLineLeavesItsDataToBeReadAsACommand() {
        assertEquals(List.of("set:1", "xy:1"), lines("set k 0 0 abc\r\nxy\r\n"));
        assertEquals(List.of("set:1", "a:1"), lines("set k 0 0 -1\r\na\r\n"));
        assertEquals(List.of("set:1", "a:1"), lines("set k 0 0 2147483646\r\na\r\n"));
        assertEquals(List.of("cas:1", "x:1"), lines("cas k 0 0 1\r\nx\r\n"));
        assertEquals(List.of("set:1", "x:1"), lines("set " + "k".repeat(251) + " 0 0 1\r\nx\r\n"));
        // Too many words: tokenizing stops at 24, so noreply at the end is never seen.
        assertEquals(List.of("set:1", "a:1"), lines("set k 0 0 1 noreply x\r\na\r\n"));
        assertEquals(List.of("set:1", "a:1"), lines("set k 0 0 1" + " w".repeat(30) + "\r\na\r\n"));
    }

    @Test
    void noreplySilencesErrorsOnceTheCommandLooksForIt() {
        assertEquals(List.of("set:0"), lines("set k 0 0 1 noreply\r\na\r\n"));
        assertEquals(List.of("set:0", "xy:1"), lines("set k 0 0 abc noreply\r\nxy\r\n"));
        // The bad data chunk is silenced, the empty line after it is not.
        assertEquals(List.of("set:0", "\r:1", "get:1"), lines("set k 0 0 3 noreply\r\nabcde\r\nget k\r\n"));
        assertEquals(List.of("set:0"), lines("set k 0 0 noreply\r\n"));
        assertEquals(List.of("touch:0", "incr:0", "verbosity:0", "flush_all:0", "flush_all:0"),
                lines("touch k noreply\r\nincr k noreply\r\nverbosity noreply\r\nflush_all noreply\r\nflush_all x noreply\r\n"));
        assertEquals(List.of("delete:1", "delete:0", "delete:1", "delete:0", "delete:1", "delete:1", "delete:0"),
                lines("delete noreply\r\ndelete k noreply\r\ndelete k 0\r\ndelete k 0 noreply\r\ndelete k 1\r\n"
                        + "delete k 0 0 0\r\ndelete k x noreply\r\n"));
        // get has no noreply: it is a key.
        assertEquals(List.of("get:1"), lines("get k noreply\r\n"));
    }

    @Test
    void everythingElseIsAnsweredOnce() {
        assertEquals(List.of("\r:1", ":1", ":1", "\r:1", "x:1", "GET:1", "get:1", "gat:1", "stats:1", "version:1", "foo:1"),
                lines("\r\n\n   \r\n\r\r\nx\r\nGET k\r\nget\r\ngat 10\r\nstats\r\nversion\r\nfoo\r\n"));
    }

    @Test
    void quitClosesAndNothingAfterItIsRead() {
        RequestModel m = new RequestModel();
        List<RequestModel.Expected> e = m.feed(RequestModel.ascii("get a\r\nquit\r\nget b\r\n"));
        assertEquals(2, e.size());
        assertTrue(e.get(1).closes());
        assertEquals(0, e.get(1).replies());
        assertFalse(m.atCommand());
    }

    @Test
    void aLineEndsAtANulAndABareNewline() {
        List<RequestModel.Expected> e = new RequestModel().feed(RequestModel.ascii("get k\0 junk\nset k 0 0 1\0x\r\na\r\n"));
        assertArrayEquals(RequestModel.ascii("get k"), e.get(0).line());
        assertEquals("set", e.get(1).name());
        assertEquals(2, e.size());
    }

    @Test
    void bytesMayArriveOneAtATime() {
        String stream = "set k 0 0 5\r\na\r\nbc\r\nget k\r\nset k 0 0 1 noreply\r\nx\r\nincr k 1\r\n";
        RequestModel m = new RequestModel();
        List<String> out = new ArrayList<>();
        for (byte b : RequestModel.ascii(stream)) {
            for (RequestModel.Expected e : m.feed(new byte[] {b})) {
                out.add(e.name() + ":" + e.replies());
            }
        }
        assertEquals(List.of("set:1", "get:1", "set:0", "incr:1"), out);
        assertTrue(m.atCommand());
        RequestModel half = new RequestModel();
        half.feed(RequestModel.ascii("set k 0 0 5\r\nab"));
        assertTrue(half.inData());
    }

    @Test
    void longLinesOnlyForGets() {
        assertEquals(List.of("get:1"), lines("get " + "k ".repeat(2000) + "\r\n"));
        assertThrows(IllegalArgumentException.class, () -> lines("gat 0 " + "k ".repeat(2000) + "\r\n"));
        assertThrows(IllegalArgumentException.class, () -> lines("x".repeat(RequestModel.LINE_MAX + 1)));
        assertThrows(IllegalArgumentException.class, () -> lines("mg k v\r\n"));
    }

    @Test
    void numbersAreReadAsMemcachedReadsThem() {
        assertEquals(0L, RequestModel.safeStrtoul(b("4294967296")));
        assertEquals(4294967295L, RequestModel.safeStrtoul(b("4294967295")));
        assertNull(RequestModel.safeStrtoul(b("-1")));
        assertEquals(0L, RequestModel.safeStrtoul(b("-0")));
        assertEquals(7L, RequestModel.safeStrtoul(b("+7")));
        assertEquals(7L, RequestModel.safeStrtoul(b("007")));
        assertEquals(1L, RequestModel.safeStrtoul(b("1\t")));
        assertEquals(5L, RequestModel.safeStrtoul(b("\t5")));
        assertNull(RequestModel.safeStrtoul(b("1x")));
        assertNull(RequestModel.safeStrtoul(b("")));
        assertNull(RequestModel.safeStrtoul(b("+")));
        assertEquals(-2147483648L, RequestModel.safeStrtol(b("2147483648")));
        assertEquals(2147483647L, RequestModel.safeStrtol(b("-2147483649")));
        assertEquals(-5L, RequestModel.safeStrtol(b("-5")));
        assertNull(RequestModel.safeStrtol(b("9223372036854775808")));
        assertEquals(-1L, RequestModel.safeStrtoull(b("18446744073709551615")));
        assertNull(RequestModel.safeStrtoull(b("18446744073709551616")));
        assertEquals(1L, RequestModel.safeStrtoull(b("-18446744073709551615")));
        assertNull(RequestModel.safeStrtoull(b("-9223372036854775808")));
    }

    @Test
    void repliesEndAfterTheirLastLine() {
        byte[] s = b("STORED\r\nVALUE k 0 5\r\na\r\nbc\r\nVALUE j 1 0 77\r\n\r\nEND\r\nSTAT a b\r\nSTAT c d\r\nEND\r\n"
                + "18446744073709551615\r\nVALUE broken\r\nEND\r\nVALUE k 0 5\r\nab");
        ReplyFramer.Split split = ReplyFramer.split(s, 0, s.length);
        List<String> replies = split.replies().stream().map(r -> new String(r, java.nio.charset.StandardCharsets.ISO_8859_1)).toList();
        assertEquals(List.of("STORED\r\n", "VALUE k 0 5\r\na\r\nbc\r\nVALUE j 1 0 77\r\n\r\nEND\r\n", "STAT a b\r\nSTAT c d\r\nEND\r\n",
                "18446744073709551615\r\n", "VALUE broken\r\n", "END\r\n"), replies);
        assertEquals(s.length - "VALUE k 0 5\r\nab".length(), split.end());
        assertEquals(-1, ReplyFramer.replyEnd(s, split.end(), s.length));
    }

    @Test
    void casUniquesAreComparedAsAOneToOneMapping() {
        ReplyComparator c = new ReplyComparator();
        assertNull(c.compare("gets", b("VALUE k 0 1 10\r\na\r\nEND\r\n"), b("VALUE k 0 1 777\r\na\r\nEND\r\n")));
        assertNull(c.compare("gets", b("VALUE k 0 1 10\r\na\r\nEND\r\n"), b("VALUE k 0 1 777\r\na\r\nEND\r\n")));
        assertEquals("replies differ", c.compare("gets", b("VALUE k 0 1 10\r\na\r\nEND\r\n"), b("VALUE k 0 1 777\r\nb\r\nEND\r\n")));
        // 10 is 777: it cannot also be 778, and 777 cannot also stand for 11.
        assertTrue(c.compare("gets", b("VALUE k 0 1 10\r\na\r\nEND\r\n"), b("VALUE k 0 1 778\r\na\r\nEND\r\n")) != null);
        assertTrue(c.compare("gets", b("VALUE k 0 1 11\r\na\r\nEND\r\n"), b("VALUE k 0 1 777\r\na\r\nEND\r\n")) != null);
        assertNull(c.compare("version", b("VERSION 1.6.18\r\n"), b("VERSION ffkx 0.1\r\n")));
        assertNull(c.compare("stats", b("STAT pid 1\r\nEND\r\n"), b("STAT uptime 3\r\nSTAT x y\r\nEND\r\n")));
        assertTrue(c.compare("stats", b("STAT pid 1\r\nEND\r\n"), b("END\r\nEND\r\n")) != null);
        assertEquals("7", ReplyComparator.casOf(b("VALUE a 0 1 5\r\nx\r\nVALUE k 0 1 7\r\ny\r\nEND\r\n"), b("k")));
    }

    private static byte[] b(String s) {
        return RequestModel.ascii(s);
    }
}
