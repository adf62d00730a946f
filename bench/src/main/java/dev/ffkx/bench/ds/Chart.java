package dev.ffkx.bench.ds;

import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The PNG: grouped bars of ns/op per structure and operation, one bar per implementation. The
 * axis is logarithmic because a list scan and a hash lookup differ by four orders of magnitude.
 */
final class Chart {
    private static final Color[] IMPL_COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x7F7F7F)};

    private Chart() {}

    static void write(Report report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Report.Comparison c : report.comparisons()) {
            for (Row r : new Row[] {c.ffkx(), c.ebpf(), c.java()}) {
                // an implementation without a number still gets its (empty) slot, so colours line up
                data.addValue(r.status() == Row.Status.MEASURED ? r.nsPerOp() : null, r.cell().impl().id(), c.label());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("ffkx data structures: time per operation",
                "structure.operation/distribution", "ns per operation", data);
        CategoryPlot plot = chart.getCategoryPlot();
        LogAxis ns = new LogAxis("ns per operation (log scale)");
        ns.setSmallestValue(1);
        ns.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
        ns.setNumberFormatOverride(new DecimalFormat("#,##0"));
        plot.setRangeAxis(ns);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.02);
        for (int i = 0; i < IMPL_COLORS.length; i++) {
            bars.setSeriesPaint(i, IMPL_COLORS[i]);
        }
        int width = Math.max(900, 70 * data.getColumnCount() + 200);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, 700);
    }
}
