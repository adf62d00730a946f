package dev.ffkx.bench.ds;

import java.util.Locale;

/** An operation on a structure; its BPF program is named {@code <structure>_<op>}. */
public enum Op {
    INSERT, LOOKUP, DELETE, UPDATE, ESTIMATE, ALLOC_FREE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What must run, untimed, before a batch so the structure stays at its full size: an insert
     * batch first removes its keys.
     */
    Op prepare() {
        return this == INSERT ? DELETE : null;
    }

    /** What must run, untimed, after a batch: a delete batch puts its keys back. */
    Op restore() {
        return this == DELETE ? INSERT : null;
    }
}
