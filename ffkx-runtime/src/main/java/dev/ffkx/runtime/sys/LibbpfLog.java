package dev.ffkx.runtime.sys;

import com.sun.jna.Callback;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * Routes libbpf's log output to Java. libbpf prints a failed program's verifier log through its
 * print callback, so capturing that output on the loading thread is how a load failure gets its
 * real cause. Outside a capture, warnings go to stderr as libbpf itself would print them.
 */
public final class LibbpfLog {
    /** {@code int (*)(enum libbpf_print_level, const char *fmt, va_list ap)}. */
    public interface PrintFn extends Callback {
        int invoke(int level, String format, Pointer args);
    }

    private static final int LIBBPF_WARN = 0;
    private static final int VA_LIST_SIZE = 24;
    private static final ThreadLocal<StringBuilder> CAPTURE = new ThreadLocal<>();
    private static final PrintFn PRINT = LibbpfLog::print; // strongly held: libbpf keeps the pointer

    static {
        LibBpf.libbpf_set_print(PRINT);
    }

    private LibbpfLog() {}

    /** Starts capturing libbpf's output on this thread (all levels but debug). */
    public static void beginCapture() {
        CAPTURE.set(new StringBuilder());
    }

    /** Stops capturing on this thread and returns what was printed since {@link #beginCapture()}. */
    public static String endCapture() {
        StringBuilder sb = CAPTURE.get();
        CAPTURE.remove();
        return sb == null ? "" : sb.toString();
    }

    private static int print(int level, String format, Pointer args) {
        StringBuilder sb = CAPTURE.get();
        if (sb == null && level != LIBBPF_WARN) {
            return 0;
        }
        // A verifier log can run to megabytes and its tail is what matters: measure, then format.
        // On x86-64 a va_list is a 24-byte struct, so copying it is va_copy.
        Memory copy = new Memory(VA_LIST_SIZE);
        copy.write(0, args.getByteArray(0, VA_LIST_SIZE), 0, VA_LIST_SIZE);
        int n = LibC.vsnprintf(null, 0, format, copy);
        if (n <= 0) {
            return 0;
        }
        byte[] buf = new byte[n + 1];
        LibC.vsnprintf(buf, buf.length, format, args);
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        if (sb != null) {
            if (level <= 1) { // warn and info; debug is noise
                sb.append(text);
            }
        } else {
            System.err.print(text);
        }
        return 0;
    }

    /** Makes sure the callback is installed before the first libbpf call that may print. */
    public static void install() {
        // class initialisation does the work
    }
}
