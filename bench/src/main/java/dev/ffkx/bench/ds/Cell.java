package dev.ffkx.bench.ds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One measurement of the matrix: an implementation of a structure's operation on a distribution. */
public record Cell(Structure structure, Op op, Impl impl, Distribution dist) {
    /** Names a cell as {@code hashmap.lookup/ffkx/zipf}; the -f filter matches against this. */
    public String id() {
        return method().label() + "/" + impl.id() + "/" + dist.id();
    }

    public Method method() {
        return new Method(structure, op);
    }

    /** Every cell of the matrix, in report order. */
    public static List<Cell> all() {
        List<Cell> cells = new ArrayList<>();
        for (Structure s : Structure.values()) {
            for (Op op : s.ops()) {
                for (Distribution d : Distribution.values()) {
                    for (Impl i : Impl.values()) {
                        cells.add(new Cell(s, op, i, d));
                    }
                }
            }
        }
        return cells;
    }

    /** A structure's operation: one JMH benchmark method of {@link DsBench}, named {@code structure_op}. */
    public record Method(Structure structure, Op op) {
        public String label() {
            return structure.id() + "." + op.id();
        }

        public String javaName() {
            return structure.id() + "_" + op.id();
        }

        static Method parse(String javaName) {
            int cut = javaName.indexOf('_');
            return new Method(Structure.of(javaName.substring(0, cut)),
                    Op.valueOf(javaName.substring(cut + 1).toUpperCase(Locale.ROOT)));
        }
    }
}
