package dev.ffkx.runtime.features;

import java.util.List;
import java.util.stream.Collectors;

/** A kernel without a feature ffkx needs, with each probe's own explanation. */
public final class MissingFeatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ProbeResult> missing;

    MissingFeatureException(List<ProbeResult> missing) {
        super(missing.stream().map(ProbeResult::missingMessage).collect(Collectors.joining("\n")));
        this.missing = List.copyOf(missing);
    }

    public List<ProbeResult> missing() {
        return missing;
    }
}
