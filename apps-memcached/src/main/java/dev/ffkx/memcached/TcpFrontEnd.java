package dev.ffkx.memcached;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * TCP, served by the slow path through the kernel engine: a thread per connection, replies in
 * request order. (The sk_skb fast path, which answers in the kernel, plugs in in front of it.)
 */
final class TcpFrontEnd implements Runnable {
    private final ServerSocket server;
    private final MemcachedKernel kernel;
    private final SlowPathStats stats;

    TcpFrontEnd(ServerSocket server, MemcachedKernel kernel, SlowPathStats stats) {
        this.server = server;
        this.kernel = kernel;
        this.stats = stats;
    }

    static ServerSocket bind(InetSocketAddress address) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 1024);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public void run() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "memcached-tcp-" + client.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("ffkx: accepting a memcached connection failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        stats.connections.increment();
        TextSession session = new TextSession(kernel, stats, false);
        byte[] buf = new byte[16384];
        try (client; InputStream in = client.getInputStream();
             OutputStream out = new BufferedOutputStream(client.getOutputStream(), 65536)) {
            client.setTcpNoDelay(true);
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                stats.tcpReads.increment();
                session.feed(buf, 0, n);
                boolean open = session.process(message -> {
                    try {
                        out.write(message);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                out.flush();
                if (!open) {
                    return;
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException | java.io.UncheckedIOException e) {
            // a broken connection ends only itself
        } finally {
            stats.connections.decrement();
        }
    }
}
