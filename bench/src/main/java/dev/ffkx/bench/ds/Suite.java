package dev.ffkx.bench.ds;

import dev.ffkx.runtime.Program;
import dev.ffkx.runtime.analysis.GuardAnalysis;
import dev.ffkx.runtime.analysis.GuardStats;
import dev.ffkx.runtime.analysis.KflexLogLines;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the matrix (or the cells a filter selects) under JMH and builds the {@link Report}.
 * Cells whose implementation this build does not ship are reported as not available rather than
 * left out, so a missing row is never mistaken for a fast one.
 */
public final class Suite {
    /** Keys in a structure: KFlex's 100,000. */
    public static final int ELEMENTS = 100_000;
    /** A quick run's structures are smaller, so populating them costs milliseconds. */
    public static final int QUICK_ELEMENTS = 4096;
    public static final String CSV = "ds-results.csv";
    public static final String JSON = "ds-results.json";
    public static final String PNG = "ds-results.png";

    /**
     * @param quick a CI smoke run of a few seconds a cell: uniform keys only, small structures, JMH in-process
     * @param filter selects cells by {@link Cell#id()} ({@code find}, not a whole match); null for all
     * @param cpu the CPU to pin the benchmark thread to, -1 for the last
     * @param jmhArgs JMH's own command-line options; they win over the suite's defaults
     */
    public record Options(boolean quick, Pattern filter, Path outDir, int cpu, List<String> jmhArgs, PrintStream out) {}

    private Suite() {}

    public static Report run(Options o) throws RunnerException, IOException {
        org.openjdk.jmh.runner.options.Options jmh;
        try {
            jmh = new CommandLineOptions(o.jmhArgs().toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new IllegalArgumentException("JMH options: " + e.getMessage(), e);
        }
        int elements = o.quick() ? QUICK_ELEMENTS : ELEMENTS;
        List<Cell> selected = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (Cell c : Cell.all()) {
            if ((o.filter() == null || o.filter().matcher(c.id()).find()) && !(o.quick() && c.dist() != Distribution.UNIFORM)) {
                selected.add(c);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("the filter " + o.filter() + " selects no cell (cells look like hashmap.lookup/ffkx/zipf)");
        }
        Path clockFile = Files.createTempFile("ffkx-bench-kernel", ".txt");
        try {
            Map<String, Row> measured = measure(o, jmh, elements, selected, clockFile);
            Map<String, double[]> clock = readClock(clockFile);
            for (Cell c : selected) {
                Row r = measured.get(c.id());
                if (r == null) {
                    r = c.impl().implemented(c.structure())
                            ? Row.failed(c, "JMH returned no result (see its output)")
                            : Row.notAvailable(c, c.impl().id() + " " + c.structure().id() + " is not built in this version");
                }
                double[] k = clock.get(c.id());
                rows.add(k == null ? r : r.withKernelNsPerOp(k[0] / k[1]));
            }
        } finally {
            Files.deleteIfExists(clockFile);
        }
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("date", Instant.now().toString());
        setup.put("quick", o.quick());
        setup.put("elements", elements);
        setup.put("key_bytes", 32);
        setup.put("value_bytes", 64);
        setup.put("zipf_exponent", Distribution.ZIPF_EXPONENT);
        setup.put("seed", Workload.SEED);
        setup.put("batch", DsBench.BATCH);
        setup.put("list_elements", Structure.LIST.elements(elements));
        setup.put("list_batch", DsBench.SCAN_BATCH);
        setup.put("kernel", System.getProperty("os.version"));
        setup.put("jvm", System.getProperty("java.vm.version"));
        Report report;
        try {
            report = new Report(rows, setup, guardStats(selected), kernelLogStats(o.out()));
        } finally {
            BpfSubject.unloadAll();
        }
        Files.createDirectories(o.outDir());
        report.writeCsv(o.outDir().resolve(CSV));
        report.writeJson(o.outDir().resolve(JSON));
        Chart.write(report, o.outDir().resolve(PNG));
        return report;
    }

    /** One JMH run per benchmark method and distribution, over the implementations selected for it. */
    private static Map<String, Row> measure(Options o, org.openjdk.jmh.runner.options.Options jmh, int elements,
            List<Cell> selected, Path clockFile) throws RunnerException {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        for (Cell c : selected) {
            if (c.impl().implemented(c.structure())) {
                groups.computeIfAbsent(c.method().javaName() + " " + c.dist().id(), k -> new LinkedHashSet<>()).add(c.impl().id());
            }
        }
        boolean inProcess = o.quick() && !jmh.getForkCount().hasValue() || jmh.getForkCount().orElse(1) == 0;
        if (inProcess) {
            System.setProperty(Fixture.KERNEL_CLOCK_FILE, clockFile.toString());
        }
        VerboseMode verbosity = jmh.verbosity().orElse(o.quick() ? VerboseMode.SILENT : VerboseMode.NORMAL);
        Map<String, Row> rows = new HashMap<>();
        for (Map.Entry<String, Set<String>> g : groups.entrySet()) {
            String[] methodAndDist = g.getKey().split(" ");
            ChainedOptionsBuilder b = new OptionsBuilder().parent(jmh)
                    .include("^" + Pattern.quote(DsBench.class.getName() + "." + methodAndDist[0]) + "$")
                    .param("impl", g.getValue().toArray(String[]::new))
                    .param("dist", methodAndDist[1])
                    .param("elements", String.valueOf(elements))
                    .param("cpu", String.valueOf(o.cpu()))
                    .jvmArgsAppend("-D" + Fixture.KERNEL_CLOCK_FILE + "=" + clockFile);
            if (o.quick()) {
                quickDefaults(b, jmh);
            }
            Collection<RunResult> results = new Runner(b.build(), OutputFormatFactory.createFormatInstance(o.out(), verbosity)).run();
            for (RunResult rr : results) {
                String method = rr.getParams().getBenchmark().substring(rr.getParams().getBenchmark().lastIndexOf('.') + 1);
                Cell c = new Cell(Cell.Method.parse(method).structure(), Cell.Method.parse(method).op(),
                        Impl.of(rr.getParams().getParam("impl")), Distribution.of(rr.getParams().getParam("dist")));
                rows.put(c.id(), new Row(c, Row.Status.MEASURED, rr.getPrimaryResult().getScore(),
                        rr.getPrimaryResult().getScoreError(), Double.NaN, ""));
            }
        }
        return rows;
    }

    /** A few hundred milliseconds a cell, in this JVM; any of it can be overridden with JMH options. */
    private static void quickDefaults(ChainedOptionsBuilder b, org.openjdk.jmh.runner.options.Options jmh) {
        if (!jmh.getForkCount().hasValue()) {
            b.forks(0);
        }
        if (!jmh.getWarmupIterations().hasValue()) {
            b.warmupIterations(1);
        }
        if (!jmh.getWarmupTime().hasValue()) {
            b.warmupTime(TimeValue.milliseconds(100));
        }
        if (!jmh.getMeasurementIterations().hasValue()) {
            b.measurementIterations(1);
        }
        if (!jmh.getMeasurementTime().hasValue()) {
            b.measurementTime(new TimeValue(100, TimeUnit.MILLISECONDS));
        }
    }

    /** Per cell: in-kernel ns and operations summed over trials, as Fixture wrote them. */
    private static Map<String, double[]> readClock(Path file) throws IOException {
        Map<String, double[]> clock = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            double[] sum = clock.computeIfAbsent(f[0], k -> new double[2]);
            sum[0] += Long.parseLong(f[1]);
            sum[1] += Long.parseLong(f[2]);
        }
        return clock;
    }

    /**
     * Guard statistics of every program of the ffkx objects the run touched, each program once.
     * An in-process run has loaded them already and they are reused.
     */
    private static List<GuardStats> guardStats(List<Cell> selected) {
        Map<String, GuardStats> byName = new LinkedHashMap<>();
        selected.stream().map(Cell::structure).distinct().filter(Impl.FFKX::implemented).forEach(s -> {
            for (Program p : BpfSubject.object(Impl.FFKX, s).programs()) {
                byName.computeIfAbsent(p.name(), n -> GuardAnalysis.analyze(p));
            }
        });
        return List.copyOf(byName.values());
    }

    /** KFlex-format lines in the kernel log, as a KFlex kernel prints them; none on a stock kernel. */
    private static List<GuardStats> kernelLogStats(PrintStream out) {
        try {
            Process dmesg = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
            String text = new String(dmesg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return dmesg.waitFor() == 0 ? KflexLogLines.parse(text) : List.of();
        } catch (IOException e) {
            out.println("ffkx-bench: cannot read the kernel log: " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted reading the kernel log", e));
        }
    }
}
