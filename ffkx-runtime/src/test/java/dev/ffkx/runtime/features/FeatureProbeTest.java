package dev.ffkx.runtime.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class FeatureProbeTest {
    @Test
    void everyFeatureIsPresentOnThisMachine() {
        List<ProbeResult> results = FeatureProbe.probeAll();
        assertEquals(Feature.all().size(), results.size());
        for (ProbeResult r : results) {
            assertTrue(r.present(), r.feature().id() + ": " + r.detail());
        }
    }

    @Test
    void requireAcceptsPresentFeatures() {
        FeatureProbe.require("arena", "may_goto", "res_spin_lock");
    }

    @Test
    void unknownFeatureIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FeatureProbe.require("warp_drive"));
    }

    @Test
    void theContractNamesVersions() {
        for (Feature f : Feature.all()) {
            assertTrue(f.since().matches("\\d+\\.\\d+"), f.id() + " since " + f.since());
        }
        assertEquals("6.15", Feature.byId("res_spin_lock").since());
    }
}
