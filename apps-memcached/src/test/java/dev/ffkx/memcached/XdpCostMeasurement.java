package dev.ffkx.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Not a test: what one request costs the XDP fast path, in the kernel's own test_run timing with
 * a large repeat, so the syscall is amortised away. test_mc_xdp_cost.bpf.o wraps the fast path
 * in a program that writes the request back after every run; that write-back alone is measured
 * too and subtracted. Prints the median over rounds, in ns per request. Keys are 32 bytes and
 * values 64, as issue 4 states its target. Run with -Dffkx.measure=true, e.g.
 * {@code mvn -B -o -q -pl apps-memcached -am test -Dtest=XdpCostMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false -Dffkx.measure=true}.
 */
class XdpCostMeasurement {
    private static final int PORT = 11211, REPEAT = 100_000, ROUNDS = 15;
    private static final int XDP_PASS = 2, XDP_TX = 3;
    private static final String KEY = "k".repeat(28) + "0001", MISSING = "m".repeat(28) + "0001";
    private static final String VALUE = "v".repeat(64);

    @Test
    void costPerRequest() {
        assumeTrue(Boolean.getBoolean("ffkx.measure"), "a measurement: -Dffkx.measure=true runs it");
        try (MemcachedKernel kernel = MemcachedKernel.load("/bpf/test_mc_xdp_cost.bpf.o", 64L << 20, PORT, 1 << 20)) {
            byte[] stored = kernel.execute(("set " + KEY + " 0 0 64\r\n" + VALUE + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("STORED\r\n", new String(stored, StandardCharsets.ISO_8859_1));
            byte[] hit = UdpFrames.request(PORT, 1, "get " + KEY + "\r\n");
            assertEquals("VALUE " + KEY + " 0 64\r\n" + VALUE + "\r\nEND\r\n", replyOf(kernel, hit));

            double restore = median(kernel, "mc_cost_restore", hit, XDP_TX);
            double[] ns = {
                median(kernel, "mc_cost_serve", hit, XDP_TX),
                median(kernel, "mc_cost_serve", UdpFrames.request(PORT, 2, "get " + MISSING + "\r\n"), XDP_TX),
                median(kernel, "mc_cost_serve", UdpFrames.request(PORT, 3, "set " + KEY + " 0 0 64\r\n" + VALUE + "\r\n"), XDP_TX),
                median(kernel, "mc_cost_serve", UdpFrames.request(PORT + 1, 4, "get " + KEY + "\r\n"), XDP_PASS),
            };
            String[] names = {"get hit", "get miss", "set", "not memcached (pass)"};
            System.out.printf("XDP fast path, test_run repeat %d, median of %d rounds, write-back %.1f ns subtracted%n",
                    REPEAT, ROUNDS, restore);
            for (int i = 0; i < ns.length; i++) {
                System.out.printf("  %-22s %7.1f ns%n", names[i], ns[i] - restore);
            }
        }
    }

    /** The reply payload mc_xdp makes of a frame, after the Ethernet, IP, UDP and memcached headers. */
    private static String replyOf(MemcachedKernel kernel, byte[] frame) {
        try (TestRun run = kernel.xdp().testRun()) {
            TestRun.Result r = run.data(frame).dataOutCapacity(2048).run();
            assertEquals(XDP_TX, r.retval());
            return new String(Arrays.copyOfRange(r.data(), 50, r.data().length), StandardCharsets.ISO_8859_1);
        }
    }

    /** Median ns per run over ROUNDS test runs of REPEAT; every run must have returned action. */
    private static double median(MemcachedKernel kernel, String program, byte[] frame, int action) {
        BpfMap frameMap = kernel.map("mc_cost_frame");
        byte[] value = new byte[frameMap.valueSize()];
        LittleEndian.putInt(value, 0, frame.length);
        System.arraycopy(frame, 0, value, 4, frame.length);
        frameMap.update(0, value);
        BpfMap actions = kernel.map("mc_cost_actions");
        for (int a = 0; a < actions.maxEntries(); a++) {
            actions.update(a, new byte[8]);
        }
        double[] ns = new double[ROUNDS];
        try (TestRun run = kernel.program(program).testRun()) {
            run.data(frame).dataOutCapacity(2048).repeat(REPEAT);
            for (int i = 0; i < ROUNDS; i++) {
                ns[i] = run.run().durationNs();
            }
        }
        assertEquals((long) REPEAT * ROUNDS, actions.lookupU64(action), program + " returned other actions");
        Arrays.sort(ns);
        return ns[ROUNDS / 2];
    }
}
