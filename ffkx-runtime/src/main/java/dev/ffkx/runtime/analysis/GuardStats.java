package dev.ffkx.runtime.analysis;

import java.util.Objects;

/**
 * Guard statistics of one program, as defined in the package documentation.
 *
 * @param programName the program's name, as the kernel and KFlex's log know it
 * @param heapAccesses loads, stores and atomics through heap pointers
 * @param guards reachable casts into the kernel address space (KFlex's range_analysis_call)
 * @param elided heap accesses that an earlier access through the same guarded pointer covers
 */
public record GuardStats(String programName, int heapAccesses, int guards, int elided) {
    public GuardStats {
        Objects.requireNonNull(programName, "programName");
        if (programName.isEmpty() || programName.chars().anyMatch(Character::isWhitespace)) {
            // the KFlex line separates fields by spaces, so such a name could not be read back
            throw new IllegalArgumentException("program name '" + programName + "' is empty or has whitespace");
        }
        if (heapAccesses < 0 || guards < 0 || elided < 0 || elided > heapAccesses) {
            throw new IllegalArgumentException("inconsistent guard statistics for " + programName + ": accesses "
                    + heapAccesses + ", guards " + guards + ", elided " + elided);
        }
    }

    /** The line KFlex's kernel prints, so ffkx's numbers and a KFlex kernel's sit side by side. */
    public String toKflexLine() {
        return "prog=" + programName + " range_analysis_call=" + guards + " elided=" + elided;
    }
}
