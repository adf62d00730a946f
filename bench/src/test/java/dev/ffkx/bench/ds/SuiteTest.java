package dev.ffkx.bench.ds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick run CI does: every cell of the matrix gets a row, and every output file is written. */
class SuiteTest {
    @Test
    void aQuickRunReportsEveryCellAndWritesTableCsvJsonAndChart(@TempDir Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Report report = Suite.run(new Suite.Options(true, null, out, -1, List.of(), new PrintStream(log, true, StandardCharsets.UTF_8)));

        long uniformCells = Cell.all().stream().filter(c -> c.dist() == Distribution.UNIFORM).count();
        assertEquals(uniformCells, report.rows().size());
        for (Row r : report.rows()) {
            boolean built = r.cell().impl().implemented(r.cell().structure());
            assertEquals(built ? Row.Status.MEASURED : Row.Status.NOT_AVAILABLE, r.status(), r.cell().id() + ": " + r.note());
            if (built) {
                assertTrue(r.nsPerOp() > 0, r.cell().id());
            }
            assertEquals(r.cell().impl() != Impl.JAVA && built, r.kernelNsPerOp() > 0, r.cell().id() + " in-kernel time");
        }

        String table = report.table();
        for (Structure s : Structure.values()) {
            for (Op op : s.ops()) {
                assertTrue(Pattern.compile("(?m)^" + Pattern.quote(s.id() + "." + op.id()) + " +uniform ").matcher(table).find(), table);
            }
        }
        List<String> csv = Files.readAllLines(out.resolve(Suite.CSV));
        assertEquals(uniformCells + 1, csv.size());
        assertTrue(csv.contains(csv.stream().filter(l -> l.startsWith("hashmap,lookup,uniform,ebpf,measured,")).findFirst().orElseThrow()));
        String json = Files.readString(out.resolve(Suite.JSON));
        assertTrue(json.contains("\"ffkx_over_ebpf\""), json);
        assertTrue(json.contains("\"operation\": \"skiplist.delete\""), json);
        byte[] png = Files.readAllBytes(out.resolve(Suite.PNG));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG");
        assertTrue(report.targets().stream().anyMatch(t -> t.contains("hashmap.lookup/uniform")), report.targets().toString());
    }

    @Test
    void aFilterSelectsCellsByName(@TempDir Path out) throws Exception {
        Report report = Suite.run(new Suite.Options(true, Pattern.compile("^hashmap\\.lookup/(ebpf|java)"), out, -1,
                List.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertEquals(List.of("hashmap.lookup/ebpf/uniform", "hashmap.lookup/java/uniform"),
                report.rows().stream().map(r -> r.cell().id()).sorted().toList());
    }
}
