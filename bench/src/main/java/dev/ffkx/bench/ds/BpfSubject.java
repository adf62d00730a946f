package dev.ffkx.bench.ds;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.heap.ExtensionHeap;
import dev.ffkx.runtime.heap.ManagedHeap;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A structure implemented by BPF programs ({@code <structure>_<op>}, one per operation) in
 * {@code /bpf/<impl>_<structure>.bpf.o}. Each batch is one BPF_PROG_TEST_RUN of a syscall program;
 * the benchmark path allocates nothing.
 *
 * <p>Each object is loaded once per JVM and kept: the verifier takes seconds over some of them,
 * and a quick run (JMH in-process) opens every structure several times. The first open
 * initializes an extension heap, if the object has one, and runs its {@code <structure>_create}
 * program, if any, to build the empty structure. A later open empties what the previous one
 * filled: a keyed structure deletes the previous workload's keys, anything else (the sketches)
 * runs {@code <structure>_create} again, which clears it in place.
 */
final class BpfSubject implements Subject {
    /** Room for 100,000 keys, values and nodes, with the allocator's slack. */
    static final long HEAP_BYTES = 64L << 20;
    /** Root slot where a structure that probes with heap keys publishes its copy of the key set (bench_heap.h). */
    static final int HEAP_KEYS_ROOT = 15;

    private static final Map<String, Loaded> LOADED = new HashMap<>();

    /** A loaded object, whether its structure was built, and the keys it was last filled with. */
    private static final class Loaded {
        final BpfObject object;
        final ExtensionHeap heap;
        boolean created;
        int keys;

        Loaded(BpfObject object, ExtensionHeap heap) {
            this.object = object;
            this.heap = heap;
        }
    }

    private final Structure structure;
    private final Loaded loaded;
    private final BpfObject object;
    private final Map<Op, TestRun> runs = new EnumMap<>(Op.class);
    private final byte[] args = new byte[16]; // struct bench_args

    BpfSubject(Impl impl, Structure structure, Workload workload) {
        this.structure = structure;
        synchronized (LOADED) {
            loaded = LOADED.computeIfAbsent(impl.objectResource(structure), BpfSubject::load);
        }
        object = loaded.object;
        try {
            for (Op op : structure.ops()) {
                runs.put(op, object.program(structure.id() + "_" + op.id()).testRun());
            }
            if (structure.ops().contains(Op.INSERT) && !runs.containsKey(Op.DELETE)) {
                throw new IllegalStateException(structure.id() + " has inserts but no delete to undo them");
            }
            if (!loaded.created || !runs.containsKey(Op.DELETE)) {
                create();
                loaded.created = true;
            } else {
                Subject.inChunks(loaded.keys, (from, count) -> run(Op.DELETE, from, count, Pass.POPULATE));
            }
            long heapKeys = loaded.heap == null ? 0 : ManagedHeap.root(loaded.heap, HEAP_KEYS_ROOT);
            if (heapKeys != 0) {
                loaded.heap.write(heapKeys, workload.keysetImage());
            }
            object.map("bench_keys").update(0, workload.keysetImage());
            object.map("bench_stream").update(0, workload.streamImage());
            object.map("bench_stats").update(0, new byte[16]); // the in-kernel clock starts at zero
            loaded.keys = workload.elements();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static Loaded load(String resource) {
        BpfObject object = BpfObject.openResource(resource);
        try {
            boolean heap = object.maps().stream().anyMatch(m -> m.name().equals(ManagedHeap.MAP));
            if (heap) {
                ManagedHeap.configure(object, HEAP_BYTES);
            }
            object.load();
            return new Loaded(object, heap ? ManagedHeap.initialize(object) : null);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** The loaded object of an implementation of a structure, loading it if no subject has yet. */
    static BpfObject object(Impl impl, Structure structure) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(impl.objectResource(structure), BpfSubject::load).object;
        }
    }

    /** Closes every loaded object; the next subject loads its object again. */
    static void unloadAll() {
        List<Loaded> all;
        synchronized (LOADED) {
            all = List.copyOf(LOADED.values());
            LOADED.clear();
        }
        all.forEach(l -> l.object.close());
    }

    /** Runs the structure's constructor, {@code <structure>_create}, if it has one; it takes no argument. */
    private void create() {
        String program = structure.id() + "_create";
        if (object.programs().stream().noneMatch(p -> p.name().equals(program))) {
            return;
        }
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

    /** Closes this subject's test runs; the object stays loaded for the next subject. */
    @Override
    public void close() {
        runs.values().forEach(TestRun::close);
    }
}
