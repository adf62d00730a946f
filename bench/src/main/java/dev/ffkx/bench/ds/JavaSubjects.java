package dev.ffkx.bench.ds;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The java.util reference of each structure: what the same work costs in user space. */
final class JavaSubjects {
    /** The sketches' rows, counters per row and seed: BENCH_SKETCH_* of bench_sketch.h (KFlex's 4 x 512). */
    static final int SKETCH_DEPTH = 4;
    static final int SKETCH_WIDTH = 512;
    static final long SKETCH_SEED = 0x5EED5EED5EED5EEDL;

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

    /** Keyed as the BPF lists are: insert updates the key's value or adds it at the front. */
    private static final class ListSubject extends KeyedSubject {
        private static final class Entry {
            final Key key;
            long[] value;

            Entry(Key key, long[] value) {
                this.key = key;
                this.value = value;
            }
        }

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
                        Entry e = find(k);
                        if (e != null) {
                            e.value = k.value();
                        } else {
                            list.addFirst(new Entry(k, k.value()));
                        }
                        yield true;
                    }
                    case LOOKUP -> find(k) != null;
                    case DELETE -> remove(k);
                    default -> throw new UnsupportedOperationException(op.id());
                };
                hits += hit ? 1 : 0;
            }
            return hits;
        }

        /** Stops at the key, as the BPF lists do (removeIf would scan on to the end). */
        private boolean remove(Key k) {
            for (Iterator<Entry> it = list.iterator(); it.hasNext(); ) {
                if (it.next().key.equals(k)) {
                    it.remove();
                    return true;
                }
            }
            return false;
        }

        private Entry find(Key k) {
            for (Entry e : list) {
                if (e.key.equals(k)) {
                    return e;
                }
            }
            return null;
        }
    }

    /**
     * Count-min (least counter, unsigned) or count sketch (median of the signed rows), with the
     * slots and signs of sketch.h: one key hash, then ffkx_hash_row and ffkx_hash_range per row.
     */
    private static final class SketchSubject extends KeyedSubject {
        private final long[] counters = new long[SKETCH_DEPTH * SKETCH_WIDTH];
        private final boolean signed;

        SketchSubject(Workload w, boolean signed) {
            super(w);
            this.signed = signed;
        }

        @Override
        public int run(Op op, int from, int count, Pass pass) {
            int hits = 0;
            for (int i = 0; i < count; i++) {
                long h = key(i, from, pass).hash();
                if (op == Op.UPDATE) {
                    update(h);
                    hits++;
                } else if (estimate(h) > 0) {
                    hits++;
                }
            }
            return hits;
        }

        /** ffkx_hash_row() of hash.h. */
        private static long row(long h, int row) {
            return Key.mix(h + SKETCH_SEED + row * 0x9E3779B97F4A7C15L);
        }

        /** The counter ffkx_hash_range() picks in a row. */
        private static int cell(long g, int row) {
            return row * SKETCH_WIDTH + (int) (((g & 0xffffffffL) * SKETCH_WIDTH) >>> 32);
        }

        private long sign(long g) {
            return signed && g < 0 ? -1 : 1;
        }

        private void update(long h) {
            for (int r = 0; r < SKETCH_DEPTH; r++) {
                long g = row(h, r);
                counters[cell(g, r)] += sign(g);
            }
        }

        private long estimate(long h) {
            long least = -1, lo = Long.MAX_VALUE, hi = Long.MIN_VALUE, sum = 0;
            for (int r = 0; r < SKETCH_DEPTH; r++) {
                long g = row(h, r);
                long v = counters[cell(g, r)];
                least = Long.compareUnsigned(v, least) < 0 ? v : least;
                v *= sign(g);
                sum += v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            return signed ? (sum - lo - hi) >> 1 : least;
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
