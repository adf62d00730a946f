package dev.ffkx.bench.net;

import dev.ffkx.bench.Json;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The outcome of a comparison: the side-by-side table, its JSON, and a bar chart of throughput. */
public record Report(Scenario scenario, Machine machine, Endpoint endpoint, String clientNamespace, int seconds,
                     String reference, List<Row> rows, double loadBefore, double loadAfter) {

    private static final String FORMAT = "%-22s %-28s %12s %8s %8s %8s %11s %8s %8s %10s  %s%n";

    /** True when every row that could run did, with no failures. */
    public boolean allRan() {
        return rows.stream().allMatch(r -> r.measured() || !r.status().startsWith("failed"));
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ffkx-bench net %s on %s; %d s per run%n", scenario.cliName(), machine, seconds));
        out.append(String.format(Locale.ROOT, "servers on %s:%d (%s, root namespace), clients in namespace %s over a veth pair%n",
                endpoint.address(), endpoint.port(), endpoint.device(), clientNamespace));
        out.append(String.format(Locale.ROOT, "load average %.2f at the start, %.2f at the end%n%n", loadBefore, loadAfter));
        out.append(String.format(Locale.ROOT, FORMAT, "SERVER", "CLIENT", "OPS/SEC", "AVG MS", "P50 MS", "P99 MS",
                "SERVER CPU", "SOFTIRQ", "KWORKER", "CPU US/REQ", "VS " + reference));
        for (Row r : rows) {
            if (!r.measured()) {
                out.append(String.format(Locale.ROOT, "%-22s %-28s %s%n", r.server(), r.client(), r.status()));
                continue;
            }
            Measurement m = r.measurement();
            out.append(String.format(Locale.ROOT, FORMAT, r.server(), r.client(), String.format(Locale.ROOT, "%,.0f", m.opsPerSecond()),
                    ms(m.avgMillis()), ms(m.p50Millis()), ms(m.p99Millis()), pct(r.serverCpuPercent()), pct(r.softirqPercent()),
                    pct(r.kworkerPercent()), micros(r.cpuMicrosPerRequest()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()))
                    .stripTrailing()).append('\n');
            if (!r.status().isEmpty()) {
                out.append(String.format(Locale.ROOT, "%-22s   note: %s%n", "", r.status()));
            }
        }
        out.append('\n')
                .append("SERVER CPU: user+system time of the server process, % of one core (- : no process of its own).\n")
                .append("SOFTIRQ: softirq time of the whole machine, % of one core: the network stack and XDP of clients and\n")
                .append("servers alike (veth runs the receiver's XDP on the sender's CPU). Clients share the machine's CPUs,\n")
                .append("so a load average above the CPU count means other work took a share of every row.\n")
                .append("KWORKER: time of the kernel's worker threads, % of one core: an sk_skb verdict's redirected replies\n")
                .append("are sent from a work item of the socket map, in a kworker.\n")
                .append("CPU US/REQ: (SERVER CPU + SOFTIRQ + KWORKER) per request, in microseconds of CPU: an upper bound on\n")
                .append("what the server costs per request, since SOFTIRQ also carries the clients' side of the network stack.\n");
        return out.toString();
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String micros(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f%%", v);
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("comparison", scenario.cliName());
        root.put("machine", Map.of("kernel", machine.kernel(), "cpu", machine.cpu(), "cpus", machine.cpus()));
        root.put("server_address", endpoint.address() + ":" + endpoint.port());
        root.put("client_namespace", clientNamespace);
        root.put("seconds_per_run", seconds);
        root.put("load_average_start", loadBefore);
        root.put("load_average_end", loadAfter);
        root.put("reference", reference);
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("server", r.server());
            o.put("client", r.client());
            if (r.measured()) {
                Measurement m = r.measurement();
                o.put("ops_per_sec", m.opsPerSecond());
                o.put("avg_ms", m.avgMillis());
                o.put("p50_ms", m.p50Millis());
                o.put("p99_ms", m.p99Millis());
                o.put("server_cpu_percent", r.serverCpuPercent());
                o.put("softirq_percent", r.softirqPercent());
                o.put("kworker_percent", r.kworkerPercent());
                o.put("cpu_us_per_request", r.cpuMicrosPerRequest());
                o.put("ratio_to_reference", r.ratio());
            }
            o.put("status", r.measured() ? (r.status().isEmpty() ? "ok" : r.status()) : r.status());
            list.add(o);
        }
        root.put("rows", list);
        return Json.write(root);
    }

    /** Throughput by client, one bar per server. */
    public void writeChart(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Row r : rows) {
            if (r.measured()) {
                data.addValue(r.measurement().opsPerSecond() / 1000.0, r.server(), r.client());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "ffkx-bench net " + scenario.cliName() + " (" + machine + ")", null, "thousand ops/sec",
                data, PlotOrientation.VERTICAL, true, false, false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        CategoryAxis axis = plot.getDomainAxis();
        axis.setCategoryLabelPositions(CategoryLabelPositions.createUpRotationLabelPositions(Math.PI / 8));
        axis.setMaximumCategoryLabelLines(2);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        Color[] palette = {new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52)};
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, palette[i % palette.length]);
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 600);
    }
}
