package dev.ffkx.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object that failed to load. When the verifier rejected a program, {@link #program()} names
 * it, the message carries the meaningful tail of the verifier log, and {@link #verifierLog()}
 * keeps the whole log.
 */
public final class BpfLoadException extends BpfException {
    private static final long serialVersionUID = 1L;
    private static final int TAIL_LINES = 12;
    private static final Pattern FAILED_PROG = Pattern.compile("prog '([^']+)': BPF program load failed");
    private static final Pattern LOG_BLOCK = Pattern.compile(
            "prog '([^']+)': -- BEGIN PROG LOAD LOG --\\n(.*?)-- END PROG LOAD LOG --", Pattern.DOTALL);

    private final String program;
    private final String verifierLog;
    private final String libbpfOutput;

    private BpfLoadException(String message, int errno, String program, String verifierLog, String libbpfOutput) {
        super(message, errno, true);
        this.program = program;
        this.verifierLog = verifierLog;
        this.libbpfOutput = libbpfOutput;
    }

    /** Builds the exception from libbpf's captured output for a failed load of {@code object}. */
    static BpfLoadException from(String object, int errno, String libbpfOutput) {
        String program = null;
        String log = "";
        Matcher block = LOG_BLOCK.matcher(libbpfOutput);
        if (block.find()) {
            program = block.group(1);
            log = block.group(2);
        } else {
            Matcher failed = FAILED_PROG.matcher(libbpfOutput);
            if (failed.find()) {
                program = failed.group(1);
            }
        }
        StringBuilder msg = new StringBuilder();
        if (program != null) {
            msg.append("BPF program '").append(program).append("' in ").append(object)
                    .append(" was rejected: ").append(Errno.describe(errno));
        } else {
            msg.append("loading BPF object ").append(object).append(" failed: ").append(Errno.describe(errno));
        }
        List<String> tail = meaningfulTail(log.isEmpty() ? libbpfOutput : log);
        if (!tail.isEmpty()) {
            msg.append(log.isEmpty() ? "\nlibbpf said:" : "\nverifier log (tail):");
            for (String line : tail) {
                msg.append("\n  ").append(line);
            }
        }
        return new BpfLoadException(msg.toString(), errno, program, log, libbpfOutput);
    }

    /** The last lines that explain a failure: statistics and libbpf's own epilogue are dropped. */
    static List<String> meaningfulTail(String log) {
        List<String> kept = new ArrayList<>();
        for (String line : log.split("\n")) {
            String t = line.strip();
            if (t.isEmpty()
                    || t.startsWith("processed ") && t.contains(" insns")
                    || t.startsWith("verification time")
                    || t.startsWith("stack depth")
                    || t.contains("-- END PROG LOAD LOG --")
                    || t.contains("-- BEGIN PROG LOAD LOG --")
                    || t.startsWith("libbpf: failed to load object")
                    || t.matches("libbpf: prog '[^']+': failed to load: -?\\d+")) {
                continue;
            }
            kept.add(t);
        }
        return kept.subList(Math.max(0, kept.size() - TAIL_LINES), kept.size());
    }

    /** The rejected program's name, or null when the failure was not a program's. */
    public String program() {
        return program;
    }

    /** The whole verifier log of the rejected program ("" when there was none). */
    public String verifierLog() {
        return verifierLog;
    }

    /** Everything libbpf printed during the load. */
    public String libbpfOutput() {
        return libbpfOutput;
    }
}
