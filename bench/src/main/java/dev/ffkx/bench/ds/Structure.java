package dev.ffkx.bench.ds;

import java.util.List;

/** The structures of the suite and the operations each is measured on. */
public enum Structure {
    HASHMAP("hashmap", Op.INSERT, Op.LOOKUP, Op.DELETE),
    RBTREE("rbtree", Op.INSERT, Op.LOOKUP, Op.DELETE),
    /**
     * Keyed like the others: insert is an upsert, lookup and delete find their key. Each scans,
     * so a list holds at most {@link #LIST_ELEMENTS} keys.
     */
    LIST("list", Op.INSERT, Op.LOOKUP, Op.DELETE),
    SKIPLIST("skiplist", Op.INSERT, Op.LOOKUP, Op.DELETE),
    COUNTMIN("countmin", Op.UPDATE, Op.ESTIMATE),
    COUNTSKETCH("countsketch", Op.UPDATE, Op.ESTIMATE),
    /** An allocation and a free of one 96-byte object (a key and its value). */
    ALLOC("alloc", Op.ALLOC_FREE);

    /**
     * Keys in a list, for every implementation. Keyed list operations are O(n) everywhere, and
     * filling a list of n keys with upserts is O(n^2): with KFlex's 100,000 keys the plain-eBPF
     * list (which rotates through pops and pushes) would take minutes to fill for every trial.
     */
    public static final int LIST_ELEMENTS = 10_000;

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

    /** Keys this structure holds when the suite asks for {@code requested}. */
    public int elements(int requested) {
        return this == LIST ? Math.min(requested, LIST_ELEMENTS) : requested;
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
