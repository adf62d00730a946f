package dev.ffkx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffkx.runtime.net.Interfaces;
import dev.ffkx.runtime.net.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves anything behind: an XDP program on a device, an ffkx namespace,
 * or a pin under /sys/fs/bpf. It compares against what existed before the class ran, so it
 * blames only the class under test.
 */
public final class NoLeftovers implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NoLeftovers.class);

    private record Snapshot(List<String> xdpDevices, List<String> namespaces, List<String> pins) {
        static Snapshot take() {
            return new Snapshot(Interfaces.withXdp(),
                    NetNamespace.list().stream().filter(n -> n.startsWith("ffkx")).toList(), currentPins());
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(STORE).put("before", Snapshot.take());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Snapshot before = context.getStore(STORE).get("before", Snapshot.class);
        Snapshot after = Snapshot.take();
        assertEquals(before.xdpDevices(), after.xdpDevices(), "XDP programs left attached");
        assertEquals(before.namespaces(), after.namespaces(), "network namespaces left behind");
        assertEquals(before.pins(), after.pins(), "BPF objects left pinned");
    }

    private static List<String> currentPins() {
        Path bpffs = Path.of("/sys/fs/bpf");
        if (!Files.isDirectory(bpffs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(bpffs)) {
            return s.filter(p -> !p.equals(bpffs)).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("listing " + bpffs, e);
        }
    }
}
