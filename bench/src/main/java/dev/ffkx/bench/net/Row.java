package dev.ffkx.bench.net;

/**
 * One line of the comparison. A row that did not run has no measurement and says why in
 * {@code status}. CPU figures are percent of one core over the run; NaN where there is nothing
 * to read (an in-kernel server has no process of its own).
 */
public record Row(String server, String client, Measurement measurement, double serverCpuPercent,
                  double softirqPercent, double kworkerPercent, double ratio, String status) {

    static Row notRun(String server, String client, String status) {
        return new Row(server, client, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, status);
    }

    /**
     * CPU time per request in microseconds: the server process's share (0 when it has none, as an
     * in-kernel server) plus the machine's softirq and kworker time, over the requests served. NaN
     * if not measured.
     */
    public double cpuMicrosPerRequest() {
        if (!measured() || measurement.opsPerSecond() <= 0 || Double.isNaN(softirqPercent)) {
            return Double.NaN;
        }
        double server = Double.isNaN(serverCpuPercent) ? 0 : serverCpuPercent;
        double kworker = Double.isNaN(kworkerPercent) ? 0 : kworkerPercent;
        return (server + softirqPercent + kworker) / 100.0 * 1e6 / measurement.opsPerSecond();
    }

    public boolean measured() {
        return measurement != null;
    }
}
