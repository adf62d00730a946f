package dev.ffkx.redis;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The offload object with its test entry point: the engine through rd_run and through the verdict's loop. */
final class KernelFixture implements AutoCloseable {
    final RedisKernel kernel = RedisKernel.load("/bpf/test_rd_verdict.bpf.o", 16L << 20, true);
    private final BpfMap verdictIo = kernel.object().map("rd_verdict_io");
    private final TestRun verdict = kernel.object().closeWithObject(kernel.object().program("rd_verdict_run").testRun());

    /** rd_run on an inline-style command line split on spaces: the reply, or null for RD_SLOW. */
    String run(String... argv) {
        List<byte[]> args = new ArrayList<>();
        for (String a : argv) {
            args.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] r = kernel.run(args);
        return r == null ? null : new String(r, StandardCharsets.ISO_8859_1);
    }

    /** What the verdict would send for an skb holding these bytes, or null when it would pass it up. */
    String verdict(String skb) {
        byte[] req = skb.getBytes(StandardCharsets.ISO_8859_1);
        byte[] io = new byte[verdictIo.valueSize()];
        LittleEndian.putInt(io, 0, req.length);
        System.arraycopy(req, 0, io, 8, req.length);
        verdictIo.update(0, io);
        int ret = verdict.context(new byte[8]).runForRetval();
        if (ret != 0) {
            throw new IllegalStateException("rd_verdict_run: " + ret);
        }
        byte[] back = verdictIo.lookup(0);
        int reply = LittleEndian.getInt(back, 4);
        return reply < 0 ? null
                : new String(Arrays.copyOfRange(back, 8 + RedisKernel.TEXT_BUF, 8 + RedisKernel.TEXT_BUF + reply),
                        StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
