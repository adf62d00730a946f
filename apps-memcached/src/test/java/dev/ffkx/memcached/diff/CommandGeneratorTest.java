package dev.ffkx.memcached.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The generator's promises, checked without a server. */
class CommandGeneratorTest {
    private static final int ITEM_SIZE_MAX = 64 * 1024;

    @Test
    void aSeedReproducesTheRun() {
        CommandGenerator a = new CommandGenerator(42, 1_800_000_000L, ITEM_SIZE_MAX, Transport.TCP);
        CommandGenerator b = new CommandGenerator(42, 1_800_000_000L, ITEM_SIZE_MAX, Transport.TCP);
        CommandGenerator c = new CommandGenerator(43, 1_800_000_000L, ITEM_SIZE_MAX, Transport.TCP);
        boolean differs = false;
        for (int i = 0; i < 10_000; i++) {
            byte[] x = a.next().render(id -> "1");
            assertArrayEquals(x, b.next().render(id -> "1"));
            differs |= !Arrays.equals(x, c.next().render(id -> "1"));
        }
        assertTrue(differs);
    }

    /** Every command ends on a command boundary; over UDP each fits a datagram and none quits. */
    @Test
    void commandsAreSelfContained() {
        for (Transport t : Transport.values()) {
            CommandGenerator g = new CommandGenerator(7, 1_800_000_000L, ITEM_SIZE_MAX, t);
            RequestModel model = new RequestModel();
            for (int i = 0; i < 100_000; i++) {
                Command c = g.next();
                byte[] bytes = c.render(id -> "18446744073709551615");
                boolean quits = model.feed(bytes).stream().anyMatch(RequestModel.Expected::closes);
                if (quits) {
                    assertTrue(t == Transport.TCP, c.toString());
                    model = new RequestModel();
                    continue;
                }
                assertTrue(model.atCommand(), c.toString());
                if (t == Transport.UDP) {
                    assertFalse(bytes.length > Transport.MAX_DATAGRAM_REQUEST, c.toString());
                }
            }
        }
    }
}
