package dev.ffkx.cli;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.net.VethSandbox;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ffkx demo}: the smallest end-to-end extension. It builds a sandbox (a namespace joined to
 * the root namespace by a veth pair), attaches an XDP packet counter to the root end, pings it
 * from the namespace, prints what the kernel counted, and tears everything down.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Attach an XDP packet counter to a sandbox veth, send it traffic, print the counts.")
final class DemoCommand implements Callable<Integer> {
    private static final Map<Integer, String> PROTOCOLS = Map.of(0, "non-IPv4", 1, "ICMP", 6, "TCP", 17, "UDP");

    @Option(names = "--pings", defaultValue = "10", description = "Pings to send (default ${DEFAULT-VALUE}).")
    private int pings;

    @Option(names = "--xdp-mode", defaultValue = "native", description = "auto, native or generic (default ${DEFAULT-VALUE}).")
    private String mode;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        XdpMode xdpMode = XdpMode.valueOf(mode.toUpperCase());
        try (VethSandbox sandbox = VethSandbox.create();
             BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            obj.program("probe_xdp").attachXdp(sandbox.hostIfindex(), xdpMode);
            out.printf("XDP counter attached (%s mode) to %s (%s); sending %d pings from namespace %s (%s)%n",
                    mode, sandbox.hostDevice(), sandbox.hostAddress(), pings, sandbox.namespace().name(), sandbox.peerAddress());
            out.flush();
            sandbox.namespace().exec("ping", "-q", "-c", String.valueOf(pings), "-i", "0.02", "-W", "2", sandbox.hostAddress());

            BpfMap counts = obj.map("packets_by_proto");
            out.printf("%-10s %8s%n", "PROTOCOL", "PACKETS");
            for (Map.Entry<Integer, String> p : new java.util.TreeMap<>(PROTOCOLS).entrySet()) {
                long n = counts.sumPerCpuU64(LittleEndian.u32(p.getKey()), 0);
                if (n > 0) {
                    out.printf("%-10s %8d%n", p.getValue(), n);
                }
            }
        }
        out.println("Sandbox removed; nothing is left attached.");
        out.flush();
        return 0;
    }
}
