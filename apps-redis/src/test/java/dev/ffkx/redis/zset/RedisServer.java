package dev.ffkx.redis.zset;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A real redis-server on a free port, without persistence, and one connection to it speaking RESP2. */
final class RedisServer implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RedisServer() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Socket s = null;
        for (int i = 0; i < 100 && s == null; i++) {
            try {
                s = new Socket("127.0.0.1", port);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        if (s == null) {
            process.destroyForcibly();
            throw new IOException("redis-server did not start on port " + port);
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Sends one command and returns its reply's bytes exactly. */
    byte[] call(List<byte[]> argv) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + argv.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            req.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(a);
            req.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(req.toByteArray());
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        readItem(reply);
        return reply.toByteArray();
    }

    private void readItem(ByteArrayOutputStream reply) throws IOException {
        String line = readLine(reply);
        char type = line.charAt(0);
        if (type == '$') {
            int len = Integer.parseInt(line.substring(1));
            if (len >= 0) {
                reply.writeBytes(in.readNBytes(len + 2));
            }
        } else if (type == '*') {
            int n = Integer.parseInt(line.substring(1));
            for (int i = 0; i < n; i++) {
                readItem(reply);
            }
        }
    }

    private String readLine(ByteArrayOutputStream reply) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("redis-server closed the connection");
            }
            reply.write(c);
            if (c != '\r') {
                b.append((char) c);
            }
        }
        reply.write('\n');
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
