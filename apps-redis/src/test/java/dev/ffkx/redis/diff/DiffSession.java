package dev.ffkx.redis.diff;

import dev.ffkx.runtime.diff.DiffReport;
import dev.ffkx.runtime.diff.Text;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Plays one command sequence against a reference server and a server under test, batch by
 * batch in lockstep (so both see the same wall clock), and compares what they answer.
 *
 * <pre>{@code
 * try (DiffSession s = DiffSession.open(reference, tested, seed)) {
 *     DiffReport report = s.run(new CommandGenerator(seed), 50_000);
 *     assertTrue(report.clean(), report.summary());
 * }
 * }</pre>
 *
 * Both servers must be started and empty. A batch is a pipeline of 1 to 64 commands, its bytes
 * cut at random places into separate writes; it ends early after a command that closes the
 * connection, and the next batch opens a new one.
 *
 * <p>To play from inside a network namespace, open and run the session on a thread that is in
 * it (NetNamespace.call): the threads it starts, and so every socket it opens, stay there.
 */
public final class DiffSession implements AutoCloseable {
    /** After this many batches in a row where the tested server timed out or hung up, give up. */
    private static final int GIVE_UP = 3;
    private static final int CONTEXT = 4;

    private final TcpRunner reference;
    private final TcpRunner tested;
    private final Random rnd;
    private final DiffReport report;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "rdiff");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private long index;
    private int failures;
    private boolean gaveUp;

    private DiffSession(TcpRunner reference, TcpRunner tested, long seed, DiffReport report) {
        this.reference = reference;
        this.tested = tested;
        this.rnd = new Random(seed);
        this.report = report;
    }

    /** The seed decides pipeline depths and where requests are cut. */
    public static DiffSession open(ServerUnderTest reference, ServerUnderTest tested, long seed) {
        String nonce = Long.toHexString(new Random(seed).nextLong() >>> 16);
        return new DiffSession(new TcpRunner(reference, seed + 1, nonce), new TcpRunner(tested, seed + 2, nonce), seed,
                new DiffReport(reference.name(), tested.name(), "TCP", ReplyKinds::of));
    }

    /** Plays {@code count} generated commands. */
    public DiffReport run(CommandGenerator generator, int count) {
        return run(Stream.generate(generator::next).limit(count).iterator());
    }

    /** Plays these commands. */
    public DiffReport run(List<Command> commands) {
        return run(commands.iterator());
    }

    private DiffReport run(Iterator<Command> source) {
        while (!gaveUp && source.hasNext()) {
            List<Command> batch = new ArrayList<>();
            int depth = depth();
            while (batch.size() < depth && source.hasNext()) {
                Command c = source.next();
                batch.add(c);
                if (c.closes()) {
                    break;
                }
            }
            play(batch);
        }
        return report;
    }

    /** 1 to 64: a third unpipelined, the rest spread over short and deep pipelines. */
    private int depth() {
        int r = rnd.nextInt(10);
        return r < 3 ? 1 : r < 7 ? 2 + rnd.nextInt(7) : 9 + rnd.nextInt(56);
    }

    private void play(List<Command> batch) {
        Future<TcpRunner.Answer> r = pool.submit(() -> reference.run(batch));
        Future<TcpRunner.Answer> t = pool.submit(() -> tested.run(batch));
        TcpRunner.Answer ref = get(r);
        TcpRunner.Answer test = get(t);
        long first = index;
        index += batch.size();
        report.commands(batch.size());
        compare(first, batch, ref, test);
        failures = test.problem() == null ? 0 : failures + 1;
        if (failures >= GIVE_UP) {
            gaveUp = true;
            report.add(new DiffReport.Difference(index, "CONNECTION", "(the rest of the run)", "", "",
                    "gave up after " + GIVE_UP + " failed batches in a row", List.of()));
        }
        for (Command c : batch) {
            recent.addLast(c.toString());
            if (recent.size() > CONTEXT) {
                recent.removeFirst();
            }
        }
    }

    private void compare(long first, List<Command> batch, TcpRunner.Answer ref, TcpRunner.Answer test) {
        List<Integer> slots = new ArrayList<>(); // the batch position of the command each reply answers
        for (int i = 0; i < batch.size(); i++) {
            for (int k = 0; k < batch.get(i).replies(); k++) {
                slots.add(i);
            }
            if (batch.get(i).replies() == 0) {
                report.referenceReply(batch.get(i).name(), null);
            }
        }
        for (int i = 0; i < ref.replies().size(); i++) {
            report.referenceReply(i < slots.size() ? batch.get(slots.get(i)).name() : "?", ref.replies().get(i));
        }
        if (ref.problem() != null || ref.replies().size() != slots.size()) {
            difference(first, batch, 0, "MODEL", ref.replies().size() + " replies", slots.size() + " expected",
                    "the reference did not answer as the harness expects"
                            + (ref.problem() == null ? "" : ": " + ref.problem()));
        }
        int refCount = ref.replies().size();
        int testCount = test.replies().size();
        int i = 0;
        for (; i < Math.min(refCount, testCount); i++) {
            int at = i < slots.size() ? slots.get(i) : batch.size() - 1;
            byte[] a = ref.replies().get(i);
            byte[] b = test.replies().get(i);
            String why = ReplyComparator.compare(batch.get(at).check(), a, b);
            if (why == null) {
                continue;
            }
            if (refCount != testCount) {
                break; // out of step from here on: reported once, below
            }
            difference(first, batch, at, "REPLY", Text.show(a), Text.show(b), why);
        }
        if (refCount != testCount) {
            int at = i < slots.size() ? slots.get(i) : batch.size() - 1;
            difference(first, batch, at, refCount > testCount ? "MISSING" : "EXTRA",
                    i < refCount ? Text.show(ref.replies().get(i)) : "(nothing)",
                    i < testCount ? Text.show(test.replies().get(i)) : "(nothing)",
                    "the batch got " + testCount + " replies, the reference's " + refCount + "; out of step from here"
                            + (test.problem() == null ? "" : " (" + test.problem() + ")"));
        } else if (test.problem() != null) {
            difference(first, batch, batch.size() - 1, "CONNECTION", "", "", test.problem());
        }
    }

    private void difference(long first, List<Command> batch, int at, String kind, String ref, String test,
            String detail) {
        List<String> context = new ArrayList<>(recent);
        for (Command c : batch.subList(Math.max(0, at - CONTEXT), at)) {
            context.add(c.toString());
        }
        context = context.subList(Math.max(0, context.size() - CONTEXT), context.size());
        report.add(new DiffReport.Difference(first + at, kind, batch.get(at).toString(), ref, test, detail, context));
    }

    private static TcpRunner.Answer get(Future<TcpRunner.Answer> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    public DiffReport report() {
        return report;
    }

    /** Closes both connections; the servers keep running. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            reference.close();
        } finally {
            tested.close();
        }
    }
}
