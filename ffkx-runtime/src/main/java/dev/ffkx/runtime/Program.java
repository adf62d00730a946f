package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibBpf;
import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;
import java.nio.file.Path;

/** A program of a {@link BpfObject}. Attach methods return a {@link Link} owned by the object. */
public final class Program {
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;
    private static final int PROG_INFO_SIZE = 232;
    private static final int INFO_XLATED_LEN = 20;
    private static final int INFO_XLATED_INSNS = 32;
    private static final int INFO_RUN_TIME_NS = 192;
    private static final int INFO_RUN_CNT = 200;

    private final BpfObject object;
    private final long handle;
    private final String name;

    Program(BpfObject object, long handle) {
        this.object = object;
        this.handle = handle;
        this.name = LibBpf.bpf_program__name(handle);
    }

    public String name() {
        return name;
    }

    public String sectionName() {
        return LibBpf.bpf_program__section_name(handle);
    }

    /** The program's fd once loaded. */
    public int fd() {
        object.ensureLoaded();
        int fd = LibBpf.bpf_program__fd(handle);
        if (fd < 0) {
            throw new IllegalStateException("program " + name + " was not loaded (autoload off?)");
        }
        return fd;
    }

    /** Chooses, before load, whether this program is loaded with its object. */
    public void setAutoload(boolean autoload) {
        object.ensureNotLoaded("autoload of " + name);
        BpfException.check(LibBpf.bpf_program__set_autoload(handle, autoload), "setting autoload of " + name);
    }

    /**
     * The instructions as libbpf holds them (8 bytes each, little-endian), after relocation when
     * the object is loaded: what was handed to the verifier.
     */
    public byte[] instructions() {
        long insns = LibBpf.bpf_program__insns(handle);
        long count = LibBpf.bpf_program__insn_cnt(handle);
        if (insns == 0 || count == 0) {
            return new byte[0];
        }
        return NativeMemory.view(insns, count * 8).read(0, (int) (count * 8));
    }

    /** The instructions as the kernel holds them after verification (the "xlated" program). */
    public byte[] translatedInstructions() {
        int fd = fd();
        byte[] info = new byte[PROG_INFO_SIZE];
        BpfException.check(LibBpf.bpf_obj_get_info_by_fd(fd, info, new int[] {info.length}), "reading info of " + name);
        int len = LittleEndian.getInt(info, INFO_XLATED_LEN);
        try (NativeMemory buf = NativeMemory.allocate(len)) {
            byte[] again = new byte[PROG_INFO_SIZE];
            LittleEndian.putInt(again, INFO_XLATED_LEN, len);
            LittleEndian.putLong(again, INFO_XLATED_INSNS, buf.address());
            BpfException.check(LibBpf.bpf_obj_get_info_by_fd(fd, again, new int[] {again.length}),
                    "reading instructions of " + name);
            return buf.read(0, LittleEndian.getInt(again, INFO_XLATED_LEN));
        }
    }

    /** Cumulative run time and count; both stay 0 unless kernel.bpf_stats_enabled is on. */
    public RunStats runStats() {
        byte[] info = new byte[PROG_INFO_SIZE];
        BpfException.check(LibBpf.bpf_obj_get_info_by_fd(fd(), info, new int[] {info.length}), "reading stats of " + name);
        return new RunStats(LittleEndian.getLong(info, INFO_RUN_TIME_NS), LittleEndian.getLong(info, INFO_RUN_CNT));
    }

    /** Run statistics of a program. */
    public record RunStats(long runTimeNs, long runCount) {}

    /** Attaches to the device with this ifindex through a bpf_link. */
    public Link attachXdp(int ifindex, XdpMode mode) {
        try (NativeMemory opts = NativeMemory.allocate(16)) {
            opts.putLong(0, 16); // struct bpf_link_create_opts { size_t sz; __u32 flags; }
            opts.putInt(8, mode.flags);
            int fd = LibBpf.bpf_link_create(fd(), ifindex, AttachType.XDP.value, opts.address());
            if (fd < 0) {
                String hint = -fd == Errno.EBUSY || -fd == Errno.EEXIST
                        ? " (another XDP program is already attached to this device)" : "";
                throw new BpfException("attaching XDP program " + name + " to ifindex " + ifindex + " in "
                        + mode.name().toLowerCase() + " mode" + hint, -fd);
            }
            return object.closeWithObject(Link.ofFd("xdp " + name + " on ifindex " + ifindex, fd));
        }
    }

    /** Attaches to a device by name. */
    public Link attachXdp(String device, XdpMode mode) {
        int ifindex = LibC.if_nametoindex(device);
        if (ifindex == 0) {
            throw new BpfException("no network device named " + device, LibC.errno());
        }
        return attachXdp(ifindex, mode);
    }

    /** Attaches this sk_skb program to a sockmap or sockhash. */
    public Link attachSkSkb(BpfMap sockmap, SkSkbAttach where) {
        int progFd = fd();
        int mapFd = sockmap.fd();
        int ret = LibBpf.bpf_prog_attach(progFd, mapFd, where.type.value, 0);
        BpfException.check(ret, "attaching sk_skb program " + name + " to " + sockmap.name() + " as " + where);
        return object.closeWithObject(Link.ofProgAttach(
                "sk_skb " + name + " on " + sockmap.name(), progFd, mapFd, where.type));
    }

    /** Attaches this sockops program to the root of the cgroup-v2 hierarchy. */
    public Link attachSockOps() {
        Path root = Cgroups.v2Root().orElseThrow(() -> new BpfException("no cgroup2 file system is mounted (see /proc/mounts)"));
        return attachCgroup(root, AttachType.CGROUP_SOCK_OPS);
    }

    /** Attaches this cgroup_skb program to ingress of a cgroup-v2 directory. */
    public Link attachCgroupIngress(Path cgroup) {
        return attachCgroup(cgroup, AttachType.CGROUP_INET_INGRESS);
    }

    private Link attachCgroup(Path cgroup, AttachType type) {
        int cgFd = LibC.open(cgroup.toString(), O_RDONLY_DIRECTORY_CLOEXEC);
        if (cgFd < 0) {
            throw new BpfException("opening cgroup " + cgroup, LibC.errno());
        }
        try {
            int fd = LibBpf.bpf_link_create(fd(), cgFd, type.value, 0);
            BpfException.check(fd, "attaching " + name + " to cgroup " + cgroup);
            return object.closeWithObject(Link.ofFd(type.name().toLowerCase() + " " + name + " on " + cgroup, fd));
        } finally {
            LibC.close(cgFd);
        }
    }

    /** A reusable BPF_PROG_TEST_RUN of this program. */
    public TestRun testRun() {
        return new TestRun(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
