package dev.ffkx.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --verify must catch a server that answers GETs with a value other than the last one set. */
class VerifyDetectsTest {
    /** A one-connection memcached that keeps only the first value set for each key. */
    private static final class StaleServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::serve, "stale-memcached");

        StaleServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void serve() {
            Map<String, byte[]> store = new HashMap<>();
            try (Socket s = listener.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream());
                String line;
                while ((line = readLine(in)) != null) {
                    String[] f = line.split(" ");
                    if (f[0].equals("set")) {
                        byte[] value = in.readNBytes(Integer.parseInt(f[4]) + 2);
                        store.putIfAbsent(f[1], value);
                        out.write("STORED\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        byte[] v = store.get(f[1]);
                        if (v != null) {
                            out.write(("VALUE " + f[1] + " 0 " + (v.length - 2) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(v);
                        }
                        out.write("END\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (IOException closed) {
                // the client went away: the test is over
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return null;
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    @Test
    void staleValuesAreMismatches() throws Exception {
        try (StaleServer server = new StaleServer()) {
            LoadSpec spec = LoadSpec.builder().server("127.0.0.1", server.port()).protocol(Protocol.MEMCACHE_TEXT)
                    .threads(1).clients(1).keyRange(0, 4).ratio("1:1").requests(400).verify(true).build();
            LoadResult r = LoadGenerator.run(spec, null);
            assertEquals(400, r.answered(), r.totalsTable());
            assertTrue(r.mismatches() > 50, "the stale server went unnoticed: " + r.totalsTable());
            assertTrue(r.firstProblem().contains("expected version"), r.firstProblem());
        }
    }
}
