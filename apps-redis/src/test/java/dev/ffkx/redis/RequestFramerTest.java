package dev.ffkx.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis 7.0's request framing: what it waits for, how it splits, which protocol error it gives. */
class RequestFramerTest {
    private final RequestFramer framer = new RequestFramer(RedisOffload.DEFAULT_MAX_BULK);

    private RequestFramer.Frame frame(String s) {
        return framer.frame(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private List<String> args(String s) {
        return frame(s).argv().stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void multibulk() {
        assertEquals(List.of("SET", "k", ""), args("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\nGET"));
        assertEquals(26, frame("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\nGET").length());
        assertNull(frame("*2\r\n$3\r\nGET\r\n$1\r\nk\r"));
        assertNull(frame("*2\r\nx"), "Redis looks for the line's \\r before judging it");
        assertEquals(List.of(), args("*0\r\n"));
        assertEquals(5, frame("*-1\r\nPING\r\n").length(), "a null multibulk is skipped");
    }

    @Test
    void protocolErrors() {
        assertEquals("Protocol error: invalid multibulk length", frame("*x\r\n").error());
        assertEquals("Protocol error: invalid multibulk length", frame("*2147483648\r\n").error());
        assertEquals("Protocol error: expected '$', got 'x'", frame("*2\r\n$3\r\nGET\r\nx\r\n").error());
        assertEquals("Protocol error: invalid bulk length", frame("*1\r\n$-1\r\n").error());
        assertEquals("Protocol error: invalid bulk length", frame("*1\r\n$01\r\n").error());
        assertEquals("Protocol error: unbalanced quotes in request", frame("\"abc\r\n").error());
        assertEquals("Protocol error: unbalanced quotes in request", frame("'a'b\r\n").error());
        assertEquals("Protocol error: too big inline request",
                frame("x".repeat(RequestFramer.INLINE_MAX + 1)).error());
    }

    @Test
    void inlineSplitsAsSdssplitargs() {
        assertEquals(List.of("SET", "a b", "c\nA"), args("SET \"a b\" \"c\\n\\x41\"\r\n"));
        assertEquals(List.of("GET", "it's"), args("GET 'it\\'s'\n"));
        assertEquals(List.of("a", "b"), args("  a\t b  \r\n"));
        assertEquals(List.of(), args("\r\n"));
        assertEquals(List.of("\"\""), args("\"\\\"\\\"\"\r\n"));
    }

    @Test
    void string2llIsRedis() {
        assertEquals(0L, RequestFramer.string2ll("0".getBytes()));
        assertEquals(Long.MIN_VALUE, RequestFramer.string2ll("-9223372036854775808".getBytes()));
        assertEquals(Long.MAX_VALUE, RequestFramer.string2ll("9223372036854775807".getBytes()));
        for (String bad : List.of("", "-", "-0", "01", "+1", " 1", "1 ", "9223372036854775808", "18446744073709551616")) {
            assertNull(RequestFramer.string2ll(bad.getBytes()), bad);
        }
    }
}
