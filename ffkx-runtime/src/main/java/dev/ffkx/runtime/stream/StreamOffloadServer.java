package dev.ffkx.runtime.stream;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.Link;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.MappedArray;
import dev.ffkx.runtime.Program;
import dev.ffkx.runtime.RingBuffer;
import dev.ffkx.runtime.SkSkbAttach;
import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A TCP server whose fast path runs in the kernel (an object built on {@code ffkx/sk_stream.h})
 * and whose slow path is a {@link StreamSession} per connection (or a {@link StreamHandler}), on one
 * port, with replies in request order on every connection.
 *
 * <p>Sockets join the SOCKHASH from the object's sockops program when the handshake completes,
 * not from here after accept(): a client that writes at once would otherwise have bytes in the
 * socket before the verdict program is attached to it, which nobody would answer. One event thread
 * accepts, reads what the kernel announces it passed up, answers and acknowledges.
 */
public final class StreamOffloadServer implements AutoCloseable {
    private static final int BACKLOG = 1024;
    private static final int IO_BUF = 64 * 1024;
    private static final int ERRNO_EAGAIN = 11;
    private static final int HANGUP = LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR;
    /** How long one connection may hold the event thread waiting for the kernel's replies to leave. */
    private static final long FLUSH_SPIN_NS = 200_000;
    /** sizeof(struct ffkx_stream_event) in sk_stream.h. */
    private static final int EVENT_SIZE = 40;
    /** Dropped skbs answered in a row before the kernel is told (it needs to know only to redirect again). */
    private static final int ACK_DROPPED_EVERY = 16;
    /** Offset of lost_end in struct ffkx_stream_conn. */
    private static final int CONN_LOST_END = 32;

    private final Supplier<StreamSession> sessions;
    private final ReadSignal signal;
    private final BpfMap conns;
    private final BpfMap acks;
    private final BpfMap config;
    private final RingBuffer events;
    /** ffkx_stream_lost: announcements the ring buffer had no room for. */
    private final MappedArray lost;
    private long lostSeen;
    private final List<Link> links = new ArrayList<>();
    private final Poller poller;
    private final int listenFd;
    private final int port;
    private final NativeMemory io = NativeMemory.allocate(IO_BUF);
    private final Map<Integer, Connection> byFd = new HashMap<>();
    private final Map<Long, Connection> byCookie = new HashMap<>();
    private final Set<Connection> dirty = new LinkedHashSet<>();
    private final ArrayDeque<Connection> waitingForKernel = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile Throwable failure;

    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong emptyReads = new AtomicLong();
    private final AtomicLong slowCommands = new AtomicLong();
    private final AtomicLong announcements = new AtomicLong();
    private final AtomicLong kernelDelivered = new AtomicLong();

    /**
     * Counters of the slow path, to show what it was woken for. slowCommands counts the (non-empty)
     * replies the sessions sent; kernelDelivered the announcements that carried replies of commands
     * the kernel ran; unannounced the passes the kernel could not announce, the ring buffer full.
     */
    public record Stats(long wakeups, long reads, long emptyReads, long slowCommands, long announcements,
                        long kernelDelivered, long unannounced, int connections) {}

    private StreamOffloadServer(BpfObject object, Program verdict, String address, int port,
                                Supplier<StreamSession> sessions, ReadSignal signal) {
        this.sessions = sessions;
        this.signal = signal;
        BpfMap socks = object.map("ffkx_stream_socks");
        conns = object.map("ffkx_stream_conns");
        acks = object.map("ffkx_stream_acks");
        config = object.map("ffkx_stream_config");
        events = RingBuffer.open(object.map("ffkx_stream_events"));
        lost = MappedArray.open(object.map(".data.stream"));
        Poller p = null;
        int fd = -1;
        try {
            links.add(verdict.attachSkSkb(socks, SkSkbAttach.VERDICT));
            links.add(object.program("ffkx_stream_sockops").attachSockOps());
            p = new Poller();
            fd = TcpSockets.listen(address, port, BACKLOG);
            this.port = TcpSockets.localPort(fd);
            byte[] cfg = new byte[8]; // struct ffkx_stream_config
            LittleEndian.putInt(cfg, 0, this.port);
            LittleEndian.putInt(cfg, 4, signal == ReadSignal.SOCKET_EDGE ? 1 : 0);
            config.update(0, cfg); // before listen(): no connection predates it
            TcpSockets.startListening(fd, BACKLOG);
            p.add(fd, LibC.EPOLLIN);
            p.add(events.fd(), LibC.EPOLLIN);
        } catch (RuntimeException e) {
            if (fd >= 0) {
                LibC.close(fd);
            }
            if (p != null) {
                p.close();
            }
            links.forEach(Link::close);
            events.close();
            lost.close();
            io.close();
            throw e;
        }
        this.poller = p;
        this.listenFd = fd;
        this.thread = new Thread(this::run, "ffkx-stream-" + this.port);
        thread.setDaemon(true);
    }

    /**
     * Serves {@code address:port} (port 0: any free one, see {@link #port()}) with {@code verdict},
     * a program of {@code object} defined by FFKX_STREAM_VERDICT, in front of {@code handler}.
     * The object must be loaded; the server attaches its programs and detaches them on close.
     */
    public static StreamOffloadServer start(BpfObject object, Program verdict, String address, int port,
                                            StreamHandler handler, ReadSignal signal) {
        return start(object, verdict, address, port, () -> new FramedSession(handler), signal);
    }

    /** As {@link #start(BpfObject, Program, String, int, StreamHandler, ReadSignal)}, with a session per connection. */
    public static StreamOffloadServer start(BpfObject object, Program verdict, String address, int port,
                                            Supplier<StreamSession> sessions, ReadSignal signal) {
        StreamOffloadServer s = new StreamOffloadServer(object, verdict, address, port, sessions, signal);
        s.thread.start();
        return s;
    }

    public int port() {
        return port;
    }

    public Stats stats() {
        return new Stats(wakeups.get(), reads.get(), emptyReads.get(), slowCommands.get(), announcements.get(),
                kernelDelivered.get(), lost.getLong(0), byFd.size());
    }

    private void run() {
        try {
            while (!closed.get()) {
                int n = poller.await(waitingForKernel.isEmpty() ? 50 : 1);
                if (n > 0) {
                    wakeups.incrementAndGet();
                }
                if (signal == ReadSignal.SOCKET_EDGE && n > 0) {
                    drainEvents(); // quiet announcements: whatever woke us, they came first
                }
                for (int i = 0; i < n; i++) {
                    dispatch(poller.fd(i), poller.mask(i));
                }
                if (lost.getLong(0) != lostSeen) {
                    recoverLost();
                }
                dirty.addAll(waitingForKernel);
                waitingForKernel.clear();
                for (Connection c : dirty) {
                    service(c);
                }
                dirty.clear();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void dispatch(int fd, int mask) {
        if (fd == listenFd) {
            acceptAll();
        } else if (fd == events.fd()) {
            drainEvents();
        } else {
            Connection c = byFd.get(fd);
            if (c != null) {
                c.peerClosed |= (mask & HANGUP) != 0;
                dirty.add(c);
            }
        }
    }

    private void drainEvents() {
        announcements.addAndGet(events.drain((data, off, len) -> {
            // struct ffkx_stream_event, then reply_len bytes of replies
            Connection c = byCookie.get(data.getLong(off));
            if (c != null) {
                int answered = data.getInt(off + 24);
                byte[] reply = data.read(off + EVENT_SIZE, data.getInt(off + 28));
                c.announce(data.getLong(off + 8), data.getLong(off + 16), answered, reply, data.getInt(off + 32) != 0);
                if (answered > 0) {
                    kernelDelivered.incrementAndGet();
                }
                dirty.add(c);
            }
        }));
    }

    /**
     * Takes passes the kernel could not announce (the ring buffer was full: this thread had stalled)
     * as passed and unanswered, which is what the kernel left them: it ran nothing in them, and
     * runs nothing more on their connection until they are answered (sk_stream.h, Back-pressure).
     * Announcements made before a loss precede it in the ring, so it is drained after the lookups.
     */
    private void recoverLost() {
        lostSeen = lost.getLong(0);
        Map<Connection, Long> lostEnds = new HashMap<>();
        for (Connection c : byFd.values()) {
            byte[] counts = conns.lookup(c.cookie);
            if (counts != null) {
                lostEnds.put(c, LittleEndian.getLong(counts, CONN_LOST_END));
            }
        }
        drainEvents();
        lostEnds.forEach((c, end) -> {
            if (end > c.announced) {
                c.announce(end, c.kernelReplied, 0, new byte[0], false);
                dirty.add(c);
            }
        });
    }

    private void acceptAll() {
        int fd;
        while ((fd = TcpSockets.accept(listenFd)) >= 0) {
            // the kernel runs no verdict before accept() (see TcpSockets.verdictQueued): no announcement predates this
            Connection c = new Connection(fd, TcpSockets.cookie(fd), sessions.get());
            byFd.put(fd, c);
            byCookie.put(c.cookie, c);
            c.interest = HANGUP | inputInterest(signal, false);
            poller.add(fd, c.interest);
            TcpSockets.verdictQueued(fd);
            dirty.add(c);
        }
    }

    private void service(Connection c) {
        try {
            boolean eof = read(c);
            answer(c);
            if (!flush(c)) {
                waitingForKernel.add(c);
                return;
            }
            long finished = c.finished();
            if (c.outPending() == 0 && finished != c.acked
                    && (c.passedSinceAck > 0 || c.droppedSinceAck >= ACK_DROPPED_EVERY)) {
                acks.update(c.cookie, LittleEndian.u64(finished));
                c.acked = finished;
                c.passedSinceAck = 0;
                c.droppedSinceAck = 0;
            }
            if ((eof || c.quit) && c.outPending() == 0) {
                drop(c);
                return;
            }
            int want = HANGUP
                    | inputInterest(signal, c.unread())
                    | (c.outPending() > 0 ? LibC.EPOLLOUT : 0);
            if (want != c.interest) {
                poller.modify(c.fd, want);
                c.interest = want;
            }
        } catch (StreamException e) {
            drop(c); // reset or broken pipe: the peer is gone, and its replies with it
        }
    }

    /** How a connection is polled for input; unread: announced bytes are still to be read. */
    private static int inputInterest(ReadSignal signal, boolean unread) {
        switch (signal) {
            case SOCKET_EDGE: return LibC.EPOLLIN | LibC.EPOLLET;
            case SOCKET_POLL: return LibC.EPOLLIN;
            default: return unread ? LibC.EPOLLIN : 0;
        }
    }

    /** Reads what the kernel passed up; true at end of stream. */
    private boolean read(Connection c) {
        if (signal != ReadSignal.SOCKET_POLL && !c.unread() && !c.peerClosed) {
            return false;
        }
        while (true) {
            reads.incrementAndGet();
            long n = LibC.recv(c.fd, io.address(), IO_BUF, LibC.MSG_DONTWAIT);
            if (n > 0) {
                io.read(0, c.inRoom((int) n), c.inEnd(), (int) n);
                c.received((int) n);
            } else if (n == 0) {
                return true;
            } else {
                int errno = LibC.errno();
                if (errno == ERRNO_EAGAIN) {
                    emptyReads.incrementAndGet();
                    return false;
                }
                throw new StreamException("reading connection fd " + c.fd, errno);
            }
        }
    }

    /**
     * Consumes what has been received, pass by pass: the bytes of commands the kernel ran give way
     * to the replies it announced, the rest goes to the session. Bytes not yet announced wait: the
     * announcement says how many of them the kernel ran.
     */
    private void answer(Connection c) {
        while (!c.quit && !c.segments.isEmpty()) {
            Connection.Segment s = c.segments.peek();
            if (s.dropped()) {
                c.reply(s.reply());
                c.fed = s.end();
                c.virtualFed += s.end() - s.start();
                c.droppedSinceAck++;
                c.segments.poll();
                continue;
            }
            long inSocket = c.received + c.virtualFed; // the stream offset socket bytes reach
            long kernelEnd = s.start() + s.answered();
            if (c.fed < kernelEnd) {
                if (inSocket < kernelEnd) {
                    return;
                }
                c.take((int) (kernelEnd - c.fed));
                c.reply(s.reply());
            }
            long upto = Math.min(inSocket, s.end());
            if (upto > c.fed) {
                int n = (int) (upto - c.fed);
                c.sessionReceived += n;
                c.quit = !c.session.receive(c.take(n), r -> {
                    if (r.length > 0) {
                        c.reply(r);
                        slowCommands.incrementAndGet();
                    }
                });
            }
            if (c.fed < s.end()) {
                return;
            }
            c.passedSinceAck++;
            c.segments.poll();
        }
    }

    /**
     * Sends pending replies once the kernel's earlier replies have left; false if they have not
     * yet. The kernel sends its redirected replies from a workqueue, a write from here does not
     * queue behind them, so without this wait a slow reply could overtake a fast one.
     */
    private boolean flush(Connection c) {
        if (c.outPending() == 0) {
            return true;
        }
        if (c.kernelReplied > c.kernelRepliedFlushed) {
            long target = c.kernelReplied + c.written;
            long deadline = System.nanoTime() + FLUSH_SPIN_NS;
            while (TcpSockets.bytesWrittenAtLeast(c.fd) < target) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.onSpinWait();
            }
            c.kernelRepliedFlushed = c.kernelReplied;
        }
        while (c.outPending() > 0) {
            int chunk = Math.min(c.outPending(), IO_BUF);
            io.write(0, c.outBytes(), c.outStart(), chunk);
            long n = LibC.send(c.fd, io.address(), chunk, LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL);
            if (n < 0) {
                int errno = LibC.errno();
                if (errno == ERRNO_EAGAIN) {
                    return true; // EPOLLOUT resumes it
                }
                throw new StreamException("writing connection fd " + c.fd, errno);
            }
            c.sent((int) n);
        }
        return true;
    }

    /** Closing the fd takes the socket out of the SOCKHASH and the epoll set; the counts go after. */
    private void drop(Connection c) {
        byFd.remove(c.fd);
        byCookie.remove(c.cookie);
        LibC.close(c.fd);
        conns.delete(LittleEndian.u64(c.cookie));
        acks.delete(LittleEndian.u64(c.cookie));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<RuntimeException> errors = new ArrayList<>();
        for (Connection c : List.copyOf(byFd.values())) {
            try {
                drop(c);
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        config.update(0, new byte[8]);
        LibC.close(listenFd);
        poller.close();
        for (Link l : links) {
            try {
                l.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        events.close();
        lost.close();
        io.close();
        if (failure != null) {
            throw new StreamException("the event thread of port " + port + " failed: " + failure);
        }
        if (!errors.isEmpty()) {
            StreamException e = new StreamException("closing the server on port " + port + ": " + errors.get(0).getMessage());
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }
}
