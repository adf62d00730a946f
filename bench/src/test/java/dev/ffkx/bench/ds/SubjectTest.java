package dev.ffkx.bench.ds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ffkx.bench.ds.Subject.Pass;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every implementation does the work the benchmark claims: a full structure finds every key, a
 * delete batch removes what it names and the insert batch after it puts it back.
 */
class SubjectTest {
    private static final int ELEMENTS = 5000;
    private static final int BATCH = 256;

    @ParameterizedTest
    @EnumSource(Impl.class)
    void keyedStructuresFindDeleteAndRestoreTheirKeys(Impl impl) {
        Workload w = Workload.generate(ELEMENTS, Distribution.UNIFORM);
        for (Structure s : new Structure[] {Structure.HASHMAP, Structure.RBTREE, Structure.SKIPLIST, Structure.LIST}) {
            assumeTrue(impl.implemented(s), impl.id() + " " + s.id() + " is not built");
            try (Subject subject = Subject.open(impl, s, w)) {
                assertEquals(BATCH, subject.run(Op.LOOKUP, 0, BATCH, Pass.MEASURED), s.id() + " lookups of present keys");
                int deleted = subject.run(Op.DELETE, 0, BATCH, Pass.SETUP);
                assertTrue(deleted > BATCH * 9 / 10 && deleted <= BATCH, s.id() + " deleted " + deleted + " distinct keys");
                assertEquals(0, subject.run(Op.LOOKUP, 0, BATCH, Pass.MEASURED), s.id() + " lookups of deleted keys");
                assertEquals(BATCH, subject.run(Op.INSERT, 0, BATCH, Pass.SETUP), s.id() + " re-inserts");
                assertEquals(BATCH, subject.run(Op.LOOKUP, BATCH, BATCH, Pass.MEASURED), s.id() + " lookups after restore");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void sketchesCountEveryKey(Impl impl) {
        Workload w = Workload.generate(ELEMENTS, Distribution.UNIFORM);
        for (Structure s : new Structure[] {Structure.COUNTMIN, Structure.COUNTSKETCH}) {
            assumeTrue(impl.implemented(s), impl.id() + " " + s.id() + " is not built");
            try (Subject sketch = Subject.open(impl, s, w)) {
                assertEquals(BATCH, sketch.run(Op.UPDATE, 0, BATCH, Pass.MEASURED));
                int positive = sketch.run(Op.ESTIMATE, 0, BATCH, Pass.MEASURED);
                // count-min never underestimates; a count sketch may, through collisions
                assertTrue(s == Structure.COUNTMIN ? positive == BATCH : positive > BATCH / 2, s.id() + ": " + positive);
            }
        }
    }

    /** The three count the same way (shape, seed, hash, median), so they estimate alike key for key. */
    @Test
    void sketchesAgreeAcrossImplementations() {
        Workload w = Workload.generate(ELEMENTS, Distribution.ZIPF);
        for (Structure s : new Structure[] {Structure.COUNTMIN, Structure.COUNTSKETCH}) {
            Map<Impl, Integer> positive = new EnumMap<>(Impl.class);
            for (Impl impl : Impl.values()) {
                assumeTrue(impl.implemented(s), impl.id() + " " + s.id() + " is not built");
                try (Subject sketch = Subject.open(impl, s, w)) {
                    sketch.run(Op.UPDATE, 0, ELEMENTS, Pass.SETUP);
                    positive.put(impl, sketch.run(Op.ESTIMATE, 0, w.elements(), Pass.POPULATE));
                }
            }
            assertEquals(1, Set.copyOf(positive.values()).size(), s.id() + " positive estimates: " + positive);
        }
    }

    @ParameterizedTest
    @EnumSource(Impl.class)
    void allocationsPairWithFrees(Impl impl) {
        assumeTrue(impl.implemented(Structure.ALLOC), impl.id() + " alloc is not built");
        try (Subject alloc = Subject.open(impl, Structure.ALLOC, Workload.generate(16, Distribution.UNIFORM))) {
            for (int i = 0; i < 100; i++) {
                assertEquals(BATCH, alloc.run(Op.ALLOC_FREE, 0, BATCH, Pass.MEASURED));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Impl.class, names = {"FFKX", "EBPF"})
    void onlyMeasuredBatchesCountInKernelTime(Impl impl) {
        assumeTrue(impl.implemented(Structure.HASHMAP), impl.id() + " hashmap is not built");
        try (Subject map = Subject.open(impl, Structure.HASHMAP, Workload.generate(ELEMENTS, Distribution.UNIFORM))) {
            assertEquals(0, map.kernelClock()[1], "populating is not measured");
            map.run(Op.LOOKUP, 0, BATCH, Pass.MEASURED);
            map.run(Op.DELETE, 0, BATCH, Pass.SETUP);
            long[] clock = map.kernelClock();
            assertEquals(BATCH, clock[1]);
            assertTrue(clock[0] > 0);
        }
    }
}
