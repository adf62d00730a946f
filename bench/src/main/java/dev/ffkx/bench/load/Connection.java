package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.SplittableRandom;

/**
 * One client of the closed loop: it keeps {@code --pipeline} requests outstanding, sends a new one
 * for each answer, and records what came back. Every method runs on the channel's event loop,
 * which is why nothing here is synchronised.
 */
abstract class Connection {
    protected final LoadRun run;
    protected final LoadSpec spec;
    protected final Requests requests;
    protected final Reply reply = new Reply();
    private final Keys keys;
    private final Verifier verifier;
    private final byte[] plainValue;
    protected ChannelHandlerContext ctx;
    protected Tally tally;
    protected int inFlight;
    private long issued;
    private int ratioStep;
    private boolean finished;
    long lastAnswerNanos;

    Connection(LoadRun run, int index) {
        this.run = run;
        this.spec = run.spec();
        this.requests = new Requests(spec);
        this.keys = new Keys(spec, index, new SplittableRandom(0x5EED_0000L + index));
        this.verifier = spec.verify() ? new Verifier(run.salt(), !spec.udp(), spec.dataSize(), requests) : null;
        this.plainValue = Values.plain(spec.dataSize());
    }

    /** The handler to install on this connection's channel. */
    abstract ChannelHandler handler();

    /** A buffer for one request, with room for any framing the transport puts before it. */
    abstract ByteBuf newRequestBuffer();

    /** Hands one encoded request to the channel, without flushing. */
    abstract void send(Pending p, ByteBuf request);

    /** Called once the run has stopped issuing and nothing is outstanding. */
    void finished() {}

    /** Binds to the channel once it is registered with its event loop. */
    final void attach(ChannelHandlerContext context) {
        this.ctx = context;
        this.tally = run.tally(context.channel().eventLoop());
    }

    final Channel channel() {
        return ctx == null ? null : ctx.channel();
    }

    final boolean isFinished() {
        return finished;
    }

    /** Sends until the window is full; ends the connection's part once there is nothing left to do. */
    final void fill() {
        if (finished || ctx == null) {
            return;
        }
        boolean wrote = false;
        while (inFlight < spec.pipeline() && mayIssue()) {
            issue();
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (inFlight == 0 && !mayIssue()) {
            finish();
        }
    }

    private boolean mayIssue() {
        return !run.stopping() && (spec.testTimeSeconds() > 0 || issued < spec.requestsPerClient());
    }

    private void issue() {
        OpType type = nextType();
        long key = keys.next(type != OpType.GET);
        Pending p = new Pending(type, key);
        byte[] k = requests.key(key);
        ByteBuf buf = newRequestBuffer();
        switch (type) {
            case SET -> {
                byte[] value = plainValue;
                if (verifier != null) {
                    verifier.setSent(p);
                    value = verifier.value(p);
                }
                requests.set(buf, k, value);
            }
            case GET -> {
                if (verifier != null) {
                    verifier.getSent(p);
                }
                requests.get(buf, k);
            }
            case COMMAND -> requests.command(buf, k, plainValue);
        }
        p.bytesOut = buf.readableBytes();
        p.sentNanos = System.nanoTime();
        issued++;
        inFlight++;
        send(p, buf);
    }

    private OpType nextType() {
        if (spec.command() != null) {
            return OpType.COMMAND;
        }
        OpType t = ratioStep < spec.setRatio() ? OpType.SET : OpType.GET;
        ratioStep = (ratioStep + 1) % (spec.setRatio() + spec.getRatio());
        return t;
    }

    /** Records an answer whose bytes are still readable in {@code buf}. */
    final void answered(Pending p, Reply r, ByteBuf buf, int bytesIn) {
        long now = System.nanoTime();
        long latency = now - p.sentNanos;
        inFlight--;
        lastAnswerNanos = now;
        OpStats s = tally.of(p.type);
        s.ops++;
        s.bytes += p.bytesOut + bytesIn;
        s.record(latency);
        run.progress(latency, p.bytesOut + bytesIn);
        if (r.kind == Reply.Kind.ERROR) {
            s.errors++;
            tally.problem("the server answered " + p.type + " with: " + r.errorLine);
        } else if (p.type == OpType.GET) {
            if (r.kind == Reply.Kind.HIT) {
                s.hits++;
            } else if (r.kind == Reply.Kind.MISS) {
                s.misses++;
            }
        }
        if (verifier != null) {
            if (p.type == OpType.SET) {
                verifier.setAnswered(p, r.kind == Reply.Kind.STORED);
            } else if (p.type == OpType.GET) {
                verifier.getAnswered(p, r, buf, tally);
            }
        }
    }

    /** A request given up on (UDP): counted, never hidden. */
    final void timedOut(Pending p) {
        inFlight--;
        tally.timeouts++;
        if (verifier != null && p.type == OpType.SET) {
            verifier.setTimedOut(p);
        }
    }

    /** The connection broke: what was outstanding is lost, and counted as such. */
    final void failed(String why) {
        if (finished || tally == null) {
            return;
        }
        tally.connectionFailures++;
        tally.lostOnFailedConnections += inFlight;
        tally.problem(why);
        inFlight = 0;
        finish();
        if (ctx != null) {
            ctx.close();
        }
    }

    private void finish() {
        if (!finished) {
            finished = true;
            finished();
            run.connectionFinished();
        }
    }
}
