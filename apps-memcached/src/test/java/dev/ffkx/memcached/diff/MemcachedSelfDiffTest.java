package dev.ffkx.memcached.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * memcached against memcached: two instances alike must answer a long random run identically.
 * This proves the harness itself (generator, request model, framing, comparison) before it is
 * pointed at ffkx; a single difference here is a harness bug or a source of nondeterminism the
 * generator must avoid.
 */
@ExtendWith(NoLeftovers.class)
class MemcachedSelfDiffTest {
    static final int ITEM_SIZE_MAX = 64 * 1024;
    private static final int COMMANDS = Integer.getInteger("mcdiff.commands", 50_000);
    private static final long SEED = Long.getLong("mcdiff.seed", 20_241_122L);

    /** What every run must have exercised, by command and reply kind (see {@link DiffReport#referenceReplyKinds()}). */
    private static final List<String> COVERED = List.of("get VALUE", "get END", "gets VALUE", "gat VALUE", "gats VALUE",
            "gat END", "set STORED", "set (no reply)", "set SERVER_ERROR object too large for cache",
            "set CLIENT_ERROR bad data chunk", "set CLIENT_ERROR bad command line format", "set ERROR",
            "add STORED", "add NOT_STORED", "replace STORED", "replace NOT_STORED", "append STORED",
            "append NOT_STORED", "prepend STORED", "prepend NOT_STORED", "cas STORED", "cas EXISTS", "cas NOT_FOUND",
            "cas (no reply)", "cas CLIENT_ERROR bad command line format", "delete DELETED", "delete NOT_FOUND",
            "delete (no reply)", "delete CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]",
            "incr <number>", "decr <number>", "incr NOT_FOUND", "incr CLIENT_ERROR invalid numeric delta argument",
            "incr CLIENT_ERROR cannot increment or decrement non-numeric value", "touch TOUCHED", "touch NOT_FOUND",
            "touch CLIENT_ERROR invalid exptime argument", "get CLIENT_ERROR bad command line format",
            "stats STAT", "version VERSION", "verbosity OK", "flush_all OK", "(other) ERROR");

    @Test
    @Timeout(120)
    void tcpPipelinedAndSplit() throws Exception {
        assertCovered(selfDiff(Transport.TCP, 2, SEED), COVERED);
    }

    @Test
    @Timeout(120)
    void udpOneDatagramPerCommand() throws Exception {
        assertCovered(selfDiff(Transport.UDP, 1, SEED + 1), COVERED);
    }

    private static DiffReport selfDiff(Transport transport, int threads, long seed) throws Exception {
        try (MemcachedServer a = new MemcachedServer("memcached-a", threads, ITEM_SIZE_MAX);
                MemcachedServer b = new MemcachedServer("memcached-b", threads, ITEM_SIZE_MAX)) {
            a.start();
            b.start();
            long started = System.nanoTime();
            DiffReport report;
            try (DiffSession session = DiffSession.open(a, b, transport, seed)) {
                session.run(new CommandGenerator(seed, System.currentTimeMillis() / 1000, ITEM_SIZE_MAX, transport),
                        COMMANDS);
                report = session.report();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Map<String, String> stats = a.stats();
            System.out.println(report.summary() + "took " + took.toMillis() + " ms (seed " + seed + "); the reference ends with "
                    + stats.get("curr_items") + " items, " + stats.get("bytes") + " bytes");
            assertTrue(report.clean(), report.summary());
            assertTrue(report.commands() > COMMANDS, report.summary());
            // An eviction would make the outcome depend on memcached's LRU.
            assertEquals("0", stats.get("evictions"), a + " evicted items");
            assertEquals("0", b.stats().get("evictions"), b + " evicted items");
            return report;
        }
    }

    private static void assertCovered(DiffReport report, List<String> kinds) {
        for (String kind : kinds) {
            assertTrue(report.referenceReplyKinds().getOrDefault(kind, 0L) > 0, "no " + kind + " in " + report.summary());
        }
    }
}
