package dev.ffkx.runtime.features;

/** One probe's verdict: present or missing, and why. */
public record ProbeResult(Feature feature, boolean present, String detail) {
    /** "this kernel lacks X (upstream since N): detail". */
    public String missingMessage() {
        return "this kernel lacks " + feature.title() + " (upstream since Linux " + feature.since() + "): " + detail;
    }
}
