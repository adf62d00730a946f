package dev.ffkx.bench.ds;

import java.util.HashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The java.util reference of each structure: what the same work costs in user space. */
final class JavaSubjects {
    /** Rows and counters of the sketches: SKETCH_DEPTH and SKETCH_WIDTH of ebpf_sketch.h. */
    static final int SKETCH_DEPTH = 4;
    static final int SKETCH_WIDTH = 1 << 16;

    private JavaSubjects() {}

    static Subject of(Structure s, Workload w) {
        return switch (s) {
            case HASHMAP -> new MapSubject(w, new HashMap<>());
            case RBTREE -> new MapSubject(w, new TreeMap<>());
            case SKIPLIST -> new MapSubject(w, new ConcurrentSkipListMap<>());
            case LIST -> new ListSubject(w);
            case COUNTMIN -> new SketchSubject(w, false);
            case COUNTSKETCH -> new SketchSubject(w, true);
            case ALLOC -> new AllocSubject();
        };
    }

    private abstract static class KeyedSubject implements Subject {
        private final Workload workload;

        KeyedSubject(Workload workload) {
            this.workload = workload;
        }

        final Key key(int i, int from, Pass pass) {
            return pass.sequential() ? workload.key(from + i) : workload.keyAt(from + i);
        }

        @Override
        public void close() {}
    }

    private static final class MapSubject extends KeyedSubject {
        private final Map<Key, long[]> map;

        MapSubject(Workload w, Map<Key, long[]> map) {
            super(w);
            this.map = map;
        }

        @Override
        public int run(Op op, int from, int count, Pass pass) {
            int hits = 0;
            for (int i = 0; i < count; i++) {
                Key k = key(i, from, pass);
                boolean hit = switch (op) {
                    case INSERT -> {
                        map.put(k, k.value());
                        yield true;
                    }
                    case LOOKUP -> map.get(k) != null;
                    case DELETE -> map.remove(k) != null;
                    default -> throw new UnsupportedOperationException(op.id());
                };
                hits += hit ? 1 : 0;
            }
            return hits;
        }
    }

    /** Insert pushes at the front, delete pops the front, lookup scans: as the BPF lists do. */
    private static final class ListSubject extends KeyedSubject {
        private record Entry(Key key, long[] value) {}

        private final LinkedList<Entry> list = new LinkedList<>();

        ListSubject(Workload w) {
            super(w);
        }

        @Override
        public int run(Op op, int from, int count, Pass pass) {
            int hits = 0;
            for (int i = 0; i < count; i++) {
                Key k = key(i, from, pass);
                boolean hit = switch (op) {
                    case INSERT -> {
                        list.addFirst(new Entry(k, k.value()));
                        yield true;
                    }
                    case LOOKUP -> contains(k);
                    case DELETE -> list.pollFirst() != null;
                    default -> throw new UnsupportedOperationException(op.id());
                };
                hits += hit ? 1 : 0;
            }
            return hits;
        }

        private boolean contains(Key k) {
            for (Entry e : list) {
                if (e.key.equals(k)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Count-min (min of the rows) or count sketch (median of signed rows), slots as in ebpf_sketch.h. */
    private static final class SketchSubject extends KeyedSubject {
        private final int[][] rows = new int[SKETCH_DEPTH][SKETCH_WIDTH];
        private final boolean signed;

        SketchSubject(Workload w, boolean signed) {
            super(w);
            this.signed = signed;
        }

        @Override
        public int run(Op op, int from, int count, Pass pass) {
            int hits = 0;
            for (int i = 0; i < count; i++) {
                long h = key(i, from, pass).hash64();
                if (op == Op.UPDATE) {
                    update(h);
                    hits++;
                } else if (estimate(h) > 0) {
                    hits++;
                }
            }
            return hits;
        }

        private static int mix(long h, int row) {
            return (int) h + row * (int) (h >>> 32);
        }

        private int sign(int mix) {
            return signed && mix < 0 ? -1 : 1;
        }

        private void update(long h) {
            for (int r = 0; r < SKETCH_DEPTH; r++) {
                int m = mix(h, r);
                rows[r][m & (SKETCH_WIDTH - 1)] += sign(m);
            }
        }

        private int estimate(long h) {
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE, sum = 0;
            for (int r = 0; r < SKETCH_DEPTH; r++) {
                int m = mix(h, r);
                int c = rows[r][m & (SKETCH_WIDTH - 1)] * sign(m);
                sum += c;
                lo = Math.min(lo, c);
                hi = Math.max(hi, c);
            }
            return signed ? (sum - lo - hi) / 2 : lo;
        }
    }

    /** Allocation of a key-and-value object that dies young: the JVM's alloc+free pair. */
    private static final class AllocSubject implements Subject {
        private final Object[] survivors = new Object[64]; // keeps escape analysis from removing the allocation

        @Override
        public int run(Op op, int from, int count, Pass pass) {
            for (int i = 0; i < count; i++) {
                survivors[i & 63] = new long[12];
            }
            return count;
        }

        @Override
        public void close() {}
    }
}
