package dev.ffkx.runtime.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.Link;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.XdpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(NoLeftovers.class)
class XdpAttachTest {
    private static final int IPPROTO_ICMP = 1;
    private static final int PINGS = 5;

    @ParameterizedTest
    @EnumSource(value = XdpMode.class, names = {"NATIVE", "GENERIC"})
    void countsPacketsSentFromTheNamespace(XdpMode mode) {
        try (VethSandbox sandbox = VethSandbox.create();
             BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            Link link = obj.program("probe_xdp").attachXdp(sandbox.hostDevice(), mode);
            assertTrue(Interfaces.withXdp().contains(sandbox.hostDevice()));

            sandbox.namespace().exec("ping", "-c", String.valueOf(PINGS), "-i", "0.05", "-W", "2", sandbox.hostAddress());

            BpfMap counts = obj.map("packets_by_proto");
            long icmp = counts.sumPerCpuU64(LittleEndian.u32(IPPROTO_ICMP), 0);
            assertTrue(icmp >= PINGS, mode + ": counted " + icmp + " ICMP packets for " + PINGS + " pings");

            link.close();
            assertFalse(Interfaces.withXdp().contains(sandbox.hostDevice()), "detached on close");
        }
    }

    @Test
    void attachesInsideTheNamespaceToo() {
        try (VethSandbox sandbox = VethSandbox.create();
             BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            Link link = sandbox.namespace().call(
                    () -> obj.program("probe_xdp").attachXdp(sandbox.peerDevice(), XdpMode.NATIVE));
            assertTrue(sandbox.namespace().ip("-d", "link", "show", sandbox.peerDevice()).contains("xdp"));

            sandbox.namespace().exec("ping", "-c", String.valueOf(PINGS), "-i", "0.05", "-W", "2", sandbox.hostAddress());
            long replies = obj.map("packets_by_proto").sumPerCpuU64(LittleEndian.u32(IPPROTO_ICMP), 0);
            assertTrue(replies >= PINGS, "the peer saw " + replies + " ICMP replies");

            link.close();
            assertFalse(sandbox.namespace().ip("-d", "link", "show", sandbox.peerDevice()).contains("prog/xdp"));
        }
    }

    @Test
    void secondProgramOnTheSameDeviceFailsClearly() {
        try (VethSandbox sandbox = VethSandbox.create();
             BpfObject first = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load();
             BpfObject second = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            first.program("probe_xdp").attachXdp(sandbox.hostIfindex(), XdpMode.AUTO);
            BpfException e = assertThrows(BpfException.class,
                    () -> second.program("probe_xdp").attachXdp(sandbox.hostIfindex(), XdpMode.AUTO));
            assertTrue(e.getMessage().contains("already attached"), e.getMessage());
        }
    }

    @Test
    void unknownDeviceIsNamed() {
        try (BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            BpfException e = assertThrows(BpfException.class,
                    () -> obj.program("probe_xdp").attachXdp("nosuchdev0", XdpMode.AUTO));
            assertTrue(e.getMessage().contains("nosuchdev0"), e.getMessage());
        }
    }
}
