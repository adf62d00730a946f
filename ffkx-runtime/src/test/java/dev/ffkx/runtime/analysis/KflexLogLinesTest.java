package dev.ffkx.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class KflexLogLinesTest {
    @Test
    void printsKflexLines() {
        assertEquals("prog=xdp_get range_analysis_call=3 elided=12", new GuardStats("xdp_get", 15, 3, 12).toKflexLine());
    }

    @Test
    void readsLinesFromKmsgDmesgAndItsOwnOutput() {
        String text = """
                6,1234,5678,-;prog=mc_get range_analysis_call=4 elided=20
                4,1235,5680,-;bpf: some other message prog=
                [   12.345678] prog=mc_set\trange_analysis_call=2 elided=0
                prog=build_and_sum range_analysis_call=2 elided=25
                """;
        assertEquals(List.of(
                new GuardStats("mc_get", 24, 4, 20),
                new GuardStats("mc_set", 2, 2, 0),
                new GuardStats("build_and_sum", 27, 2, 25)), KflexLogLines.parse(text));
    }

    @Test
    void aLineItWritesReadsBackTheSame() {
        GuardStats s = new GuardStats("p", 5, 2, 3);
        assertEquals(List.of(s), KflexLogLines.parse(s.toKflexLine()));
    }

    @Test
    void rejectsCountsOutOfRange() {
        assertThrows(IllegalArgumentException.class,
                () -> KflexLogLines.parse("prog=p range_analysis_call=99999999999 elided=0"));
    }
}
