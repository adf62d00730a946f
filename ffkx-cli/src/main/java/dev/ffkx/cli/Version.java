package dev.ffkx.cli;

import dev.ffkx.runtime.BpfObject;
import picocli.CommandLine.IVersionProvider;

/** ffkx's version, with the libbpf and kernel it runs on. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Ffkx.class.getPackage().getImplementationVersion();
        return new String[] {
            "ffkx " + (version == null ? "(development build)" : version),
            "libbpf " + BpfObject.libbpfVersion() + ", Linux " + System.getProperty("os.version")
                    + ", Java " + Runtime.version()
        };
    }
}
