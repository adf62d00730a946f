package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibBpf;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * A map of a {@link BpfObject}. Before load its size and map_extra can be set; after load it
 * supports lookup, update, delete and iteration over keys. Per-CPU maps hold one value per
 * possible CPU, each padded to 8 bytes, as the kernel lays them out.
 */
public final class BpfMap {
    /** BPF_MAP_TYPE_* values ffkx looks at. */
    public static final int TYPE_PERCPU_HASH = 5;
    public static final int TYPE_PERCPU_ARRAY = 6;
    public static final int TYPE_LRU_PERCPU_HASH = 10;
    public static final int TYPE_RINGBUF = 27;
    public static final int TYPE_ARENA = 33;

    /** Update flags: BPF_ANY, BPF_NOEXIST, BPF_EXIST. */
    public enum Update { ANY, NOEXIST, EXIST }

    private final BpfObject object;
    private final long handle;
    private final String name;

    BpfMap(BpfObject object, long handle) {
        this.object = object;
        this.handle = handle;
        this.name = LibBpf.bpf_map__name(handle);
    }

    public String name() {
        return name;
    }

    public int type() {
        return LibBpf.bpf_map__type(handle);
    }

    public int keySize() {
        return LibBpf.bpf_map__key_size(handle);
    }

    public int valueSize() {
        return LibBpf.bpf_map__value_size(handle);
    }

    public int maxEntries() {
        return LibBpf.bpf_map__max_entries(handle);
    }

    public long mapExtra() {
        return LibBpf.bpf_map__map_extra(handle);
    }

    public int fd() {
        object.ensureLoaded();
        return LibBpf.bpf_map__fd(handle);
    }

    /** Sets max_entries before load (for an arena: its size in pages). */
    public void setMaxEntries(int maxEntries) {
        object.ensureNotLoaded("max_entries of " + name);
        BpfException.check(LibBpf.bpf_map__set_max_entries(handle, maxEntries), "setting max_entries of " + name);
    }

    /** Sets map_extra before load (for an arena: the user-space address it is mapped at). */
    public void setMapExtra(long extra) {
        object.ensureNotLoaded("map_extra of " + name);
        BpfException.check(LibBpf.bpf_map__set_map_extra(handle, extra), "setting map_extra of " + name);
    }

    /** Overwrites the start of a global data section's initial image before load. */
    void setInitialValue(byte[] image) {
        object.ensureNotLoaded("initial value of " + name);
        long[] size = new long[1];
        long data = LibBpf.bpf_map__initial_value(handle, size);
        if (data == 0) {
            throw new BpfException(name + " is not a global data section");
        }
        if (image.length > size[0]) {
            throw new IllegalArgumentException(name + " holds " + size[0] + " bytes, not " + image.length);
        }
        NativeMemory.view(data, size[0]).write(0, image);
    }

    /** The object this map belongs to. */
    public BpfObject owner() {
        return object;
    }

    /** Address of libbpf's own mapping of this map's data (libbpf ≥ 1.4 maps arenas itself), or 0. */
    public long libbpfMapping() {
        return LibBpf.bpf_map__initial_value(handle, new long[1]);
    }

    private boolean perCpu() {
        int t = type();
        return t == TYPE_PERCPU_HASH || t == TYPE_PERCPU_ARRAY || t == TYPE_LRU_PERCPU_HASH;
    }

    private int valueBytes() {
        return perCpu() ? perCpuStride() * possibleCpus() : valueSize();
    }

    private int perCpuStride() {
        return (valueSize() + 7) & ~7;
    }

    /** The kernel reads exactly key_size and value_size bytes: a shorter array would be overrun. */
    private void checkSizes(byte[] key, byte[] value) {
        if (key != null && key.length != keySize()) {
            throw new IllegalArgumentException(name + " takes " + keySize() + "-byte keys, not " + key.length);
        }
        if (value != null && value.length != valueBytes()) {
            throw new IllegalArgumentException(name + " takes " + valueBytes() + "-byte values, not " + value.length);
        }
    }

    /** The value stored under key, or null when there is none. */
    public byte[] lookup(byte[] key) {
        checkSizes(key, null);
        byte[] value = new byte[valueBytes()];
        int ret = LibBpf.bpf_map_lookup_elem(fd(), key, value);
        if (ret == -Errno.ENOENT) {
            return null;
        }
        BpfException.check(ret, "looking up a key in " + name);
        return value;
    }

    /** Per-CPU maps: one value per possible CPU, or null when the key is absent. */
    public byte[][] lookupPerCpu(byte[] key) {
        if (!perCpu()) {
            throw new IllegalStateException(name + " is not a per-CPU map");
        }
        byte[] all = lookup(key);
        if (all == null) {
            return null;
        }
        int stride = perCpuStride();
        byte[][] out = new byte[possibleCpus()][];
        for (int cpu = 0; cpu < out.length; cpu++) {
            out[cpu] = java.util.Arrays.copyOfRange(all, cpu * stride, cpu * stride + valueSize());
        }
        return out;
    }

    /** Per-CPU maps of u64 counters: the sum over CPUs of the 8 bytes at {@code offset}. */
    public long sumPerCpuU64(byte[] key, int offset) {
        byte[][] values = lookupPerCpu(key);
        long sum = 0;
        if (values != null) {
            for (byte[] v : values) {
                sum += LittleEndian.getLong(v, offset);
            }
        }
        return sum;
    }

    public void update(byte[] key, byte[] value, Update flag) {
        checkSizes(key, value);
        BpfException.check(LibBpf.bpf_map_update_elem(fd(), key, value, flag.ordinal()), "updating " + name);
    }

    public void update(byte[] key, byte[] value) {
        update(key, value, Update.ANY);
    }

    /** Deletes key; false when it was absent. */
    public boolean delete(byte[] key) {
        checkSizes(key, null);
        int ret = LibBpf.bpf_map_delete_elem(fd(), key);
        if (ret == -Errno.ENOENT) {
            return false;
        }
        BpfException.check(ret, "deleting from " + name);
        return true;
    }

    public byte[] lookup(int u32Key) {
        return lookup(LittleEndian.u32(u32Key));
    }

    public byte[] lookup(long u64Key) {
        return lookup(LittleEndian.u64(u64Key));
    }

    /** The u64 at offset 0 of the value under a u32 key (array maps of counters), 0 if absent. */
    public long lookupU64(int u32Key) {
        byte[] v = lookup(u32Key);
        return v == null ? 0 : LittleEndian.getLong(v, 0);
    }

    public void update(int u32Key, byte[] value) {
        update(LittleEndian.u32(u32Key), value);
    }

    public void update(long u64Key, byte[] value) {
        update(LittleEndian.u64(u64Key), value);
    }

    /** Every key, as iterated by BPF_MAP_GET_NEXT_KEY at the time of the call. */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        byte[] prev = null;
        while (true) {
            byte[] next = new byte[keySize()];
            int ret = LibBpf.bpf_map_get_next_key(fd(), prev, next);
            if (ret == -Errno.ENOENT) {
                return keys;
            }
            BpfException.check(ret, "iterating " + name);
            keys.add(next);
            prev = next;
        }
    }

    /** Number of possible CPUs, the length of a per-CPU value array. */
    public static int possibleCpus() {
        return PossibleCpus.COUNT;
    }

    private static final class PossibleCpus {
        static final int COUNT = BpfException.check(LibBpf.libbpf_num_possible_cpus(), "counting possible CPUs");
    }

    @Override
    public String toString() {
        return name;
    }
}
