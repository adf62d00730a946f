package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibC;
import java.util.Map;

/** Symbolic names for errno values, for messages a person can act on. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOTSUPP = 524;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(E2BIG, "E2BIG"),
            Map.entry(EBADF, "EBADF"), Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EACCES, "EACCES"), Map.entry(EFAULT, "EFAULT"), Map.entry(EBUSY, "EBUSY"),
            Map.entry(EEXIST, "EEXIST"), Map.entry(ENODEV, "ENODEV"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENOSPC, "ENOSPC"), Map.entry(ERANGE, "ERANGE"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(ENOTSUPP, "ENOTSUPP"));

    private Errno() {}

    /** "Invalid argument (EINVAL)". */
    public static String describe(int errno) {
        int e = Math.abs(errno);
        String name = NAMES.getOrDefault(e, "errno " + e);
        String text = e == ENOTSUPP ? "Operation not supported by this kernel" : LibC.strerror(e);
        return text + " (" + name + ")";
    }
}
