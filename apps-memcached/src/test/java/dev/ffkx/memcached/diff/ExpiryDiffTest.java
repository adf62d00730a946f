package dev.ffkx.memcached.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Items that expire while the run waits. The random runs keep every deadline far from now,
 * because memcached's clock ticks once a second from its own start and two servers disagree near
 * a deadline; here the deadlines are 2 s away and the wait is long enough for both to pass them.
 */
@ExtendWith(NoLeftovers.class)
class ExpiryDiffTest {
    private static final int ITEM_SIZE_MAX = MemcachedSelfDiffTest.ITEM_SIZE_MAX;

    @Test
    @Timeout(60)
    void itemsExpireAlike() throws Exception {
        for (Transport transport : Transport.values()) {
            itemsExpireAlike(transport);
        }
    }

    private static void itemsExpireAlike(Transport transport) throws Exception {
        long soon = System.currentTimeMillis() / 1000 + 2;
        List<Command> before = List.of(
                Command.of("set rel 1 2 1\r\na\r\n"),
                Command.of("set abs 2 " + soon + " 1\r\nb\r\n"),
                Command.of("set touched 3 0 1\r\nc\r\ntouch touched 2\r\n"),
                Command.of("set gatted 4 0 1\r\nd\r\ngat 2 gatted\r\n"),
                // A delayed flush takes everything last stored before its deadline, kept too.
                Command.of("set kept 5 3600 1\r\ne\r\nflush_all 2\r\n"),
                Command.of("get rel abs touched gatted kept\r\n"));
        List<Command> after = List.of(
                Command.of("get rel abs touched gatted kept\r\n"),
                Command.of("add rel 0 0 1\r\nz\r\nincr abs 1\r\ntouch touched 10\r\ngets gatted\r\n"),
                Command.of("set fresh 0 0 1\r\ng\r\nget fresh rel\r\n"));
        try (MemcachedServer a = new MemcachedServer("memcached-a", 1, ITEM_SIZE_MAX);
                MemcachedServer b = new MemcachedServer("memcached-b", 1, ITEM_SIZE_MAX)) {
            a.start();
            b.start();
            try (DiffSession session = DiffSession.open(a, b, transport, 3)) {
                session.run(before);
                assertEquals("VALUE rel 1 1|VALUE abs 2 1|VALUE touched 3 1|VALUE gatted 4 1|VALUE kept 5 1|",
                        headers(a, "get rel abs touched gatted kept"));
                Thread.sleep(4_000);
                // The reference must really have dropped them, or the comparison proves little.
                assertEquals("", headers(a, "get rel abs touched gatted kept"));
                DiffReport report = session.run(after);
                System.out.println(report.summary());
                assertTrue(report.clean(), report.summary());
            }
        }
    }

    /** The VALUE lines of a get, joined by "|", read over a connection of its own. */
    private static String headers(MemcachedServer s, String get) throws Exception {
        try (Socket socket = new Socket(s.host(), s.tcpPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(RequestModel.ascii(get + "\r\n"));
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            while (!reply.toString().endsWith("END\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                reply.append((char) c);
            }
            StringBuilder lines = new StringBuilder();
            for (String line : reply.toString().split("\r\n")) {
                if (line.startsWith("VALUE ")) {
                    lines.append(line).append('|');
                }
            }
            return lines.toString();
        }
    }
}
