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

    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_RCVLOWAT = 18;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_INFO = 11;
    public static final int TCP_INFO_BYTES_ACKED = 120;
    public static final int TCP_INFO_SIZE = 232;
    public static final long SIOCOUTQ = 0x5411;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int SHUT_RDWR = 2;

    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLET = 1 << 31;
    /** struct epoll_event is packed on x86-64: u32 events, then u64 data at offset 4. */
    public static final int EPOLL_EVENT_SIZE = 12;

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
    public static native int getpagesize();

    public static native int socket(int domain, int type, int protocol);
    public static native int setsockopt(int fd, int level, int name, byte[] value, int len);
    public static native int bind(int fd, byte[] sockaddr, int len);
    public static native int listen(int fd, int backlog);
    public static native int getsockname(int fd, byte[] sockaddr, int[] len);
    public static native int accept4(int fd, long sockaddr, long len, int flags);
    public static native int shutdown(int fd, int how);
    public static native long recv(int fd, long buf, long len, int flags);
    public static native long send(int fd, long buf, long len, int flags);
    public static native int ioctl(int fd, long request, int[] value);

    public static native int epoll_create1(int flags);
    public static native int epoll_ctl(int epfd, int op, int fd, byte[] event);
    public static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMs);

    /** errno of the last native call made on this thread. */
    public static int errno() {
        return Native.getLastError();
    }
}
