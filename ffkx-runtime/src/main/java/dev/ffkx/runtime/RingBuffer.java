package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a BPF_MAP_TYPE_RINGBUF through its memory mapping, without libbpf's callback API: one
 * JNA upcall per record would cost more than the record. The map's fd is pollable: it becomes
 * readable when the producer has records the reader has not consumed, and the kernel wakes a
 * reader only once for a batch it has not caught up with.
 */
public final class RingBuffer implements AutoCloseable {
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;

    private final BpfMap map;
    private final long pageSize;
    private final long size;
    private final long consumerAddr;
    private final long producerAddr;
    private final NativeMemory consumer;
    private final NativeMemory producer;
    private final NativeMemory data;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Receives one record: {@code length} bytes at {@code offset} of {@code data}. */
    @FunctionalInterface
    public interface RecordHandler {
        void accept(NativeMemory data, long offset, int length);
    }

    private RingBuffer(BpfMap map) {
        this.map = map;
        this.pageSize = LibC.getpagesize();
        this.size = map.maxEntries();
        int fd = map.fd();
        consumerAddr = LibC.mmap(0, pageSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (consumerAddr == LibC.MAP_FAILED) {
            throw new BpfException("mapping the consumer page of ring buffer " + map.name(), LibC.errno());
        }
        // the data area is mapped twice in a row, so no record needs wrap-around handling
        producerAddr = LibC.mmap(0, pageSize + 2 * size, LibC.PROT_READ, LibC.MAP_SHARED, fd, pageSize);
        if (producerAddr == LibC.MAP_FAILED) {
            int errno = LibC.errno();
            LibC.munmap(consumerAddr, pageSize);
            throw new BpfException("mapping the data of ring buffer " + map.name(), errno);
        }
        consumer = NativeMemory.view(consumerAddr, pageSize);
        producer = NativeMemory.view(producerAddr, pageSize);
        data = NativeMemory.view(producerAddr + pageSize, 2 * size);
    }

    /** Maps a loaded ring buffer map; the mapping is released with its object or on close. */
    public static RingBuffer open(BpfMap map) {
        if (map.type() != BpfMap.TYPE_RINGBUF) {
            throw new IllegalArgumentException(map.name() + " is not a ring buffer (type " + map.type() + ")");
        }
        return map.owner().closeWithObject(new RingBuffer(map));
    }

    /** The fd to poll for readability. */
    public int fd() {
        return map.fd();
    }

    /** Hands every committed record to handler and releases them; returns how many there were. */
    public int drain(RecordHandler handler) {
        long cons = consumer.getLong(0);
        int n = 0;
        while (true) {
            long prod = producer.getLong(0);
            if (cons >= prod) {
                break;
            }
            while (cons < prod) {
                long off = cons & (size - 1);
                int len = data.getInt(off);
                if ((len & BUSY) != 0) {
                    consumer.putLong(0, cons);
                    return n;
                }
                int payload = len & ~(BUSY | DISCARD);
                if ((len & DISCARD) == 0) {
                    handler.accept(data, off + HEADER, payload);
                    n++;
                }
                cons += (HEADER + payload + 7) & ~7L;
            }
            consumer.putLong(0, cons);
        }
        return n;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibC.munmap(producerAddr, pageSize + 2 * size);
            LibC.munmap(consumerAddr, pageSize);
        }
    }

    @Override
    public String toString() {
        return "ring buffer " + map.name();
    }
}
