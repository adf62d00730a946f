package dev.ffkx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class BpfObjectTest {
    @Test
    void verifierRejectionNamesTheProgramAndCarriesTheLog() {
        try (BpfObject obj = BpfObject.openResource("/bpf/test_invalid.bpf.o")) {
            BpfLoadException e = assertThrows(BpfLoadException.class, obj::load);
            assertEquals("unchecked_read", e.program());
            assertEquals(Errno.EACCES, e.errno());
            assertTrue(e.getMessage().contains("'unchecked_read'"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid access to packet"), e.getMessage());
            assertTrue(e.verifierLog().contains("invalid access to packet"), e.verifierLog());
            assertTrue(!e.getMessage().contains("processed "), "statistics are not a cause: " + e.getMessage());
        }
    }

    @Test
    void missingResourceSaysSo() {
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.openResource("/bpf/nope.bpf.o"));
        assertTrue(e.getMessage().contains("/bpf/nope.bpf.o"), e.getMessage());
    }

    @Test
    void programsAndMapsAreFoundByName() {
        try (BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o")) {
            assertEquals("xdp", obj.program("probe_xdp").sectionName());
            assertEquals(256, obj.map("packets_by_proto").maxEntries());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> obj.program("nope"));
            assertTrue(e.getMessage().contains("probe_xdp"), e.getMessage());
            assertTrue(obj.program("probe_xdp").instructions().length > 0);
        }
    }

    @Test
    void configurationAfterLoadIsRefused() {
        try (BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load()) {
            assertThrows(IllegalStateException.class, () -> obj.map("packets_by_proto").setMaxEntries(4));
        }
    }

    @Test
    void closeIsIdempotent() {
        BpfObject obj = BpfObject.openResource("/bpf/probe_xdp.bpf.o").load();
        obj.close();
        obj.close();
        assertThrows(IllegalStateException.class, () -> obj.program("probe_xdp").fd());
    }
}
