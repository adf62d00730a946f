package dev.ffkx.runtime.heap;

import static dev.ffkx.runtime.heap.Structs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffkx.runtime.NoLeftovers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class ListTest {
    static final int BATCH = 2000;

    @Test
    void randomOperationsMatchJavaHashMap() {
        Random rnd = new Random(11);
        // A few hundred keys keep the list short enough to walk 100k times in a test.
        byte[][] pool = HashmapTest.keyPool(rnd, 400);
        try (Structs s = new Structs(4L << 20, 16, BATCH); OpBatch batch = s.newBatch()) {
            Map<ByteBuffer, ByteBuffer> model = new HashMap<>();
            for (int b = 0; b < 50; b++) {
                List<Op> ops = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    ops.add(HashmapTest.randomOp(rnd, pool, b % 10 < 5 ? 0.5 : 0.1, OP_LIST_LOOKUP, OP_LIST_UPDATE, OP_LIST_DELETE));
                }
                Structs.run(batch, ops);
                for (Op o : ops) {
                    Structs.check(o, model, "list");
                }
                assertEquals(model.size(), AllocatorStats.read(s.heap).classFor(NODE_SIZE).inUse(), "nodes after batch " + b);
            }
            // Every key the model holds is found with its value, and no other.
            List<Op> lookups = new ArrayList<>();
            for (byte[] k : pool) {
                lookups.add(new Op(OP_LIST_LOOKUP, k, null, 0));
            }
            Structs.run(batch, lookups);
            for (Op o : lookups) {
                Structs.check(o, model, "final list");
            }
        }
    }
}
