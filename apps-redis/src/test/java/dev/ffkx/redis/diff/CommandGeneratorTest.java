package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandGeneratorTest {
    @Test
    void aSeedGivesOneRun() {
        CommandGenerator a = new CommandGenerator(3);
        CommandGenerator b = new CommandGenerator(3);
        CommandGenerator c = new CommandGenerator(4);
        boolean differs = false;
        for (int i = 0; i < 10_000; i++) {
            byte[] x = a.next().bytes();
            assertArrayEquals(x, b.next().bytes(), "command " + i);
            differs |= !Arrays.equals(x, c.next().bytes());
        }
        assertTrue(differs);
    }

    @Test
    void withoutResp3NoHello3IsSent() {
        CommandGenerator g = new CommandGenerator(5, false);
        Set<String> hellos = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            Command c = g.next();
            if (c.name().equals("HELLO")) {
                hellos.add(c.toString().toUpperCase().replaceAll("\\s+|\\\\R\\\\N|\\$\\d+|\\*\\d+", " ").trim());
            }
        }
        assertFalse(hellos.isEmpty());
        assertTrue(hellos.stream().noneMatch(h -> h.matches("HELLO +3.*")), hellos.toString());
    }
}
