package dev.ffkx.bench.ds;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.heap.ExtensionHeap;
import dev.ffkx.runtime.heap.ManagedHeap;
import java.util.EnumMap;
import java.util.Map;

/**
 * A structure implemented by BPF programs ({@code <structure>_<op>}, one per operation) in
 * {@code /bpf/<impl>_<structure>.bpf.o}. Each batch is one BPF_PROG_TEST_RUN of a syscall program;
 * the benchmark path allocates nothing. An object with an extension heap has it initialized, then
 * its {@code <structure>_create} program, if any, builds the empty structure.
 */
final class BpfSubject implements Subject {
    /** Room for 100,000 keys, values and nodes, with the allocator's slack. */
    static final long HEAP_BYTES = 64L << 20;
    /** Root slot where a structure that probes with heap keys publishes its copy of the key set (bench_heap.h). */
    static final int HEAP_KEYS_ROOT = 15;

    private final BpfObject object;
    private final Map<Op, TestRun> runs = new EnumMap<>(Op.class);
    private final byte[] args = new byte[16]; // struct bench_args

    BpfSubject(Impl impl, Structure structure, Workload workload) {
        object = BpfObject.openResource(impl.objectResource(structure));
        try {
            boolean heap = object.maps().stream().anyMatch(m -> m.name().equals(ManagedHeap.MAP));
            if (heap) {
                ManagedHeap.configure(object, HEAP_BYTES);
            }
            object.load();
            ExtensionHeap view = heap ? ManagedHeap.initialize(object) : null;
            String create = structure.id() + "_create";
            if (object.programs().stream().anyMatch(p -> p.name().equals(create))) {
                runOnce(create);
            }
            long heapKeys = view == null ? 0 : ManagedHeap.root(view, HEAP_KEYS_ROOT);
            if (heapKeys != 0) {
                view.write(heapKeys, workload.keysetImage());
            }
            object.map("bench_keys").update(0, workload.keysetImage());
            object.map("bench_stream").update(0, workload.streamImage());
            for (Op op : structure.ops()) {
                runs.put(op, object.program(structure.id() + "_" + op.id()).testRun());
            }
            if (structure.ops().contains(Op.INSERT) && !runs.containsKey(Op.DELETE)) {
                throw new IllegalStateException(structure.id() + " has inserts but no delete to undo them");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs a setup program (a structure's constructor) that takes no argument. */
    private void runOnce(String program) {
        try (TestRun run = object.program(program).testRun()) {
            int ret = run.context(new byte[8]).runForRetval();
            if (ret < 0) {
                throw new BpfException(object.name() + " " + program, -ret);
            }
        }
    }

    @Override
    public int run(Op op, int from, int count, Pass pass) {
        TestRun run = runs.get(op);
        LittleEndian.putInt(args, 0, from);
        LittleEndian.putInt(args, 4, count);
        LittleEndian.putInt(args, 8, pass.sequential() ? 1 : 0);
        LittleEndian.putInt(args, 12, pass == Pass.MEASURED ? 1 : 0);
        int ret = run.context(args).runForRetval();
        if (ret < 0) {
            throw new BpfException(object.name() + " " + op.id() + " of " + count + " keys from " + from, -ret);
        }
        return ret;
    }

    @Override
    public long[] kernelClock() {
        byte[] stats = object.map("bench_stats").lookup(0);
        return new long[] {LittleEndian.getLong(stats, 0), LittleEndian.getLong(stats, 8)};
    }

    @Override
    public void close() {
        runs.values().forEach(TestRun::close);
        object.close();
    }
}
