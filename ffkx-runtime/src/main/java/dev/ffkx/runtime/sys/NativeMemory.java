package dev.ffkx.runtime.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run of native memory: either owned (allocated here, freed on close) or borrowed (a view of
 * memory someone else owns, such as an mmapped heap). Offsets are {@code long} so a view can span
 * a whole 4 GiB extension heap. Accessors do no bounds checks; callers that take offsets from
 * outside check them first.
 */
public final class NativeMemory implements AutoCloseable {
    private final Pointer base;
    private final long size;
    private final Memory owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeMemory(Pointer base, long size, Memory owned) {
        this.base = base;
        this.size = size;
        this.owned = owned;
    }

    /** Allocates {@code size} zeroed bytes, freed on {@link #close()}. */
    public static NativeMemory allocate(long size) {
        Memory m = new Memory(Math.max(1, size));
        m.clear();
        return new NativeMemory(m, size, m);
    }

    /** A view of memory at {@code address} that this object does not own. */
    public static NativeMemory view(long address, long size) {
        return new NativeMemory(new Pointer(address), size, null);
    }

    public long address() {
        return Pointer.nativeValue(base);
    }

    public long size() {
        return size;
    }

    public byte getByte(long off) { return base.getByte(off); }
    public short getShort(long off) { return base.getShort(off); }
    public int getInt(long off) { return base.getInt(off); }
    public long getLong(long off) { return base.getLong(off); }
    public double getDouble(long off) { return base.getDouble(off); }
    public void putByte(long off, byte v) { base.setByte(off, v); }
    public void putShort(long off, short v) { base.setShort(off, v); }
    public void putInt(long off, int v) { base.setInt(off, v); }
    public void putLong(long off, long v) { base.setLong(off, v); }
    public void putDouble(long off, double v) { base.setDouble(off, v); }

    public byte[] read(long off, int len) {
        return base.getByteArray(off, len);
    }

    public void read(long off, byte[] dst, int dstOff, int len) {
        base.read(off, dst, dstOff, len);
    }

    public void write(long off, byte[] src, int srcOff, int len) {
        base.write(off, src, srcOff, len);
    }

    public void write(long off, byte[] src) {
        base.write(off, src, 0, src.length);
    }

    public void fill(long off, long len, byte value) {
        base.setMemory(off, len, value);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && owned != null) {
            owned.close();
        }
    }
}
