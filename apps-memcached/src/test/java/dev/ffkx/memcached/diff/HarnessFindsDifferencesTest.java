package dev.ffkx.memcached.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A clean self-diff proves nothing unless the harness also notices when servers differ. These
 * tested servers are memcached set up to differ in known ways.
 */
@ExtendWith(NoLeftovers.class)
class HarnessFindsDifferencesTest {
    private static final int ITEM_SIZE_MAX = MemcachedSelfDiffTest.ITEM_SIZE_MAX;
    private static final int LIMIT = ITEM_SIZE_MAX - 59 - 1; // the largest value for a 1-byte key, flags 0

    @Test
    @Timeout(60)
    void aLargerItemLimitShowsAsReplies() throws Exception {
        List<Command> script = List.of(
                Command.of("set a 0 0 1\r\nx\r\n"),
                Command.of("set k 0 0 " + (LIMIT + 1) + "\r\n" + "v".repeat(LIMIT + 1) + "\r\n"),
                Command.of("get k\r\n"),
                Command.of("get a\r\n"));
        try (MemcachedServer ref = new MemcachedServer("memcached-64k", 2, ITEM_SIZE_MAX);
                MemcachedServer big = new MemcachedServer("memcached-128k", 2, 2 * ITEM_SIZE_MAX)) {
            DiffReport report = run(ref, big, Transport.TCP, script);
            assertEquals(2, report.differences(), report.summary());
            DiffReport.Difference first = report.kept().get(0);
            assertEquals(1, first.index());
            assertEquals("REPLY", first.kind());
            assertEquals("SERVER_ERROR object too large for cache\\r\\n", first.reference());
            assertEquals("STORED\\r\\n", first.tested());
            assertEquals(2, report.kept().get(1).index());
            assertTrue(report.kept().get(1).reference().equals("END\\r\\n"), report.summary());
        }
    }

    @Test
    @Timeout(60)
    void casUniquesMustMapOneToOne() throws Exception {
        List<Command> script = List.of(
                Command.of("set a 0 0 1\r\nx\r\nset b 0 0 1\r\ny\r\n"),
                Command.of("gets a\r\n"),
                Command.of("gets b\r\n"));
        // -C: no cas; every unique reads 0, so two items look like one.
        try (MemcachedServer ref = new MemcachedServer("memcached", 2, ITEM_SIZE_MAX);
                MemcachedServer noCas = new MemcachedServer("memcached-C", 2, ITEM_SIZE_MAX, "-C")) {
            DiffReport report = run(ref, noCas, Transport.TCP, script);
            assertEquals(1, report.differences(), report.summary());
            assertEquals(2, report.kept().get(0).index());
            assertTrue(report.kept().get(0).detail().startsWith("cas 0 stood for"), report.summary());
        }
    }

    @Test
    @Timeout(60)
    void answeringNoreplyIsCaughtAndTheRunStaysInStep() throws Exception {
        for (Transport transport : Transport.values()) {
            List<Command> script = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                script.add(Command.of(i % 20 == 7 ? "set k" + i + " 0 0 1 noreply\r\nx\r\n" : "set k" + i + " 0 0 1\r\nx\r\n"));
                script.add(Command.of("get k" + i + "\r\n"));
            }
            try (MemcachedServer ref = new MemcachedServer("memcached", 1, ITEM_SIZE_MAX);
                    NoreplyIgnoringProxy proxy = new NoreplyIgnoringProxy(new MemcachedServer("backend", 1, ITEM_SIZE_MAX))) {
                DiffReport report = run(ref, proxy, transport, script);
                assertFalse(report.clean(), report.summary());
                Set<String> kinds = report.kept().stream().map(DiffReport.Difference::kind).collect(Collectors.toSet());
                assertEquals(Set.of("EXTRA"), kinds, report.summary());
                // Ten noreply sets; over TCP two may share a batch and so one difference.
                assertTrue(report.differences() <= 10, report.summary());
                if (transport == Transport.UDP) {
                    assertEquals(10, report.differences(), report.summary());
                    assertTrue(report.kept().stream().allMatch(d -> d.index() % 40 == 14), report.summary());
                } else {
                    assertTrue(report.kept().get(0).detail().contains("noreply"), report.summary());
                }
            }
        }
    }

    private static DiffReport run(ServerUnderTest ref, ServerUnderTest tested, Transport transport, List<Command> script)
            throws Exception {
        ref.start();
        tested.start();
        try (DiffSession session = DiffSession.open(ref, tested, transport, 7)) {
            DiffReport report = session.run(script);
            System.out.println(report.summary());
            return report;
        }
    }

    /**
     * memcached behind a proxy that deletes " noreply" from every request line, so that it
     * answers commands that must go unanswered: the mistake a reimplementation is likeliest to
     * make, and one that throws TCP replies out of step.
     */
    private static final class NoreplyIgnoringProxy implements ServerUnderTest {
        private static final byte[] NOREPLY = RequestModel.ascii(" noreply\r\n");
        private final MemcachedServer backend;
        private final List<Closeable> open = new ArrayList<>();
        private ServerSocket tcp;
        private DatagramSocket udp;

        NoreplyIgnoringProxy(MemcachedServer backend) {
            this.backend = backend;
        }

        @Override
        public String name() {
            return "memcached-answering-noreply";
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int tcpPort() {
            return tcp.getLocalPort();
        }

        @Override
        public int udpPort() {
            return udp.getLocalPort();
        }

        @Override
        public void start() throws Exception {
            backend.start();
            InetAddress lo = InetAddress.getByName(host());
            tcp = new ServerSocket(0, 10, lo);
            udp = new DatagramSocket(0, lo);
            DatagramSocket toBackend = new DatagramSocket(0, lo);
            toBackend.connect(new InetSocketAddress(lo, backend.udpPort()));
            open.add(tcp::close);
            open.add(udp::close);
            open.add(toBackend::close);
            daemon(() -> {
                while (true) {
                    Socket client = tcp.accept();
                    Socket server = new Socket(lo, backend.tcpPort());
                    synchronized (open) {
                        open.add(client::close);
                        open.add(server::close);
                    }
                    daemon(() -> pump(client.getInputStream(), server.getOutputStream(), true));
                    daemon(() -> pump(server.getInputStream(), client.getOutputStream(), false));
                }
            });
            SocketAddress[] client = new SocketAddress[1];
            daemon(() -> {
                byte[] buf = new byte[65_536];
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    udp.receive(p);
                    client[0] = p.getSocketAddress();
                    byte[] d = strip(java.util.Arrays.copyOf(buf, p.getLength()));
                    toBackend.send(new DatagramPacket(d, d.length));
                }
            });
            daemon(() -> {
                byte[] buf = new byte[65_536];
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    toBackend.receive(p);
                    udp.send(new DatagramPacket(buf, p.getLength(), client[0]));
                }
            });
        }

        /** Copies a stream; requests go on line by line, so that " noreply\r\n" is never split. */
        private static void pump(InputStream in, OutputStream out, boolean requests) throws IOException {
            byte[] buf = new byte[65_536];
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (!requests) {
                    out.write(buf, 0, n);
                    continue;
                }
                pending.write(buf, 0, n);
                byte[] all = pending.toByteArray();
                int end = lastNewline(all) + 1;
                out.write(strip(java.util.Arrays.copyOf(all, end)));
                pending.reset();
                pending.write(all, end, all.length - end);
            }
            out.close();
        }

        private static int lastNewline(byte[] b) {
            for (int i = b.length - 1; i >= 0; i--) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private static byte[] strip(byte[] b) {
            String s = new String(b, StandardCharsets.ISO_8859_1);
            return RequestModel.ascii(s.replace(new String(NOREPLY, StandardCharsets.ISO_8859_1), "\r\n"));
        }

        private interface Work {
            void run() throws IOException;
        }

        private static void daemon(Work w) {
            Thread t = new Thread(() -> {
                try {
                    w.run();
                } catch (IOException closed) {
                    // The proxy is stopping.
                }
            }, "noreply-proxy");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void stop() {
            synchronized (open) {
                for (Closeable s : open) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // Closing anyway.
                    }
                }
                open.clear();
            }
            backend.stop();
        }
    }
}
