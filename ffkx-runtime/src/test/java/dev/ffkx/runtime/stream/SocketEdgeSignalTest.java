package dev.ffkx.runtime.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PING demonstrator with quiet announcements and edge-triggered socket wakeups. */
@ExtendWith(NoLeftovers.class)
class SocketEdgeSignalTest {
    @Test
    void mixedPipelinesKeepTheirOrderAndPingsStayInTheKernel() throws IOException {
        try (PingFixture ping = new PingFixture("127.0.0.1", ReadSignal.SOCKET_EDGE)) {
            int n = StreamOffloadServerTest.mixedPipelines(ping.port(), 77, 3000);
            assertTrue(ping.server.stats().slowCommands() >= n / 2 - n / 10, "ECHO and unknown commands went up");
            long before = ping.server.stats().slowCommands();
            byte[] request = "PING\r\n".repeat(32).getBytes(StandardCharsets.US_ASCII);
            byte[] reply = "+PONG\r\n".repeat(32).getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket("127.0.0.1", ping.port())) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                for (int i = 0; i < 200; i++) {
                    s.getOutputStream().write(request);
                    assertArrayEquals(reply, s.getInputStream().readNBytes(reply.length), "pipeline " + i);
                }
            }
            assertEquals(0, ping.server.stats().slowCommands() - before, "no PING of a whole pipeline went up");
        }
    }
}
