package dev.ffkx.memcached.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** ffkx against memcached 1.6: the same random runs must get byte-identical replies. */
@ExtendWith(NoLeftovers.class)
class FfkxDiffTest {
    private static final int COMMANDS = Integer.getInteger("mcdiff.commands", 50_000);
    private static final long SEED = Long.getLong("mcdiff.seed", 20_241_123L);

    @Test
    @Timeout(300)
    void tcpPipelinedAndSplit() throws Exception {
        diff(Transport.TCP, 2, SEED);
    }

    @Test
    @Timeout(300)
    void udpThroughTheXdpFastPath() throws Exception {
        diff(Transport.UDP, 1, SEED + 1);
    }

    private static void diff(Transport transport, int threads, long seed) throws Exception {
        int itemMax = MemcachedSelfDiffTest.ITEM_SIZE_MAX;
        try (MemcachedServer ref = new MemcachedServer("memcached", threads, itemMax);
             FfkxServer ffkx = new FfkxServer(itemMax, 64L << 20)) {
            ref.start();
            ffkx.start();
            try (DiffSession session = DiffSession.open(ref, ffkx, transport, seed)) {
                session.run(new CommandGenerator(seed, System.currentTimeMillis() / 1000, itemMax, transport), COMMANDS);
                DiffReport report = session.report();
                System.out.println(report.summary());
                assertTrue(report.clean(), report.summary());
                if (transport == Transport.TCP) {
                    var tcp = ffkx.tcpStats();
                    System.out.println("ffkx TCP: " + tcp);
                    // commands the kernel ran and user space delivered; those it sent itself are not counted
                    assertTrue(tcp.kernelDelivered() > 0, "the sk_skb fast path ran commands of the run: " + tcp);
                }
            }
        }
    }
}
