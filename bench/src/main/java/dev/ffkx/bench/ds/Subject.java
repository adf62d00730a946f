package dev.ffkx.bench.ds;

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

    /** Opens an implementation of a structure on a workload and fills it with every key. */
    static Subject open(Impl impl, Structure structure, Workload workload) {
        Subject s = impl == Impl.JAVA ? JavaSubjects.of(structure, workload) : new BpfSubject(impl, structure, workload);
        try {
            Op populate = structure.populate();
            if (populate != null) {
                int stored = s.run(populate, 0, workload.elements(), Pass.POPULATE);
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
