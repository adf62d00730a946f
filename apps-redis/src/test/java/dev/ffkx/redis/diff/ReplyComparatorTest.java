package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The comparator normalises exactly what its documentation says, and nothing more. */
class ReplyComparatorTest {
    @Test
    void exactRepliesMustMatchByteForByte() {
        assertNull(compare(Command.Check.EXACT, "$1\r\nx\r\n", "$1\r\nx\r\n"));
        assertNotNull(compare(Command.Check.EXACT, ":1\r\n", ":2\r\n"));
        assertNotNull(compare(Command.Check.EXACT, ",1.5\r\n", "$3\r\n1.5\r\n"));
    }

    @Test
    void ttlsMayDifferByTheToleranceOnly() {
        assertNull(compare(Command.Check.TTL, ":100\r\n", ":98\r\n"));
        assertNotNull(compare(Command.Check.TTL, ":100\r\n", ":97\r\n"));
        assertNull(compare(Command.Check.PTTL, ":100000\r\n", ":98001\r\n"));
        assertNotNull(compare(Command.Check.PTTL, ":100000\r\n", ":97000\r\n"));
        assertNotNull(compare(Command.Check.TTL, ":-1\r\n", ":0\r\n"));
        assertNotNull(compare(Command.Check.TTL, ":-2\r\n", ":-1\r\n"));
        assertNotNull(compare(Command.Check.TTL, "-WRONGTYPE x\r\n", ":-1\r\n"));
    }

    @Test
    void helloIgnoresOnlyIdAndVersion() {
        String ref = hello("7.0.15", 3, "standalone");
        assertNull(compare(Command.Check.HELLO, ref, hello("0.1.0", 99, "standalone")));
        assertNotNull(compare(Command.Check.HELLO, ref, hello("7.0.15", 3, "cluster")));
        assertNotNull(compare(Command.Check.HELLO, "-NOPROTO unsupported protocol version\r\n", ref));
    }

    @Test
    void infoMustBeInfoSyntaxWithAVersion() {
        String ref = bulk("# Server\r\nredis_version:7.0.15\r\n\r\n# Keyspace\r\n");
        assertNull(compare(Command.Check.INFO, ref, bulk("# Server\r\nredis_version:7.0.15\r\n\r\n# ffkx\r\nfast:1\r\n")));
        assertNotNull(compare(Command.Check.INFO, ref, bulk("# Server\r\nno colon here\r\n")));
        assertNotNull(compare(Command.Check.INFO, ref, bulk("# ffkx\r\nredis_version:1\r\n")));
    }

    @Test
    void theCommandTableMayBeSmallerButNotDifferent() {
        String ref = "*2\r\n*2\r\n$3\r\nget\r\n:2\r\n*2\r\n$4\r\nzadd\r\n:-4\r\n";
        assertNull(compare(Command.Check.COMMAND_TABLE, ref, "*1\r\n*2\r\n$3\r\nget\r\n:2\r\n"));
        assertNotNull(compare(Command.Check.COMMAND_TABLE, ref, "*1\r\n*2\r\n$3\r\nget\r\n:3\r\n"));
        assertNotNull(compare(Command.Check.COMMAND_TABLE, ref, "*1\r\n*2\r\n$3\r\nfoo\r\n:2\r\n"));
        assertNotNull(compare(Command.Check.COMMAND_COUNT, ":240\r\n", ":0\r\n"));
        assertNull(compare(Command.Check.COMMAND_COUNT, ":240\r\n", ":30\r\n"));
    }

    private static String compare(Command.Check check, String ref, String tested) {
        return ReplyComparator.compare(check, Resp.ascii(ref), Resp.ascii(tested));
    }

    private static String hello(String version, int id, String mode) {
        return "*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n" + bulk(version) + "$5\r\nproto\r\n:2\r\n"
                + "$2\r\nid\r\n:" + id + "\r\n$4\r\nmode\r\n" + bulk(mode) + "$4\r\nrole\r\n$6\r\nmaster\r\n"
                + "$7\r\nmodules\r\n*0\r\n";
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }
}
