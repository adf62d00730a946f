package dev.ffkx.memcached.diff;

import dev.ffkx.runtime.diff.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real memcached (the Debian package's /usr/bin/memcached) started for one test on free
 * ports of 127.0.0.1, never the system service.
 */
public final class MemcachedServer implements ServerUnderTest {
    private static final String BINARY = "/usr/bin/memcached";
    private static final String HOST = "127.0.0.1";
    private static final int MEMORY_MB = 64;

    private final String name;
    private final int threads;
    private final int itemSizeMax;
    private final List<String> extraArgs;
    private int port;
    private ServerProcess process;

    /**
     * @param threads memcached's {@code -t}; use 1 for UDP runs (every worker thread reads the
     *     one UDP socket, so with more, a noreply datagram and the one after it race)
     * @param itemSizeMax memcached's {@code -I} in bytes
     * @param extraArgs more memcached options
     */
    public MemcachedServer(String name, int threads, int itemSizeMax, String... extraArgs) {
        this.name = name;
        this.threads = threads;
        this.itemSizeMax = itemSizeMax;
        this.extraArgs = List.of(extraArgs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int tcpPort() {
        return port;
    }

    @Override
    public int udpPort() {
        return port;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            try {
                launch();
                return;
            } catch (IOException e) {
                // Another process may have taken the port between our probe and memcached's bind.
                stop();
                last = e;
            }
        }
        throw last;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-l", HOST, "-p", Integer.toString(port),
                "-U", Integer.toString(port), "-t", Integer.toString(threads), "-m", Integer.toString(MEMORY_MB),
                "-I", Integer.toString(itemSizeMax), "-u", System.getProperty("user.name")));
        // Without its LRU maintainer and crawler threads memcached is deterministic. With them, a
        // get may leave an asynchronous LRU bump holding a reference to the item for a while, and
        // an incr that meets the extra reference writes a new item instead of padding the old
        // one with spaces in place: "99" instead of "99 " after decr 100 by 1.
        String options = "no_lru_maintainer,no_lru_crawler";
        if (itemSizeMax < 1024 * 1024) {
            // memcached refuses a chunk size above the item size; its default chunk is 512 KiB.
            options += ",slab_chunk_max=" + itemSizeMax / 2;
        }
        cmd.addAll(List.of("-o", options));
        cmd.addAll(extraArgs);
        process = ServerProcess.start("memcached-" + name, cmd, () -> answersTcp() && answersUdp(),
                Duration.ofSeconds(10));
    }

    @Override
    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** The server's {@code stats} as name to value, read over a connection of its own. */
    public Map<String, String> stats() throws IOException {
        Map<String, String> stats = new LinkedHashMap<>();
        try (Socket s = new Socket(HOST, port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(RequestModel.ascii("stats\r\n"));
            String all = readUntil(s.getInputStream(), "END\r\n");
            for (String line : all.split("\r\n")) {
                String[] f = line.split(" ", 3);
                if (f.length == 3 && f[0].equals("STAT")) {
                    stats.put(f[1], f[2]);
                }
            }
        }
        return stats;
    }

    private boolean answersTcp() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write(RequestModel.ascii("version\r\n"));
            return readUntil(s.getInputStream(), "\r\n").startsWith("VERSION ");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean answersUdp() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(HOST))) {
            s.setSoTimeout(200);
            byte[] req = RequestModel.ascii("\0\1\0\0\0\1\0\0version\r\n");
            s.send(new DatagramPacket(req, req.length, InetAddress.getByName(HOST), port));
            byte[] buf = new byte[1500];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            s.receive(reply);
            return new String(buf, 8, reply.getLength() - 8, StandardCharsets.ISO_8859_1).startsWith("VERSION ");
        } catch (IOException e) {
            return false;
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            s.append((char) c);
            if (s.length() >= end.length() && s.lastIndexOf(end) == s.length() - end.length()) {
                break;
            }
        }
        return s.toString();
    }

    /** A port free for both TCP and UDP right now. */
    private static int freePort() throws IOException {
        while (true) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                p = s.getLocalPort();
            }
            try (DatagramSocket unused = new DatagramSocket(p, InetAddress.getByName(HOST))) {
                return p;
            } catch (IOException taken) {
                // Try another.
            }
        }
    }

    @Override
    public String toString() {
        return name + " (memcached -t " + threads + " -I " + itemSizeMax + " on " + HOST + ":" + port + ")";
    }
}
