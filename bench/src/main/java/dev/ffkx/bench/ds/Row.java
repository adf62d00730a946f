package dev.ffkx.bench.ds;

/**
 * What the suite found for one {@link Cell}.
 *
 * @param nsPerOp JMH's mean time per operation, NaN unless measured
 * @param error JMH's 99.9% confidence half-width, NaN when there were too few iterations
 * @param kernelNsPerOp time per operation inside the BPF program (bpf_ktime_get_ns), NaN for java
 * @param note why a cell has no number
 */
public record Row(Cell cell, Status status, double nsPerOp, double error, double kernelNsPerOp, String note) {
    public enum Status { MEASURED, NOT_AVAILABLE, FAILED }

    static Row notAvailable(Cell cell, String why) {
        return new Row(cell, Status.NOT_AVAILABLE, Double.NaN, Double.NaN, Double.NaN, why);
    }

    static Row failed(Cell cell, String why) {
        return new Row(cell, Status.FAILED, Double.NaN, Double.NaN, Double.NaN, why);
    }

    Row withKernelNsPerOp(double ns) {
        return new Row(cell, status, nsPerOp, error, ns, note);
    }
}
