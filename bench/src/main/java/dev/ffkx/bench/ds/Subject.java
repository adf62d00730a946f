package dev.ffkx.bench.ds;

import java.util.function.IntBinaryOperator;

/**
 * One implementation of one structure, holding the workload. A batch runs the operations at
 * stream positions {@code [from, from + count)} (or, for populating, on keys {@code from ..}).
 */
interface Subject extends AutoCloseable {
    /** What a batch is for; only measured batches count towards the in-kernel clock. */
    enum Pass {
        MEASURED, SETUP, POPULATE;

        boolean sequential() {
            return this == POPULATE;
        }
    }

    /** Runs a batch and returns how many operations found or stored their key. */
    int run(Op op, int from, int count, Pass pass);

    /** In-kernel nanoseconds and operations of the measured batches so far (zero in user space). */
    default long[] kernelClock() {
        return new long[2];
    }

    @Override
    void close();

    /**
     * Keys per populating batch. Filling a list scans it for every key; in larger batches the plain-eBPF
     * list would outlast the loop budget the kernel gives one program run (can_loop gives up after
     * a quarter of a second).
     */
    int POPULATE_CHUNK = 256;

    /** Calls {@code batch} on {@code [0, keys)} in chunks of at most {@link #POPULATE_CHUNK} keys and sums what it returns. */
    static int inChunks(int keys, IntBinaryOperator batch) {
        int sum = 0;
        for (int from = 0; from < keys; from += POPULATE_CHUNK) {
            sum += batch.applyAsInt(from, Math.min(POPULATE_CHUNK, keys - from));
        }
        return sum;
    }

    /** Opens an implementation of a structure on a workload and fills it with every key. */
    static Subject open(Impl impl, Structure structure, Workload workload) {
        Subject s = impl == Impl.JAVA ? JavaSubjects.of(structure, workload) : new BpfSubject(impl, structure, workload);
        try {
            Op populate = structure.populate();
            if (populate != null) {
                int stored = inChunks(workload.elements(), (from, count) -> s.run(populate, from, count, Pass.POPULATE));
                if (stored != workload.elements()) {
                    throw new IllegalStateException(impl.id() + " " + structure.id() + " stored " + stored
                            + " of " + workload.elements() + " keys");
                }
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
