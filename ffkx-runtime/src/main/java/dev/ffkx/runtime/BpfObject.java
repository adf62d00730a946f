package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibBpf;
import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.LibbpfLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A BPF ELF object opened through libbpf. Configure it (map sizes, map_extra, .rodata), then
 * {@link #load()}, then use its {@link Program}s and {@link BpfMap}s. Closing it detaches every
 * {@link Link} made from its programs and releases every fd it holds.
 */
public final class BpfObject implements AutoCloseable {
    private final long handle;
    private final String name;
    private final Map<String, Program> programs = new LinkedHashMap<>();
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final Deque<AutoCloseable> dependents = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean loaded;

    private BpfObject(long handle, String name) {
        this.handle = handle;
        this.name = name;
        for (long p = LibBpf.bpf_object__next_program(handle, 0); p != 0; p = LibBpf.bpf_object__next_program(handle, p)) {
            Program prog = new Program(this, p);
            programs.put(prog.name(), prog);
        }
        for (long m = LibBpf.bpf_object__next_map(handle, 0); m != 0; m = LibBpf.bpf_object__next_map(handle, m)) {
            BpfMap map = new BpfMap(this, m);
            maps.put(map.name(), map);
        }
    }

    /** The version of the libbpf this process loaded, such as "v1.1". */
    public static String libbpfVersion() {
        return LibBpf.libbpf_version_string();
    }

    /** Opens an object shipped as a classpath resource, such as {@code /bpf/probe_arena.bpf.o}. */
    public static BpfObject openResource(String resource) {
        try (InputStream in = BpfObject.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new BpfException("BPF object " + resource + " is not on the classpath (was the module built?)");
            }
            return openBytes(in.readAllBytes(), resource.substring(resource.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** Opens an object file. */
    public static BpfObject openFile(Path path) {
        try {
            return openBytes(Files.readAllBytes(path), path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    private static BpfObject openBytes(byte[] elf, String name) {
        LibbpfLog.beginCapture();
        long obj;
        String output;
        try {
            obj = LibBpf.bpf_object__open_mem(elf, elf.length, 0);
        } finally {
            output = LibbpfLog.endCapture();
        }
        if (obj == 0) {
            int errno = LibC.errno();
            throw new BpfException("opening BPF object " + name + " failed: " + Errno.describe(errno)
                    + (output.isBlank() ? "" : "\n" + output.strip()), errno, true);
        }
        return new BpfObject(obj, name);
    }

    public String name() {
        return name;
    }

    /** Loads every program (with autoload set) and creates every map. */
    public BpfObject load() {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException(name + " is already loaded");
        }
        String output;
        int ret;
        LibbpfLog.beginCapture();
        try {
            ret = LibBpf.bpf_object__load(handle);
        } finally {
            output = LibbpfLog.endCapture();
        }
        if (ret < 0) {
            throw BpfLoadException.from(name, -ret, output);
        }
        loaded = true;
        return this;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** The program with this function name. */
    public Program program(String programName) {
        Program p = programs.get(programName);
        if (p == null) {
            throw new IllegalArgumentException(name + " has no program '" + programName + "' (it has " + programs.keySet() + ")");
        }
        return p;
    }

    public List<Program> programs() {
        return List.copyOf(programs.values());
    }

    /** The map with this name; global data sections are named like {@code NAME.bss} or {@code .rodata}. */
    public BpfMap map(String mapName) {
        BpfMap m = maps.get(mapName);
        if (m == null) {
            for (BpfMap candidate : maps.values()) {
                // libbpf names global data maps "<object prefix>.<section>"
                if (candidate.name().endsWith(mapName) && mapName.startsWith(".")) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException(name + " has no map '" + mapName + "' (it has " + maps.keySet() + ")");
        }
        return m;
    }

    public List<BpfMap> maps() {
        return List.copyOf(maps.values());
    }

    /**
     * Writes the initial image of {@code .rodata} before load: the read-only configuration the
     * verifier sees as constants. {@code image} replaces the section's start; the rest is kept.
     */
    public void setReadOnlyConfig(byte[] image) {
        map(".rodata").setInitialValue(image);
    }

    /** Registers something to close before this object: links, heaps, sockets tied to its maps. */
    public synchronized <T extends AutoCloseable> T closeWithObject(T resource) {
        ensureOpen();
        dependents.push(resource);
        return resource;
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    void ensureLoaded() {
        ensureOpen();
        if (!loaded) {
            throw new IllegalStateException(name + " is not loaded yet");
        }
    }

    void ensureNotLoaded(String what) {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException(what + " must be set before " + name + " is loaded");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Exception> failures = new ArrayList<>();
        synchronized (this) {
            while (!dependents.isEmpty()) {
                try {
                    dependents.pop().close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        }
        LibBpf.bpf_object__close(handle);
        if (!failures.isEmpty()) {
            BpfException e = new BpfException("closing " + name + " left " + failures.size() + " resource(s) unclosed", failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
