package dev.ffkx.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The string engine through rd_run (the slow path's way in); replies as redis-server 7.0.15 gave them. */
class EngineTest {
    private static KernelFixture k;

    @BeforeAll
    static void load() {
        k = new KernelFixture();
    }

    @AfterAll
    static void close() {
        k.close();
    }

    @Test
    void pingAndEcho() {
        assertEquals("+PONG\r\n", k.run("PING"));
        assertEquals("$2\r\nhi\r\n", k.run("ping", "hi"));
        assertEquals("$0\r\n\r\n", k.run("ECHO", ""));
        assertNull(k.run("PING", "a", "b"), "PING's arity error is the slow path's");
    }

    @Test
    void getSetDel() {
        assertEquals("$-1\r\n", k.run("GET", "gsd"));
        assertEquals("+OK\r\n", k.run("SET", "gsd", "value"));
        assertEquals("$5\r\nvalue\r\n", k.run("get", "gsd"));
        assertEquals("+OK\r\n", k.run("SET", "gsd", ""));
        assertEquals("$0\r\n\r\n", k.run("GET", "gsd"));
        assertEquals(":1\r\n", k.run("DEL", "gsd", "gsd", "nope"));
        assertEquals(":0\r\n", k.run("DEL", "gsd"));
        assertEquals("$-1\r\n", k.run("GET", "gsd"));
    }

    @Test
    void setOptions() {
        assertEquals("$-1\r\n", k.run("SET", "so", "1", "NX", "GET"));
        assertEquals("$1\r\n1\r\n", k.run("SET", "so", "2", "XX", "GET"));
        assertEquals("$-1\r\n", k.run("SET", "so", "3", "nx"));
        assertEquals("$1\r\n2\r\n", k.run("GET", "so"));
        assertEquals("$-1\r\n", k.run("SET", "so-missing", "3", "XX"));
        assertEquals("$-1\r\n", k.run("GET", "so-missing"));
        assertEquals("-ERR syntax error\r\n", k.run("SET", "so", "v", "NX", "XX"));
        assertEquals("-ERR syntax error\r\n", k.run("SET", "so", "v", "EX", "10", "PX", "5"));
        assertEquals("-ERR syntax error\r\n", k.run("SET", "so", "v", "ex"));
        assertEquals("-ERR syntax error\r\n", k.run("SET", "so", "v", "KEEPTTL", "EX", "1"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", k.run("SET", "so", "v", "EX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", k.run("SET", "so", "v", "EX", "9223372036854775"));
        assertEquals("-ERR value is not an integer or out of range\r\n", k.run("SET", "so", "v", "PX", "1x"));
        assertEquals("$1\r\n2\r\n", k.run("GET", "so"), "a refused SET changes nothing");
    }

    @Test
    void expiry() {
        assertEquals(":-2\r\n", k.run("TTL", "ex"));
        assertEquals("+OK\r\n", k.run("SET", "ex", "v"));
        assertEquals(":-1\r\n", k.run("TTL", "ex"));
        assertEquals("+OK\r\n", k.run("SET", "ex", "v", "EX", "100"));
        assertEquals(":100\r\n", k.run("TTL", "ex"));
        assertEquals("+OK\r\n", k.run("SET", "ex", "w", "KEEPTTL"));
        assertEquals(":100\r\n", k.run("TTL", "ex"));
        long pttl = Long.parseLong(k.run("PTTL", "ex").substring(1).trim());
        assertEquals(true, pttl > 99_000 && pttl <= 100_000, "pttl " + pttl);
        assertEquals(":1\r\n", k.run("PERSIST", "ex"));
        assertEquals(":0\r\n", k.run("PERSIST", "ex"));
        assertEquals(":1\r\n", k.run("EXPIRE", "ex", "50"));
        assertEquals(":0\r\n", k.run("EXPIRE", "ex", "40", "GT"));
        assertEquals(":1\r\n", k.run("EXPIRE", "ex", "40", "lt"));
        assertEquals(":0\r\n", k.run("EXPIRE", "ex", "60", "NX"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
                k.run("EXPIRE", "ex", "10", "nx", "xx"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n",
                k.run("EXPIRE", "ex", "10", "GT", "LT"));
        assertNull(k.run("EXPIRE", "ex", "10", "foo"), "the unsupported option is named by the slow path");
        assertEquals(":0\r\n", k.run("EXPIRE", "nope", "10"));
        assertEquals(":1\r\n", k.run("EXPIRE", "ex", "-1"));
        assertEquals("$-1\r\n", k.run("GET", "ex"), "a past expiry deletes the key");
        assertEquals("+OK\r\n", k.run("SET", "ex", "v", "PXAT", "1"));
        assertEquals(":0\r\n", k.run("EXISTS", "ex"), "an expired key is absent");
    }

    @Test
    void counters() {
        assertEquals(":1\r\n", k.run("INCR", "n"));
        assertEquals(":11\r\n", k.run("INCRBY", "n", "10"));
        assertEquals(":10\r\n", k.run("DECR", "n"));
        assertEquals(":-5\r\n", k.run("DECRBY", "n", "15"));
        assertEquals("$2\r\n-5\r\n", k.run("GET", "n"));
        assertEquals("-ERR value is not an integer or out of range\r\n", k.run("INCRBY", "n", "x"));
        assertEquals("-ERR value is not an integer or out of range\r\n", k.run("INCRBY", "n", "01"));
        assertEquals("-ERR decrement would overflow\r\n", k.run("DECRBY", "n", "-9223372036854775808"));
        assertEquals("+OK\r\n", k.run("SET", "n", "9223372036854775807"));
        assertEquals("-ERR increment or decrement would overflow\r\n", k.run("INCR", "n"));
        assertEquals("+OK\r\n", k.run("SET", "n", "-9223372036854775808"));
        assertEquals("-ERR increment or decrement would overflow\r\n", k.run("DECR", "n"));
        assertEquals(":-9223372036854775807\r\n", k.run("INCR", "n"));
        assertEquals("+OK\r\n", k.run("SET", "n", "abc"));
        assertEquals("-ERR value is not an integer or out of range\r\n", k.run("INCR", "n"));
        assertEquals("+OK\r\n", k.run("SET", "n", "5", "EX", "100"));
        assertEquals(":6\r\n", k.run("INCR", "n"));
        assertEquals(":100\r\n", k.run("TTL", "n"), "INCR keeps the expiry");
    }

    @Test
    void multiKey() {
        k.run("SET", "m1", "a");
        k.run("SET", "m2", "bb");
        assertEquals("*3\r\n$1\r\na\r\n$-1\r\n$2\r\nbb\r\n", k.run("MGET", "m1", "nope", "m2"));
        assertEquals(":3\r\n", k.run("EXISTS", "m1", "m2", "m1", "nope"));
    }

    @Test
    void unknownAndArityGoUp() {
        assertNull(k.run("FOO"));
        assertNull(k.run("GET"));
        assertNull(k.run("GET", "a", "b"));
        assertNull(k.run("INCRBY", "a"));
    }
}
