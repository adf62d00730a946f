package dev.ffkx.cli;

import dev.ffkx.runtime.features.FeatureProbe;
import dev.ffkx.runtime.features.ProbeResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ffkx doctor}: the kernel contract against the running kernel. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Probe the running kernel for every feature ffkx uses; exit 1 if a required one is missing.")
final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ProbeResult> results = FeatureProbe.probeAll();
        out.printf("Linux %s%n%n", System.getProperty("os.version"));
        out.printf("%-44s %-6s %-8s %-8s %s%n", "FEATURE", "SINCE", "NEEDED", "STATUS", "DETAIL");
        boolean requiredMissing = false;
        for (ProbeResult r : results) {
            out.printf("%-44s %-6s %-8s %-8s %s%n", r.feature().title(), r.feature().since(),
                    r.feature().required() ? "yes" : "no", r.present() ? "ok" : "MISSING", r.detail());
            requiredMissing |= r.feature().required() && !r.present();
        }
        out.println();
        out.println(requiredMissing ? "A required feature is missing: ffkx cannot run its offloads here."
                : "Every required feature is present.");
        out.flush();
        return requiredMissing ? 1 : 0;
    }
}
