package dev.ffkx.runtime.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A row of the kernel contract: a feature, the upstream Linux version that brought it, whether
 * ffkx needs it, and what it serves (for KFlex mechanisms, which one it replaces).
 */
public record Feature(String id, String title, String since, boolean required, String purpose) {
    private static final String TABLE = "/dev/ffkx/kernel/features.tsv";

    /** Every feature, in the contract's order. */
    public static List<Feature> all() {
        try (InputStream in = Feature.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is not on the classpath (ffkx-kernel missing?)");
            }
            List<Feature> rows = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 5) {
                    throw new IllegalStateException(TABLE + ": malformed row: " + line);
                }
                rows.add(new Feature(f[0], f[1], f[2], f[3].equals("yes"), f[4]));
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + TABLE, e);
        }
    }

    public static Feature byId(String id) {
        return all().stream().filter(f -> f.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no feature '" + id + "' in the kernel contract"));
    }
}
