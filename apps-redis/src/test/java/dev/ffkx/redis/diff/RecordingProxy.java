package dev.ffkx.redis.diff;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a free port of 127.0.0.1 that forwards every connection to a server and writes
 * what each client sent into a file of its own: the exact command stream a server received, for
 * replaying it to another. One thread per direction per connection: it carries a benchmark's
 * few dozen connections, and is not a measuring instrument.
 */
final class RecordingProxy implements AutoCloseable {
    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final Path dir;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Path> recordings = new ArrayList<>();
    private final Thread acceptor;

    RecordingProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.listener = new ServerSocket(0, 128, InetAddress.getByName("127.0.0.1"));
        this.dir = Files.createTempDirectory("rdiff-recording-");
        this.acceptor = new Thread(this::accept, "rdiff-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server;
                try {
                    server = new Socket(host, port);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Path file;
                synchronized (this) {
                    file = dir.resolve("connection-" + recordings.size());
                    recordings.add(file);
                    sockets.add(client);
                    sockets.add(server);
                }
                OutputStream record = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                start(() -> pump(client, server, record), "rdiff-proxy-up");
                start(() -> pump(server, client, null), "rdiff-proxy-down");
            }
        } catch (IOException closed) {
            // close() closed the listener.
        }
    }

    private synchronized void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Copies until either side closes, then closes both; {@code record} gets a copy of the bytes. */
    private static void pump(Socket from, Socket to, OutputStream record) {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (record != null) {
                    record.write(buf, 0, n);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException closed) {
            // One side went away; the other follows below.
        } finally {
            try {
                if (record != null) {
                    record.close();
                }
            } catch (IOException ignored) {
                // The recording is cut short; replay trims it to whole commands.
            }
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }

    /**
     * Stops accepting, waits for the open connections to end (their clients are done), and
     * returns what each client sent, in the order the connections were accepted.
     */
    List<byte[]> recordings() throws IOException, InterruptedException {
        listener.close();
        acceptor.join();
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            t.join(10_000);
        }
        List<byte[]> out = new ArrayList<>();
        for (Path p : recordings) {
            out.add(Files.readAllBytes(p));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (this) {
            for (Socket s : sockets) {
                s.close();
            }
        }
        for (Path p : recordings) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }
}
