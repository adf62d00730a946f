package dev.ffkx.bench.ds;

import dev.ffkx.bench.Json;
import dev.ffkx.runtime.analysis.GuardStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The suite's findings: a row per cell, the comparison of the implementations per operation, the
 * issue's targets, and the guard statistics of every ffkx program. Ratios below 1 mean ffkx is
 * faster.
 */
public final class Report {
    private final List<Row> rows;
    private final Map<String, Object> setup;
    private final List<GuardStats> guards;
    private final List<GuardStats> kernelLog;

    Report(List<Row> rows, Map<String, Object> setup, List<GuardStats> guards, List<GuardStats> kernelLog) {
        this.rows = List.copyOf(rows);
        this.setup = setup;
        this.guards = List.copyOf(guards);
        this.kernelLog = List.copyOf(kernelLog);
    }

    public List<Row> rows() {
        return rows;
    }

    /** One line per structure, operation and distribution: the three implementations side by side. */
    public record Comparison(Cell.Method method, Distribution dist, Row ffkx, Row ebpf, Row java) {
        public double ffkxOverEbpf() {
            return ffkx.nsPerOp() / ebpf.nsPerOp();
        }

        public double ffkxOverJava() {
            return ffkx.nsPerOp() / java.nsPerOp();
        }

        public String label() {
            return method.label() + "/" + dist.id();
        }
    }

    public List<Comparison> comparisons() {
        Map<String, Map<Impl, Row>> byOp = new LinkedHashMap<>();
        for (Row r : rows) {
            String key = r.cell().method().label() + "/" + r.cell().dist().id();
            byOp.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(r.cell().impl(), r);
        }
        List<Comparison> out = new ArrayList<>();
        for (Map<Impl, Row> m : byOp.values()) {
            Row any = m.values().iterator().next();
            out.add(new Comparison(any.cell().method(), any.cell().dist(), orMissing(m, Impl.FFKX, any),
                    orMissing(m, Impl.EBPF, any), orMissing(m, Impl.JAVA, any)));
        }
        return out;
    }

    private static Row orMissing(Map<Impl, Row> m, Impl impl, Row any) {
        Row r = m.get(impl);
        return r != null ? r : Row.notAvailable(new Cell(any.cell().structure(), any.cell().op(), impl, any.cell().dist()), "filtered out");
    }

    /** The comparison table printed at the end of a run. */
    public String table() {
        StringBuilder out = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-26s %-8s %12s %12s %12s %10s %10s %12s %12s%n", "OPERATION", "DIST",
                "FFKX ns/op", "EBPF ns/op", "JAVA ns/op", "ffkx/ebpf", "ffkx/java", "FFKX kern", "EBPF kern");
        out.append(header);
        for (Comparison c : comparisons()) {
            out.append(String.format(Locale.ROOT, "%-26s %-8s %12s %12s %12s %10s %10s %12s %12s%n", c.method().label(),
                    c.dist().id(), ns(c.ffkx()), ns(c.ebpf()), ns(c.java()), ratio(c.ffkxOverEbpf()),
                    ratio(c.ffkxOverJava()), num(c.ffkx().kernelNsPerOp()), num(c.ebpf().kernelNsPerOp())));
        }
        return out.toString();
    }

    private static String ns(Row r) {
        return switch (r.status()) {
            case MEASURED -> num(r.nsPerOp());
            case NOT_AVAILABLE -> "n/a";
            case FAILED -> "failed";
        };
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    /** The targets, each reported as met, missed or not measurable; never asserted. */
    public List<String> targets() {
        List<String> out = new ArrayList<>();
        for (Comparison c : comparisons()) {
            Structure s = c.method().structure();
            if (c.method().op() == Op.LOOKUP && s == Structure.HASHMAP) {
                out.add(target(c, "ffkx/ebpf <= 1.20", c.ffkxOverEbpf(), v -> v <= 1.2));
            } else if (s == Structure.RBTREE || s == Structure.LIST || s == Structure.SKIPLIST) {
                out.add(target(c, "ffkx/ebpf <= 0.50 (2x faster)", c.ffkxOverEbpf(), v -> v <= 0.5));
            } else if (s == Structure.ALLOC) {
                out.add(target(c, "ffkx ns/op < 30", c.ffkx().nsPerOp(), v -> v < 30));
            }
        }
        return out;
    }

    private static String target(Comparison c, String goal, double got, DoublePredicate met) {
        String verdict = Double.isNaN(got) ? "not measured" : met.test(got) ? "met" : "MISSED";
        return String.format(Locale.ROOT, "target %-28s %-30s got %8s  %s", c.label(), goal,
                Double.isNaN(got) ? "-" : String.format(Locale.ROOT, "%.2f", got), verdict);
    }

    /** KFlex-format guard lines for every ffkx program, then a total, then any the kernel logged. */
    public List<String> guardLines() {
        List<String> out = new ArrayList<>();
        if (guards.isEmpty()) {
            out.add("guard statistics: no ffkx program in this run");
        }
        int accesses = 0, guarded = 0, elided = 0;
        for (GuardStats g : guards) {
            out.add(g.toKflexLine());
            accesses += g.heapAccesses();
            guarded += g.guards();
            elided += g.elided();
        }
        if (!guards.isEmpty()) {
            out.add("total programs=" + guards.size() + " heap_accesses=" + accesses + " range_analysis_call=" + guarded
                    + " elided=" + elided);
        }
        for (GuardStats g : kernelLog) {
            out.add("kmsg " + g.toKflexLine());
        }
        return out;
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder out = new StringBuilder(
                "structure,op,distribution,impl,status,ns_per_op,ns_per_op_error,kernel_ns_per_op,note\n");
        for (Row r : rows) {
            Cell c = r.cell();
            out.append(String.join(",", c.structure().id(), c.op().id(), c.dist().id(), c.impl().id(),
                    r.status().name().toLowerCase(Locale.ROOT), csv(r.nsPerOp()), csv(r.error()), csv(r.kernelNsPerOp()),
                    '"' + r.note().replace("\"", "\"\"") + '"')).append('\n');
        }
        Files.writeString(file, out);
    }

    private static String csv(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    public void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("setup", setup);
        List<Object> rowList = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("structure", r.cell().structure().id());
            m.put("op", r.cell().op().id());
            m.put("distribution", r.cell().dist().id());
            m.put("impl", r.cell().impl().id());
            m.put("status", r.status().name().toLowerCase(Locale.ROOT));
            m.put("ns_per_op", r.nsPerOp());
            m.put("ns_per_op_error", r.error());
            m.put("kernel_ns_per_op", r.kernelNsPerOp());
            m.put("note", r.note());
            rowList.add(m);
        }
        doc.put("rows", rowList);
        List<Object> ratios = new ArrayList<>();
        for (Comparison c : comparisons()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operation", c.method().label());
            m.put("distribution", c.dist().id());
            m.put("ffkx_over_ebpf", c.ffkxOverEbpf());
            m.put("ffkx_over_java", c.ffkxOverJava());
            ratios.add(m);
        }
        doc.put("ratios", ratios);
        doc.put("targets", targets());
        doc.put("guards", guardLines());
        Files.writeString(file, Json.write(doc));
    }
}
