package dev.ffkx.runtime.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** The few libc functions ffkx needs, bound by JNA direct mapping. */
public final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    public static final long MAP_FAILED = -1L;

    public static final int SOL_SOCKET = 1;
    public static final int SO_COOKIE = 57;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY_CLOEXEC = 0x80000;

    private LibC() {}

    public static native int close(int fd);
    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);
    public static native int munmap(long addr, long length);
    public static native int if_nametoindex(String name);
    public static native int vsnprintf(byte[] buf, long size, String format, Pointer vaList);
    public static native int open(String path, int flags);
    public static native int getsockopt(int fd, int level, int name, byte[] value, int[] len);
    public static native int sched_setaffinity(int pid, long cpusetsize, byte[] mask);
    public static native int sched_getcpu();
    public static native int setns(int fd, int nstype);
    public static native String strerror(int errnum);

    /** errno of the last native call made on this thread. */
    public static int errno() {
        return Native.getLastError();
    }
}
