package dev.ffkx.redis.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * In-kernel cost of ZADD (new members) and ZSCORE (hits) in fast mode: one test run performs a
 * batch, timed inside the kernel, so the syscall is not measured. Prints ns/op; asserts that the
 * batch did what it was asked.
 */
class ZsetMeasureTest {
    private static final int N = 100_000;

    @Test
    void zaddAndZscoreInKernel() {
        try (ZsetTestKernel kernel = new ZsetTestKernel(256L << 20)) {
            double zadd = kernel.bench(ZsetKernelTest.args("ZADD z 42 m00000000"), ZsetTestKernel.FAST, 3, N);
            ZsetTestKernel.Result card = kernel.run(ZsetKernelTest.args("ZCARD z"), ZsetTestKernel.FAST);
            assertEquals(":" + N + "\r\n", new String(card.reply(), StandardCharsets.US_ASCII));
            double zscore = kernel.bench(ZsetKernelTest.args("ZSCORE z m00000000"), ZsetTestKernel.FAST, 2, N);
            double zrank = kernel.bench(ZsetKernelTest.args("ZRANK z m00000000"), ZsetTestKernel.FAST, 2, N);
            double update = kernel.bench(ZsetKernelTest.args("ZINCRBY z 1 m00000000"), ZsetTestKernel.FAST, 3, N);
            System.out.printf("zset in-kernel ns/op over %d members: ZADD new %.0f, ZSCORE %.0f, ZRANK %.0f, "
                    + "ZINCRBY %.0f%n", N, zadd, zscore, zrank, update);
        }
    }
}
