package dev.ffkx.bench.net;

import dev.ffkx.bench.load.LoadGenerator;
import dev.ffkx.bench.load.LoadResult;
import dev.ffkx.bench.load.LoadSpec;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.net.VethSandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Runs one {@link Scenario}: builds a veth sandbox, runs each server under test on the host end's
 * address, drives it from the namespace with every client of its lane, one at a time, and tears
 * everything down, whatever fails. Servers sit in the root namespace and clients in the sandbox's,
 * so every request crosses the veth pair as it would cross a NIC.
 */
public final class NetBench {
    private NetBench() {}

    /**
     * @param seconds  length of each measured run
     * @param warmUp   give each ffkx-load run unmeasured seconds first, for the JIT
     * @param log      receives a line as each run starts and ends
     */
    public static Report run(Scenario scenario, int port, int seconds, boolean warmUp, Consumer<String> log) throws Exception {
        long hz = CpuTimes.ticksPerSecond();
        double loadBefore = CpuTimes.loadAverage();
        List<Row> rows = new ArrayList<>();
        try (VethSandbox sandbox = VethSandbox.create();
             BpfObject peerPass = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            // XDP_TX frames reach a veth peer only if the peer runs XDP too; every row gets the same path.
            sandbox.namespace().call(() -> peerPass.program("probe_xdp").attachXdp(sandbox.peerDevice(), XdpMode.NATIVE));
            Endpoint endpoint = new Endpoint(sandbox.hostAddress(), port, sandbox.hostDevice(), sandbox.hostIfindex());
            log.accept(String.format(Locale.ROOT, "sandbox: servers on %s:%d (%s, root namespace), clients in namespace %s (%s)",
                    endpoint.address(), port, endpoint.device(), sandbox.namespace().name(), sandbox.peerAddress()));
            String reference = null;
            List<Row> referenceRows = new ArrayList<>();
            for (Scenario.Lane lane : scenario.lanes(warmUp)) {
                ServerUnderTest server = lane.server();
                if (reference == null) {
                    reference = server.name();
                }
                List<Row> laneRows = runLane(scenario, sandbox, endpoint, lane, seconds, hz, log);
                for (Row r : laneRows) {
                    Row ref = referenceRows.stream().filter(x -> x.client().equals(r.client()) && x.measured()).findFirst().orElse(null);
                    double ratio = !r.measured() ? Double.NaN : server.name().equals(reference) ? 1.0
                            : ref != null ? r.measurement().opsPerSecond() / ref.measurement().opsPerSecond() : Double.NaN;
                    rows.add(new Row(r.server(), r.client(), r.measurement(), r.serverCpuPercent(), r.softirqPercent(),
                            r.kworkerPercent(), ratio, r.status()));
                }
                if (server.name().equals(reference)) {
                    referenceRows.addAll(laneRows);
                }
            }
            return new Report(scenario, Machine.current(), endpoint, sandbox.namespace().name(), seconds, reference, rows,
                    loadBefore, CpuTimes.loadAverage());
        }
    }

    private static List<Row> runLane(Scenario scenario, VethSandbox sandbox, Endpoint endpoint, Scenario.Lane lane,
                                     int seconds, long hz, Consumer<String> log) {
        String name = lane.server().name();
        List<Row> rows = new ArrayList<>();
        try (ServerUnderTest.Running running = lane.server().start(endpoint)) {
            // The prefill speaks TCP; a UDP-only server (the XDP echo) stores nothing to prefill.
            if (lane.clients().stream().anyMatch(c -> !c.udp())) {
                prefill(scenario, sandbox, endpoint);
            }
            for (Client client : lane.clients()) {
                log.accept(name + " <- " + client.name() + " ...");
                rows.add(measure(sandbox, endpoint, name, client, running.pid(), seconds, hz, log));
            }
        } catch (Exception e) {
            String why = "failed: " + rootMessage(e);
            log.accept(name + ": " + why);
            rows.add(Row.notRun(name, "", why));
        }
        return rows;
    }

    private static void prefill(Scenario scenario, VethSandbox sandbox, Endpoint endpoint) {
        scenario.prefill().ifPresent(builder -> {
            LoadSpec spec = builder.server(endpoint.address(), endpoint.port()).build();
            LoadResult r = sandbox.namespace().call(() -> LoadGenerator.run(spec, null));
            if (r.errors() > 0 || r.connectionFailures() > 0) {
                throw new IllegalStateException("writing the keys before measuring: " + r);
            }
        });
    }

    private static Row measure(VethSandbox sandbox, Endpoint endpoint, String server, Client client, OptionalLong pid,
                               int seconds, long hz, Consumer<String> log) {
        OptionalLong cpuBefore = pid.isPresent() ? CpuTimes.processTicks(pid.getAsLong()) : OptionalLong.empty();
        long softBefore = CpuTimes.softirqTicks();
        long kworkerBefore = CpuTimes.kworkerTicks();
        long start = System.nanoTime();
        try {
            Measurement m = client.run(sandbox.namespace(), endpoint, seconds);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long softAfter = CpuTimes.softirqTicks();
            OptionalLong cpuAfter = pid.isPresent() ? CpuTimes.processTicks(pid.getAsLong()) : OptionalLong.empty();
            double cpu = cpuBefore.isPresent() && cpuAfter.isPresent()
                    ? 100.0 * (cpuAfter.getAsLong() - cpuBefore.getAsLong()) / hz / elapsed : Double.NaN;
            double softirq = 100.0 * (softAfter - softBefore) / hz / elapsed;
            double kworker = 100.0 * Math.max(0, CpuTimes.kworkerTicks() - kworkerBefore) / hz / elapsed;
            log.accept(String.format(Locale.ROOT, "%s <- %s: %,.0f ops/sec%s", server, client.name(), m.opsPerSecond(),
                    m.note().isEmpty() ? "" : " (" + m.note() + ")"));
            return new Row(server, client.name(), m, cpu, softirq, kworker, Double.NaN, m.note());
        } catch (Exception e) {
            String why = "failed: " + rootMessage(e);
            log.accept(server + " <- " + client.name() + ": " + why);
            return Row.notRun(server, client.name(), why);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
