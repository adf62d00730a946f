package dev.ffkx.bench.ds;

import java.util.List;

/** The structures of the suite and the operations each is measured on. */
public enum Structure {
    HASHMAP("hashmap", Op.INSERT, Op.LOOKUP, Op.DELETE),
    RBTREE("rbtree", Op.INSERT, Op.LOOKUP, Op.DELETE),
    /** Insert pushes at the front, delete pops the front, lookup scans for the key. */
    LIST("list", Op.INSERT, Op.LOOKUP, Op.DELETE),
    SKIPLIST("skiplist", Op.INSERT, Op.LOOKUP, Op.DELETE),
    COUNTMIN("countmin", Op.UPDATE, Op.ESTIMATE),
    COUNTSKETCH("countsketch", Op.UPDATE, Op.ESTIMATE),
    /** An allocation and a free of one 96-byte object (a key and its value). */
    ALLOC("alloc", Op.ALLOC_FREE);

    private final String id;
    private final List<Op> ops;

    Structure(String id, Op... ops) {
        this.id = id;
        this.ops = List.of(ops);
    }

    public String id() {
        return id;
    }

    public List<Op> ops() {
        return ops;
    }

    /** The operation that fills the structure with every key before measuring, if any. */
    Op populate() {
        return ops.contains(Op.INSERT) ? Op.INSERT : ops.contains(Op.UPDATE) ? Op.UPDATE : null;
    }

    public static Structure of(String id) {
        for (Structure s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no structure " + id);
    }
}
