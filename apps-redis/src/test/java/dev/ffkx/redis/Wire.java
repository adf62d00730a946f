package dev.ffkx.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Raw bytes to a server and back, written in the pieces given, as a client would. */
final class Wire {
    private Wire() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes each piece separately (TCP_NODELAY, a short pause between pieces so they leave as
     * separate segments), then reads until {@code expect} bytes came, the peer closed, or
     * {@code idleMs} passed without a byte. expect < 0: read until idle or closed.
     */
    static byte[] exchange(int port, List<byte[]> pieces, int expect, int idleMs) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(idleMs);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < pieces.size(); i++) {
                out.write(pieces.get(i));
                out.flush();
                if (pieces.size() > 1) {
                    Thread.sleep(2);
                }
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            while (expect < 0 || got.size() < expect) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
            return got.toByteArray();
        }
    }
}
