package dev.ffkx.memcached.diff;

import dev.ffkx.runtime.diff.DiffReport;
import dev.ffkx.runtime.diff.Text;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * try (DiffSession s = DiffSession.open(reference, tested, Transport.TCP, seed)) {
 *     s.run(new CommandGenerator(seed, unixNow, itemSizeMax, Transport.TCP), 50_000);
 *     assertTrue(s.report().clean(), s.report().summary());
 * }
 * }</pre>
 *
 * Both servers must be started, empty, and configured alike (same {@code -I}). Over TCP a batch
 * is a pipeline of 1 to 64 commands; over UDP it is one command. A batch ends early where a cas
 * needs a unique that an earlier command of the batch has yet to return, and after a quit.
 *
 * <p>To play from inside a network namespace, open and run the session on a thread that is in
 * it (NetNamespace.call): the threads it starts, and so every socket it opens, stay there.
 */
public final class DiffSession implements AutoCloseable {
    /** After this many batches in a row where the tested server timed out or hung up, give up. */
    private static final int GIVE_UP = 3;
    private static final int CONTEXT = 4;

    private final Transport transport;
    private final Runner reference;
    private final Runner tested;
    private final Random rnd;
    private final DiffReport report;
    private final ReplyComparator comparator = new ReplyComparator();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "mcdiff");
        t.setDaemon(true);
        return t;
    });
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    /** Recent commands by index, to name the command a late UDP reply belongs to. */
    private final Map<Long, Command> sent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Command> eldest) {
            return size() > 8192;
        }
    };
    private RequestModel model = new RequestModel();
    private List<Runner.Step> current = List.of();
    private long index;
    private int failures;
    private boolean gaveUp;

    private DiffSession(Transport transport, Runner reference, Runner tested, long seed, DiffReport report) {
        this.transport = transport;
        this.reference = reference;
        this.tested = tested;
        this.rnd = new Random(seed);
        this.report = report;
    }

    /** Connects to both servers; the seed decides pipeline depths and how requests are split. */
    public static DiffSession open(ServerUnderTest reference, ServerUnderTest tested, Transport transport, long seed)
            throws IOException {
        DiffReport report = new DiffReport(reference.name(), tested.name(), transport.name(), ReplyKinds::of);
        if (transport == Transport.UDP) {
            return new DiffSession(transport, new UdpRunner(reference), new UdpRunner(tested), seed, report);
        }
        String nonce = Long.toHexString(new Random(seed).nextLong() >>> 16);
        return new DiffSession(transport, new TcpRunner(reference, seed + 1, nonce),
                new TcpRunner(tested, seed + 2, nonce), seed, report);
    }

    /** Plays {@code count} generated commands, then quit. */
    public DiffReport run(CommandGenerator generator, int count) throws IOException {
        run(Stream.generate(generator::next).limit(count).iterator());
        return run(List.of(Command.of("quit\r\n")));
    }

    /** Plays these commands. */
    public DiffReport run(List<Command> commands) throws IOException {
        run(commands.iterator());
        return report;
    }

    private void run(Iterator<Command> source) throws IOException {
        Command pending = null;
        while (!gaveUp && (pending != null || source.hasNext())) {
            List<Runner.Step> batch = new ArrayList<>();
            List<Integer> capturing = new ArrayList<>();
            int depth = transport == Transport.UDP ? 1 : depth();
            while (batch.size() < depth && (pending != null || source.hasNext())) {
                Command c = pending != null ? pending : source.next();
                pending = null;
                if (c.casFrom() >= 0 && capturing.contains(c.casFrom())) {
                    pending = c; // its cas unique is not back yet
                    break;
                }
                Runner.Step step = plan(c);
                batch.add(step);
                if (c.captureId() >= 0) {
                    capturing.add(c.captureId());
                }
                if (step.closes()) {
                    break;
                }
            }
            play(batch);
        }
    }

    private int depth() {
        int r = rnd.nextInt(10);
        return r < 3 ? 1 : r < 7 ? 2 + rnd.nextInt(7) : 9 + rnd.nextInt(56);
    }

    /** Runs the request model over a command, as sent with any cas hole filled with digits. */
    private Runner.Step plan(Command c) {
        if (transport == Transport.UDP) {
            model = new RequestModel(); // each datagram is read on its own
        }
        List<RequestModel.Expected> expected = model.feed(c.render(id -> Command.NO_CAS));
        Runner.Step step = new Runner.Step(index++, c, expected);
        sent.put(step.index(), c);
        if (step.closes()) {
            model = new RequestModel();
        } else if (!model.atCommand()) {
            throw new IllegalArgumentException("command #" + step.index() + " leaves the server "
                    + (model.inData() ? "inside a data block" : "in the middle of a line") + ": " + c);
        }
        return step;
    }

    private void play(List<Runner.Step> batch) throws IOException {
        Future<Runner.Answer> r = pool.submit(() -> reference.run(batch));
        Future<Runner.Answer> t = pool.submit(() -> tested.run(batch));
        Runner.Answer ref = get(r);
        Runner.Answer test = get(t);
        report.commands(batch.size());
        current = batch;
        compare(batch, ref, test);
        failures = test.problem() == null ? 0 : failures + 1;
        if (failures >= GIVE_UP) {
            gaveUp = true;
            report.add(new DiffReport.Difference(index, "CONNECTION", "(the rest of the run)", "", "",
                    "gave up after " + GIVE_UP + " failed batches in a row", List.of()));
        }
        for (Runner.Step s : batch) {
            recent.addLast(s.command().toString());
            if (recent.size() > CONTEXT) {
                recent.removeFirst();
            }
        }
    }

    private void compare(List<Runner.Step> batch, Runner.Answer ref, Runner.Answer test) {
        List<Runner.Step> slots = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Runner.Step s : batch) {
            for (RequestModel.Expected e : s.expected()) {
                for (int i = 0; i < e.replies(); i++) {
                    slots.add(s);
                    names.add(e.name());
                }
                if (e.replies() == 0) {
                    report.referenceReply(e.name(), null);
                }
            }
        }
        for (int i = 0; i < ref.replies().size(); i++) {
            report.referenceReply(i < names.size() ? names.get(i) : "?", ref.replies().get(i));
        }
        Runner.Step first = batch.get(0);
        if (ref.problem() != null || ref.replies().size() != slots.size() || !ref.framing().isEmpty()) {
            difference(first, "MODEL", ref.replies().size() + " replies", slots.size() + " expected",
                    "the reference did not answer as the request model predicts" + (ref.problem() == null ? ""
                            : ": " + ref.problem()) + (ref.framing().isEmpty() ? "" : ": " + ref.framing()));
        }
        int refCount = ref.replies().size();
        int testCount = test.replies().size();
        int i = 0;
        for (; i < Math.min(refCount, testCount); i++) {
            byte[] a = ref.replies().get(i);
            byte[] b = test.replies().get(i);
            String why = comparator.compare(i < names.size() ? names.get(i) : "", a, b);
            if (why == null) {
                continue;
            }
            if (refCount != testCount) {
                break; // out of step from here on: reported once, below
            }
            difference(slot(slots, batch, i), "REPLY", Text.show(a), Text.show(b), why);
        }
        if (refCount != testCount) {
            outOfStep(batch, slot(slots, batch, i), ref, test, i);
        } else if (test.problem() != null) {
            difference(first, "CONNECTION", "", "", test.problem());
        }
        if (!test.framing().isEmpty()) {
            difference(first, "FRAMING", "", "", String.join("; ", test.framing()));
        }
        late(ref.late(), test.late());
    }

    /**
     * Reports a batch where the servers gave different numbers of replies. The culprit is most
     * likely a command before the first reply out of step that expects none (answered anyway),
     * or that command itself (not answered).
     */
    private void outOfStep(List<Runner.Step> batch, Runner.Step at, Runner.Answer ref, Runner.Answer test, int i) {
        List<String> silent = new ArrayList<>();
        for (Runner.Step b : batch) {
            if (b.index() <= at.index() && b.expected().stream().anyMatch(e -> e.replies() == 0)) {
                silent.add(b.command().toString());
            }
        }
        int refCount = ref.replies().size();
        int testCount = test.replies().size();
        difference(at, testCount < refCount ? "MISSING" : "EXTRA",
                i < refCount ? Text.show(ref.replies().get(i)) : "(nothing)",
                i < testCount ? Text.show(test.replies().get(i)) : "(nothing)",
                "out of step from reply " + (i + 1) + " of the batch: the tested server gave " + testCount
                        + " replies to these " + batch.size() + " commands, the reference " + refCount
                        + (silent.isEmpty() ? "" : "; before it, commands that expect no reply: "
                                + silent.subList(Math.max(0, silent.size() - 3), silent.size()))
                        + (test.problem() == null ? "" : "; " + test.problem()));
    }

    private static Runner.Step slot(List<Runner.Step> slots, List<Runner.Step> batch, int i) {
        return i < slots.size() ? slots.get(i) : batch.get(batch.size() - 1);
    }

    private void late(List<Runner.Late> ref, List<Runner.Late> test) {
        for (Runner.Late l : ref) {
            difference(stepAt(l.index()), "MODEL", Text.show(l.payload()), "",
                    "the reference answered a command the request model expects no reply to");
        }
        for (Runner.Late l : test) {
            difference(stepAt(l.index()), "EXTRA", "(nothing)", Text.show(l.payload()),
                    "a reply came for a command that had none from the reference, or had been answered");
        }
    }

    /** A late reply names its command by index; the command itself may be long forgotten. */
    private Runner.Step stepAt(long at) {
        return new Runner.Step(at, sent.getOrDefault(at, Command.of("(command #" + at + ")")), List.of());
    }

    private void difference(Runner.Step s, String kind, String ref, String test, String why) {
        List<String> before = new ArrayList<>(recent);
        for (Runner.Step b : current) {
            if (b.index() < s.index()) {
                before.add(b.command().toString());
            }
        }
        List<String> context = before.subList(Math.max(0, before.size() - CONTEXT), before.size());
        report.add(new DiffReport.Difference(s.index(), kind, s.command().toString(), ref, test, why, List.copyOf(context)));
    }

    private static Runner.Answer get(Future<Runner.Answer> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    public DiffReport report() {
        return report;
    }

    /** Collects late replies, then closes both connections; the servers keep running. */
    @Override
    public void close() throws IOException {
        try {
            late(reference.finish(), tested.finish());
        } finally {
            pool.shutdownNow();
            try {
                reference.close();
            } finally {
                tested.close();
            }
        }
    }
}
