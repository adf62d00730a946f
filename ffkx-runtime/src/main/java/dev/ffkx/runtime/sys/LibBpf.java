package dev.ffkx.runtime.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * libbpf, bound by JNA direct mapping. Names and signatures follow libbpf 1.1's public API; every
 * pointer is a {@code long}. Functions returning int return libbpf's {@code -errno} on failure;
 * functions returning a pointer return 0 and leave the error in {@link Native#getLastError()}.
 */
public final class LibBpf {
    static {
        Native.register(LibBpf.class, NativeLibrary.getInstance("libbpf.so.1"));
    }

    private LibBpf() {}

    // object
    public static native long bpf_object__open_mem(byte[] buf, long size, long opts);
    public static native long bpf_object__open_file(String path, long opts);
    public static native int bpf_object__load(long obj);
    public static native void bpf_object__close(long obj);
    public static native String bpf_object__name(long obj);
    public static native long bpf_object__next_program(long obj, long prev);
    public static native long bpf_object__next_map(long obj, long prev);

    // program
    public static native String bpf_program__name(long prog);
    public static native String bpf_program__section_name(long prog);
    public static native int bpf_program__fd(long prog);
    public static native int bpf_program__type(long prog);
    public static native int bpf_program__set_autoload(long prog, boolean autoload);
    public static native boolean bpf_program__autoload(long prog);
    public static native long bpf_program__insns(long prog);
    public static native long bpf_program__insn_cnt(long prog);

    // map (before and after load)
    public static native String bpf_map__name(long map);
    public static native int bpf_map__fd(long map);
    public static native int bpf_map__type(long map);
    public static native int bpf_map__max_entries(long map);
    public static native int bpf_map__set_max_entries(long map, int maxEntries);
    public static native int bpf_map__key_size(long map);
    public static native int bpf_map__value_size(long map);
    public static native long bpf_map__map_extra(long map);
    public static native int bpf_map__set_map_extra(long map, long extra);
    public static native int bpf_map__set_initial_value(long map, byte[] data, long size);
    public static native long bpf_map__initial_value(long map, long[] psize);

    // low-level syscall wrappers
    public static native int bpf_map_lookup_elem(int fd, byte[] key, byte[] value);
    public static native int bpf_map_lookup_elem_flags(int fd, byte[] key, byte[] value, long flags);
    public static native int bpf_map_update_elem(int fd, byte[] key, byte[] value, long flags);
    public static native int bpf_map_delete_elem(int fd, byte[] key);
    public static native int bpf_map_get_next_key(int fd, byte[] key, byte[] nextKey);
    public static native int bpf_prog_test_run_opts(int progFd, long opts);
    public static native int bpf_link_create(int progFd, int targetFd, int attachType, long opts);
    public static native int bpf_prog_attach(int progFd, int targetFd, int attachType, int flags);
    public static native int bpf_prog_detach2(int progFd, int targetFd, int attachType);
    public static native int bpf_obj_get_info_by_fd(int fd, byte[] info, int[] infoLen);
    public static native int bpf_enable_stats(int type);

    // library
    public static native int libbpf_num_possible_cpus();
    public static native String libbpf_version_string();
    public static native long libbpf_set_print(LibbpfLog.PrintFn fn);
}
