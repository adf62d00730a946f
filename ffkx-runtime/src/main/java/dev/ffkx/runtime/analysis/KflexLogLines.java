package dev.ffkx.runtime.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the guard statistics a KFlex kernel prints, from any text that carries them: /dev/kmsg
 * records ({@code 6,1234,5678,-;prog=...}), dmesg output with timestamps, or ffkx's own lines.
 */
public final class KflexLogLines {
    private static final Pattern LINE = Pattern.compile(
            "\\bprog=(\\S+)[ \\t]+range_analysis_call=(\\d+)[ \\t]+elided=(\\d+)");

    private KflexLogLines() {}

    /**
     * Every KFlex statistics line in {@code text}, in order. The line has no access count; since
     * KFlex guards each heap access it cannot elide, it is taken as guards plus elided.
     */
    public static List<GuardStats> parse(String text) {
        List<GuardStats> stats = new ArrayList<>();
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            try {
                int guards = Integer.parseInt(m.group(2));
                int elided = Integer.parseInt(m.group(3));
                stats.add(new GuardStats(m.group(1), Math.addExact(guards, elided), guards, elided));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("KFlex statistics out of range in '" + m.group() + "'", e);
            }
        }
        return stats;
    }
}
