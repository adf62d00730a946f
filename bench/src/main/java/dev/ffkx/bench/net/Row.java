package dev.ffkx.bench.net;

/**
 * One line of the comparison. A row that did not run has no measurement and says why in
 * {@code status}. CPU figures are percent of one core over the run; NaN where there is nothing
 * to read (an in-kernel server has no process of its own).
 */
public record Row(String server, String client, Measurement measurement, double serverCpuPercent,
                  double softirqPercent, double ratio, String status) {

    static Row notRun(String server, String client, String status) {
        return new Row(server, client, null, Double.NaN, Double.NaN, Double.NaN, status);
    }

    public boolean measured() {
        return measurement != null;
    }
}
