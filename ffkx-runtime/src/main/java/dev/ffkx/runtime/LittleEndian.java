package dev.ffkx.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reads and writes the little-endian integers that BPF keys, values and structs are made of. */
public final class LittleEndian {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    public static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    public static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    public static void putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    /** A 4-byte key or value. */
    public static byte[] u32(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }

    /** An 8-byte key or value. */
    public static byte[] u64(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }
}
