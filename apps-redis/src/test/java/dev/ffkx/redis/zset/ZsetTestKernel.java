package dev.ffkx.redis.zset;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.heap.ManagedHeap;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * rd_ztest.bpf.o loaded: one sorted set in a heap of its own, run through rd_zset_exec in either
 * mode, as the keyspace would run it for one key.
 */
final class ZsetTestKernel implements AutoCloseable {
    static final int FAST = 0, SYSCALL = 1;
    static final int RD_SLOW = -4096;
    /** enum rd_zcmd */
    static final Map<String, Integer> COMMANDS = Map.of("zadd", 0, "zincrby", 1, "zscore", 2, "zcard", 3,
            "zrank", 4, "zrem", 5, "zrange", 6, "zcount", 7);
    // struct rd_ztest_io: struct rd_argv (u32 argc, 64 x {u16 off, u16 len}), in, out
    private static final int ARGV = 0, IN = 4 + 64 * 4, OUT = IN + 2048, TEXT = 2048;
    // struct rd_ztest_args
    private static final int A_CMD = 0, A_MODE = 4, A_RET = 8, A_LEN = 12, A_CARD = 16, A_REPEAT = 24,
            A_MEMBER = 28, A_NS = 32, A_SIZE = 40;

    private final BpfObject obj;
    private final BpfMap io;
    private final TestRun run;

    ZsetTestKernel(long heapBytes) {
        obj = BpfObject.openResource("/bpf/rd_ztest.bpf.o");
        try {
            ManagedHeap.configure(obj, heapBytes);
            obj.load();
            ManagedHeap.initialize(obj);
            io = obj.map("rd_ztest_io");
            run = obj.closeWithObject(obj.program("rd_ztest").testRun());
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /** What one run left: rd_zset_exec's result, the reply, and the set's size afterwards. */
    record Result(int ret, byte[] reply, long card) {}

    /** Runs a command; false from fits() means it cannot go in one buffer. */
    Result run(List<byte[]> argv, int mode) {
        Integer cmd = COMMANDS.get(new String(argv.get(0), java.nio.charset.StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT));
        if (cmd == null) {
            throw new IllegalArgumentException("not a kernel command");
        }
        io.update(0, image(argv));
        byte[] args = new byte[A_SIZE];
        LittleEndian.putInt(args, A_CMD, cmd);
        LittleEndian.putInt(args, A_MODE, mode);
        int ret = run.context(args).runForRetval();
        if (ret != 0) {
            throw new IllegalStateException("rd_ztest failed: " + ret);
        }
        byte[] out = run.contextOut();
        int r = LittleEndian.getInt(out, A_RET);
        byte[] reply = r < 0 ? new byte[0] : Arrays.copyOfRange(io.lookup(0), OUT, OUT + LittleEndian.getInt(out, A_LEN));
        return new Result(r, reply, LittleEndian.getLong(out, A_CARD));
    }

    static boolean fits(List<byte[]> argv) {
        return argv.size() <= 64 && argv.stream().mapToInt(a -> a.length).sum() <= TEXT;
    }

    /** The slow path's way into this kernel: syscall mode, failures raised. */
    byte[] syscall(List<byte[]> argv) {
        Result r = run(argv, SYSCALL);
        if (r.ret() < 0) {
            throw new IllegalStateException("kernel refused " + new String(argv.get(0)) + ": " + r.ret());
        }
        return r.reply();
    }

    /**
     * Runs the command repeat times in one test run, the 8 bytes at the start of argument member
     * replaced by the run's number in hex each time; returns the kernel's ns per run.
     */
    double bench(List<byte[]> argv, int mode, int member, int repeat) {
        io.update(0, image(argv));
        byte[] args = new byte[A_SIZE];
        LittleEndian.putInt(args, A_CMD, COMMANDS.get(new String(argv.get(0)).toLowerCase(Locale.ROOT)));
        LittleEndian.putInt(args, A_MODE, mode);
        LittleEndian.putInt(args, A_REPEAT, repeat);
        LittleEndian.putInt(args, A_MEMBER, member);
        try (TestRun bench = obj.program("rd_ztest_bench").testRun()) {
            bench.context(args).runForRetval();
            byte[] out = bench.contextOut();
            int done = LittleEndian.getInt(out, A_REPEAT);
            if (done != repeat || LittleEndian.getInt(out, A_RET) < 0) {
                throw new IllegalStateException("bench stopped after " + done + ": " + LittleEndian.getInt(out, A_RET));
            }
            return (double) LittleEndian.getLong(out, A_NS) / repeat;
        }
    }

    private byte[] image(List<byte[]> argv) {
        if (!fits(argv)) {
            throw new IllegalArgumentException("command too large for the test buffer");
        }
        byte[] v = new byte[io.valueSize()];
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        LittleEndian.putInt(v, ARGV, argv.size());
        for (int i = 0; i < argv.size(); i++) {
            int off = text.size();
            v[4 + 4 * i] = (byte) off;
            v[5 + 4 * i] = (byte) (off >> 8);
            v[6 + 4 * i] = (byte) argv.get(i).length;
            v[7 + 4 * i] = (byte) (argv.get(i).length >> 8);
            text.writeBytes(argv.get(i));
        }
        byte[] t = text.toByteArray();
        System.arraycopy(t, 0, v, IN, t.length);
        return v;
    }

    @Override
    public void close() {
        obj.close();
    }
}
