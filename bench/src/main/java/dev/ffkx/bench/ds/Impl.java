package dev.ffkx.bench.ds;

import java.util.Locale;

/** Who implements a structure. */
public enum Impl {
    /** The extension-heap library of bpf/include/ffkx. */
    FFKX,
    /** Plain eBPF: maps, bpf_obj_new with bpf_list/bpf_rbtree, arrays. */
    EBPF,
    /** java.util on the JVM. */
    JAVA;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Impl of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The BPF object holding this implementation of a structure; JAVA has none. */
    String objectResource(Structure s) {
        return "/bpf/" + id() + "_" + s.id() + ".bpf.o";
    }

    /** Whether this build ships this implementation of the structure. */
    public boolean implemented(Structure s) {
        return this == JAVA || Impl.class.getResource(objectResource(s)) != null;
    }
}
