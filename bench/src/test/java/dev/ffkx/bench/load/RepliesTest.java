package dev.ffkx.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RepliesTest {
    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static int parse(Protocol p, String s, Reply r) {
        ByteBuf b = buf(s);
        return Replies.parse(p, b, 0, b.writerIndex(), r);
    }

    @Test
    void memcachedValueIsFramedByItsLengthNotByLines() {
        Reply r = new Reply();
        String hit = "VALUE k 0 7\r\nEND\r\nab\r\nEND\r\n";
        assertEquals(hit.length(), parse(Protocol.MEMCACHE_TEXT, hit + "STORED\r\n", r));
        assertEquals(Reply.Kind.HIT, r.kind);
        assertEquals(13, r.valueIndex);
        assertEquals(7, r.valueLength);
    }

    @Test
    void memcachedIncompleteRepliesWait() {
        Reply r = new Reply();
        assertEquals(-1, parse(Protocol.MEMCACHE_TEXT, "VALUE k 0 7 99\r\nEND\r", r));
        assertEquals(-1, parse(Protocol.MEMCACHE_TEXT, "VALUE k 0 2\r\nab\r\n", r));
        assertEquals(-1, parse(Protocol.MEMCACHE_TEXT, "STOR", r));
    }

    @Test
    void memcachedLinesAreClassified() {
        Reply r = new Reply();
        assertEquals(5, parse(Protocol.MEMCACHE_TEXT, "END\r\n", r));
        assertEquals(Reply.Kind.MISS, r.kind);
        parse(Protocol.MEMCACHE_TEXT, "STORED\r\n", r);
        assertEquals(Reply.Kind.STORED, r.kind);
        parse(Protocol.MEMCACHE_TEXT, "SERVER_ERROR out of memory\r\n", r);
        assertEquals(Reply.Kind.ERROR, r.kind);
        assertEquals("SERVER_ERROR out of memory", r.errorLine);
        parse(Protocol.MEMCACHE_TEXT, "NOT_STORED\r\n", r);
        assertEquals(Reply.Kind.OTHER, r.kind);
    }

    @Test
    void respValuesOfEveryShape() {
        Reply r = new Reply();
        assertEquals(5, parse(Protocol.REDIS, "+OK\r\n", r));
        assertEquals(Reply.Kind.STORED, r.kind);
        assertEquals(5, parse(Protocol.REDIS, "$-1\r\n", r));
        assertEquals(Reply.Kind.MISS, r.kind);
        assertEquals(11, parse(Protocol.REDIS, "$5\r\nhello\r\n", r));
        assertEquals(Reply.Kind.HIT, r.kind);
        assertEquals(4, r.valueIndex);
        assertEquals(4, parse(Protocol.REDIS, ":1\r\n", r));
        assertEquals(Reply.Kind.OTHER, r.kind);
        String array = "*2\r\n$1\r\na\r\n*1\r\n:3\r\n";
        assertEquals(array.length(), parse(Protocol.REDIS, array, r));
        assertEquals(-1, parse(Protocol.REDIS, "*2\r\n$1\r\na\r\n", r));
        parse(Protocol.REDIS, "-ERR wrong type\r\n", r);
        assertEquals(Reply.Kind.ERROR, r.kind);
    }

    @Test
    void garbageIsAProtocolError() {
        assertThrows(Replies.ProtocolException.class, () -> parse(Protocol.REDIS, "hello\r\n", new Reply()));
        assertThrows(Replies.ProtocolException.class,
                () -> parse(Protocol.MEMCACHE_TEXT, "VALUE k 0 1\r\na\r\nBOGUS\r\n", new Reply()));
    }
}
