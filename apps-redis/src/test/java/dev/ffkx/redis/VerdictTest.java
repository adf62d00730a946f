package dev.ffkx.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fast path's command loop over one skb's bytes (rd_verdict_run): it answers an skb only
 * when it answers every command in it, and then every reply fits where the requests were.
 */
class VerdictTest {
    private static KernelFixture k;

    @BeforeAll
    static void load() {
        k = new KernelFixture();
    }

    @AfterAll
    static void close() {
        k.close();
    }

    private static String mb(String... argv) {
        StringBuilder b = new StringBuilder("*" + argv.length + "\r\n");
        for (String a : argv) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    @Test
    void pipelinesOfMultibulks() {
        assertEquals("+OK\r\n:1\r\n:1\r\n+PONG\r\n",
                k.verdict(mb("SET", "vp", "abc") + mb("INCR", "vp-n") + mb("EXISTS", "vp") + mb("PING")));
        assertEquals("$3\r\nabc\r\n:-1\r\n*2\r\n$3\r\nabc\r\n$-1\r\n",
                k.verdict(mb("get", "vp") + mb("TTL", "vp") + mb("MGET", "vp", "vp-none")));
    }

    @Test
    void inlineCommands() {
        assertEquals("+OK\r\n", k.verdict("SET vi xy\r\n"));
        assertEquals("$2\r\nxy\r\n", k.verdict("GET   vi\r\n"));
        assertEquals(":1\r\n", k.verdict("INCR vi-n\n"));
        assertNull(k.verdict("SET vq \"a b\"\r\n"), "quotes are the slow path's");
        assertNull(k.verdict("PING\r\n"), "+PONG is longer than an inline PING: the skb cannot carry it");
    }

    @Test
    void oneCommandTheEngineDeclinesSendsTheWholeSkbUpUnrun() {
        assertNull(k.verdict(mb("SET", "va", "1") + mb("INCR", "va") + mb("FOO")));
        assertNull(k.verdict(mb("SET", "va", "1") + mb("GET")), "arity");
        assertNull(k.verdict(mb("INCR", "va") + mb("EXPIRE", "va", "10", "bogus")));
        assertEquals("$-1\r\n", k.run("GET", "va"), "nothing of an skb that went up was run");
    }

    @Test
    void aCommandCutAtTheEndSendsTheSkbUp() {
        String whole = mb("SET", "vc", "1") + mb("SET", "vc", "2");
        for (int cut = 1; cut < whole.length(); cut++) {
            if (cut == whole.length() / 2) {
                continue; // the first command alone is whole
            }
            assertNull(k.verdict(whole.substring(0, cut)), "cut at " + cut);
        }
        assertEquals("$-1\r\n", k.run("GET", "vc"));
    }

    @Test
    void malformedRespGoesUp() {
        assertNull(k.verdict("*x\r\n"));
        assertNull(k.verdict("*1\r\n$3\r\nGETT\r\n"));
        assertNull(k.verdict("*0\r\n"));
        assertNull(k.verdict("*65\r\n"), "more arguments than the engine's argv");
    }

    @Test
    void writesNeverShareAnSkbWithRepliesOfUnknownLength() {
        k.run("SET", "vw-big", "x".repeat(200));
        assertNull(k.verdict(mb("INCR", "vw-n") + mb("GET", "vw-big")));
        assertNull(k.verdict(mb("SET", "vw-a", "1", "GET") + mb("PING")));
        assertEquals("$-1\r\n", k.run("GET", "vw-n"), "the INCR did not run before the skb went up");
        assertEquals("+OK\r\n:1\r\n", k.verdict(mb("SET", "vw-a", "1") + mb("INCR", "vw-n")));
        assertEquals("$3\r\nabc\r\n+PONG\r\n", k.verdict(mb("ECHO", "abc") + mb("PING")), "reads alone are fine");
    }

    @Test
    void repliesLongerThanTheRequestsGoUp() {
        k.run("SET", "vl", "x".repeat(200));
        assertNull(k.verdict(mb("GET", "vl")));
    }
}
