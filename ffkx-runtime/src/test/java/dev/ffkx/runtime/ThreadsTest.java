package dev.ffkx.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void aPinnedThreadStaysOnItsCpu() throws Exception {
        int cpu = Runtime.getRuntime().availableProcessors() - 1;
        int[] seen = new int[1];
        Thread t = new Thread(() -> {
            Threads.pinToCpu(cpu);
            Thread.yield();
            seen[0] = Threads.currentCpu();
        });
        t.start();
        t.join();
        assertEquals(cpu, seen[0]);
    }

    @Test
    void aCpuThatDoesNotExistIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Threads.pinToCpu(-1));
        assertThrows(IllegalArgumentException.class, () -> Threads.pinToCpu(4096));
        assertThrows(BpfException.class, () -> Threads.pinToCpu(1000)); // no such CPU here
    }
}
