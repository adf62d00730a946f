package dev.ffkx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class TestRunTest {
    private static final int XDP_PASS = 2;
    private static final int IPPROTO_UDP = 17;

    @Test
    void repeatRunsTheProgramThatManyTimes() {
        try (BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load();
             TestRun run = obj.program("probe_xdp").testRun()) {
            byte[] frame = Packets.udp("hello".getBytes());
            TestRun.Result r = run.data(frame).repeat(1000).run();
            assertEquals(XDP_PASS, r.retval());
            assertTrue(r.durationNs() > 0, "duration " + r.durationNs());
            assertArrayEquals(frame, r.data());
            assertEquals(1000, obj.map("packets_by_proto").sumPerCpuU64(LittleEndian.u32(IPPROTO_UDP), 0));

            assertEquals(XDP_PASS, run.repeat(1).runForRetval());
            assertEquals(1001, obj.map("packets_by_proto").sumPerCpuU64(LittleEndian.u32(IPPROTO_UDP), 0));
        }
    }
}
