package dev.ffkx.runtime.stream;

import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.sys.LibC;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Sockets made through libc rather than java.nio: the kernel half needs each socket's fd (to read
 * its cookie, which keys every per-connection map), and NIO hides it.
 */
final class TcpSockets {
    private static final int SOCKADDR_IN = 16;

    private TcpSockets() {}

    /** A non-blocking IPv4 listening socket; port 0 picks a free one (see {@link #localPort}). */
    static int listen(String address, int port, int backlog) {
        byte[] ip;
        try {
            InetAddress a = InetAddress.getByName(address);
            if (!(a instanceof Inet4Address)) {
                throw new StreamException(address + " is not an IPv4 address");
            }
            ip = a.getAddress();
        } catch (UnknownHostException e) {
            throw new StreamException("resolving " + address + ": " + e.getMessage());
        }
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new StreamException("creating a TCP socket", LibC.errno());
        }
        try {
            if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, LittleEndian.u32(1), 4) != 0) {
                throw new StreamException("setting SO_REUSEADDR", LibC.errno());
            }
            byte[] sa = new byte[SOCKADDR_IN];
            sa[0] = LibC.AF_INET; // sa_family, little-endian u16
            sa[2] = (byte) (port >>> 8); // sin_port, network order
            sa[3] = (byte) port;
            System.arraycopy(ip, 0, sa, 4, 4);
            if (LibC.bind(fd, sa, sa.length) != 0) {
                throw new StreamException("binding " + address + ":" + port, LibC.errno());
            }
            return fd;
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    static void startListening(int fd, int backlog) {
        if (LibC.listen(fd, backlog) != 0) {
            throw new StreamException("listening on fd " + fd, LibC.errno());
        }
    }

    static int localPort(int fd) {
        byte[] sa = new byte[SOCKADDR_IN];
        if (LibC.getsockname(fd, sa, new int[] {sa.length}) != 0) {
            throw new StreamException("getsockname on fd " + fd, LibC.errno());
        }
        return ((sa[2] & 0xff) << 8) | (sa[3] & 0xff);
    }

    /** The next pending connection as a non-blocking fd, or -1 when there is none. */
    static int accept(int listenFd) {
        int fd = LibC.accept4(listenFd, 0, 0, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            if (errno == 11 || errno == 103 || errno == 71) { // EAGAIN; ECONNABORTED, EPROTO: peer gone already
                return -1;
            }
            throw new StreamException("accepting on fd " + listenFd, errno);
        }
        return fd;
    }

    /**
     * Runs the verdict over bytes that arrived before accept(). The kernel calls no verdict for a
     * socket that has no struct socket yet (sk_psock_verdict_data_ready returns early), so those
     * bytes wait in the receive queue until more arrive, and a client waiting for its replies would
     * wait forever. Setting SO_RCVLOWAT makes TCP call data_ready at once (tcp_set_rcvlowat), and
     * the kernel half then decides them in order, as it would have.
     */
    static void verdictQueued(int fd) {
        if (LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVLOWAT, LittleEndian.u32(1), 4) != 0) {
            throw new StreamException("setting SO_RCVLOWAT of fd " + fd, LibC.errno());
        }
    }

    /** SO_COOKIE: the key bpf_get_socket_cookie gives the kernel half for the same socket. */
    static long cookie(int fd) {
        byte[] v = new byte[8];
        if (LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_COOKIE, v, new int[] {8}) != 0) {
            throw new StreamException("reading SO_COOKIE of fd " + fd, LibC.errno());
        }
        return LittleEndian.getLong(v, 0);
    }

    /**
     * A lower bound of the bytes written into the socket so far, by anyone: bytes acknowledged by
     * the peer plus bytes still queued (SIOCOUTQ). Read in that order, a concurrent ack can only
     * make the sum smaller, never larger, so a caller waiting for it to reach a count never stops
     * waiting too early.
     */
    static long bytesWrittenAtLeast(int fd) {
        byte[] info = new byte[LibC.TCP_INFO_SIZE];
        if (LibC.getsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_INFO, info, new int[] {info.length}) != 0) {
            throw new StreamException("reading TCP_INFO of fd " + fd, LibC.errno());
        }
        int[] outq = new int[1];
        if (LibC.ioctl(fd, LibC.SIOCOUTQ, outq) != 0) {
            throw new StreamException("SIOCOUTQ on fd " + fd, LibC.errno());
        }
        return LittleEndian.getLong(info, LibC.TCP_INFO_BYTES_ACKED) + (outq[0] & 0xffffffffL);
    }
}
