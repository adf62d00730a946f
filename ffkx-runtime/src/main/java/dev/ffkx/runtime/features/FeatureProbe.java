package dev.ffkx.runtime.features;

import dev.ffkx.runtime.BpfLoadException;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.Cgroups;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.Program;
import dev.ffkx.runtime.RunTimeStats;
import dev.ffkx.runtime.SkSkbAttach;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.heap.ExtensionHeap;
import dev.ffkx.runtime.net.VethSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Probes the running kernel for each feature of the contract. */
public final class FeatureProbe {
    private static final int XDP_PASS = 2;
    private static final String PROBES = "/bpf/";

    @FunctionalInterface
    private interface Check {
        String run() throws Exception;
    }

    private FeatureProbe() {}

    /** Probes every feature. XDP probes build a short-lived veth sandbox. */
    public static List<ProbeResult> probeAll() {
        return probe(Feature.all());
    }

    /** Fails with every missing feature's explanation unless all the named features are present. */
    public static void require(String... ids) {
        List<Feature> wanted = new ArrayList<>();
        for (String id : ids) {
            wanted.add(Feature.byId(id));
        }
        List<ProbeResult> missing = probe(wanted).stream().filter(r -> !r.present()).toList();
        if (!missing.isEmpty()) {
            throw new MissingFeatureException(missing);
        }
    }

    private static List<ProbeResult> probe(List<Feature> features) {
        Map<String, Check> checks = checks();
        List<ProbeResult> results = new ArrayList<>();
        for (Feature f : features) {
            Check check = checks.get(f.id());
            if (check == null) {
                results.add(new ProbeResult(f, false, "ffkx has no probe for this feature"));
                continue;
            }
            try {
                results.add(new ProbeResult(f, true, check.run()));
            } catch (BpfLoadException e) {
                results.add(new ProbeResult(f, false, e.getMessage().replace('\n', ' ')));
            } catch (Exception e) {
                results.add(new ProbeResult(f, false, String.valueOf(e.getMessage()).replace('\n', ' ')));
            }
        }
        return results;
    }

    private static Map<String, Check> checks() {
        Map<String, Check> c = new LinkedHashMap<>();
        c.put("bpf", () -> {
            try (BpfObject obj = open("probe_xdp").load()) {
                return "loaded an XDP program";
            }
        });
        c.put("btf", FeatureProbe::btf);
        c.put("xdp_generic", () -> xdp(XdpMode.GENERIC));
        c.put("xdp_native", () -> xdp(XdpMode.NATIVE));
        c.put("arena", FeatureProbe::arena);
        c.put("may_goto", FeatureProbe::mayGoto);
        c.put("res_spin_lock", () -> {
            try (BpfObject obj = open("probe_res_spin_lock").load()) {
                return runXdp(obj.program("probe_res_spin_lock"), "took and released a lock");
            }
        });
        c.put("sk_skb", () -> {
            try (BpfObject obj = open("probe_sk_skb").load()) {
                obj.program("probe_sk_skb").attachSkSkb(obj.map("probe_socks"), SkSkbAttach.STREAM_VERDICT).close();
                return "attached a verdict program to a SOCKHASH";
            }
        });
        c.put("sockops", () -> cgroup("probe_sockops"));
        c.put("cgroup_v2", () -> cgroup("probe_cgroup_skb"));
        c.put("bpf_stats", FeatureProbe::stats);
        return c;
    }

    private static BpfObject open(String probe) {
        return BpfObject.openResource(PROBES + probe + ".bpf.o");
    }

    private static String btf() throws Exception {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        if (!Files.isReadable(vmlinux)) {
            throw new IllegalStateException(vmlinux + " is missing: the kernel needs CONFIG_DEBUG_INFO_BTF=y");
        }
        try (BpfObject obj = open("probe_btf").load()) {
            return runXdp(obj.program("probe_btf"), "CO-RE relocated against " + vmlinux);
        }
    }

    private static String xdp(XdpMode mode) {
        try (VethSandbox sandbox = VethSandbox.create();
             BpfObject obj = open("probe_xdp").load()) {
            obj.program("probe_xdp").attachXdp(sandbox.hostIfindex(), mode).close();
            return "attached through a bpf_link to a veth in " + mode.name().toLowerCase() + " mode";
        }
    }

    private static String arena() {
        try (BpfObject obj = open("probe_arena")) {
            ExtensionHeap.configure(obj.map("probe_heap"), ExtensionHeap.PAGE_SIZE);
            obj.load();
            try (TestRun run = obj.program("probe_arena").testRun()) {
                int ret = run.runForRetval();
                if (ret != 0) {
                    throw new IllegalStateException("arena page allocation returned " + ret);
                }
            }
            return "allocated and wrote an arena page";
        }
    }

    private static String mayGoto() {
        try (BpfObject obj = open("probe_may_goto").load();
             TestRun run = obj.program("probe_may_goto").testRun()) {
            int ret = run.context(LittleEndian.u64(1000)).runForRetval();
            if (ret != 0) {
                throw new IllegalStateException("a 1000-step loop was cancelled (" + ret + ")");
            }
            return "ran an unbounded loop with cond_break";
        }
    }

    private static String cgroup(String program) {
        Path root = Cgroups.v2Root().orElseThrow(() -> new IllegalStateException("no cgroup2 mount in /proc/mounts"));
        try (BpfObject obj = open("probe_cgroup").load()) {
            Program p = obj.program(program);
            (program.equals("probe_sockops") ? p.attachSockOps() : p.attachCgroupIngress(root)).close();
            return "attached to " + root;
        }
    }

    private static String stats() {
        try (RunTimeStats stats = RunTimeStats.enable();
             BpfObject obj = open("probe_xdp").load();
             TestRun run = obj.program("probe_xdp").testRun()) {
            run.data(new byte[64]).repeat(10).run();
            long count = obj.program("probe_xdp").runStats().runCount();
            if (count < 10) {
                throw new IllegalStateException("run_cnt is " + count + " after 10 runs");
            }
            return "run_cnt and run_time_ns count while enabled";
        }
    }

    private static String runXdp(Program p, String success) {
        try (TestRun run = p.testRun()) {
            int ret = run.data(new byte[64]).runForRetval();
            if (ret != XDP_PASS) {
                throw new IllegalStateException(p.name() + " returned " + ret);
            }
            return success;
        }
    }
}
