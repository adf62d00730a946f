package dev.ffkx.bench.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a comparison ran on, for labelling its numbers. */
public record Machine(String kernel, String cpu, int cpus) {
    public static Machine current() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // keep "unknown CPU": the label is informative only
        }
        return new Machine(System.getProperty("os.version"), cpu, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String toString() {
        return "Linux " + kernel + ", " + cpu + ", " + cpus + " CPUs";
    }
}
