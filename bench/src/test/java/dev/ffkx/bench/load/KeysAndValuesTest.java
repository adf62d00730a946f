package dev.ffkx.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeysAndValuesTest {
    @Test
    void zipfFavoursTheLowestRanksAsItsExponentSays() {
        ZipfSampler zipf = new ZipfSampler(1000, 1.0);
        SplittableRandom random = new SplittableRandom(1);
        int draws = 200_000;
        int[] counts = new int[1001];
        for (int i = 0; i < draws; i++) {
            counts[zipf.sample(random)]++;
        }
        double harmonic = 0;
        for (int k = 1; k <= 1000; k++) {
            harmonic += 1.0 / k;
        }
        double expectedFirst = draws / harmonic;
        assertEquals(expectedFirst, counts[1], expectedFirst * 0.05, "rank 1");
        assertEquals(counts[1] / 2.0, counts[2], counts[1] * 0.05, "rank 2 half as often as rank 1");
        assertTrue(counts[1000] > 0, "the whole range is reachable");
    }

    @Test
    void verifiedRunsGiveEachConnectionItsOwnKeys() {
        LoadSpec spec = LoadSpec.builder().threads(2).clients(2).keyRange(10, 109).keyPattern("Z:R").verify(true).build();
        for (int c = 0; c < 4; c++) {
            Keys keys = new Keys(spec, c, new SplittableRandom(c));
            for (int i = 0; i < 1000; i++) {
                long k = keys.next(i % 2 == 0);
                assertTrue(k >= 10 && k <= 109, "key " + k + " out of range");
                assertEquals(c, (k - 10) % 4, "key " + k + " belongs to connection " + c);
            }
        }
    }

    @Test
    void sequentialKeysWalkAndWrap() {
        LoadSpec spec = LoadSpec.builder().threads(1).clients(1).keyRange(5, 7).keyPattern("S:S").build();
        Keys keys = new Keys(spec, 0, new SplittableRandom(0));
        long[] seen = new long[5];
        for (int i = 0; i < 5; i++) {
            seen[i] = keys.next(true);
        }
        assertEquals("[5, 6, 7, 5, 6]", java.util.Arrays.toString(seen));
    }

    @Test
    void aValueNamesItsVersionAndOnlyAnExactCopyCounts() {
        byte[] v = Values.versioned(1, 42, 7, 32);
        assertEquals(7, Values.versionOf(1, 42, Unpooled.wrappedBuffer(v), 0, 32, 32));
        assertEquals(-1, Values.versionOf(1, 43, Unpooled.wrappedBuffer(v), 0, 32, 32), "another key's value");
        assertEquals(-1, Values.versionOf(2, 42, Unpooled.wrappedBuffer(v), 0, 32, 32), "another run's value");
        v[20] ^= 1;
        assertEquals(-1, Values.versionOf(1, 42, Unpooled.wrappedBuffer(v), 0, 32, 32), "a corrupted value");
    }

    @Test
    void badOptionsAreAllNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadSpec.builder().udp(true).pipeline(0).testTime(1).build());
        assertTrue(e.getMessage().contains("UDP needs --protocol memcache_text"), e.getMessage());
        assertTrue(e.getMessage().contains("--pipeline must be at least 1"), e.getMessage());
    }
}
