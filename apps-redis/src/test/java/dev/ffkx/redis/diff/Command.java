package dev.ffkx.redis.diff;

import dev.ffkx.runtime.diff.Text;

/**
 * One request of a run, as the bytes sent, with what the harness knows of its answer.
 *
 * @param name the command's name in upper case, for reports and the reply tally ("(malformed)"
 *     for bytes that are not a command)
 * @param bytes the request: multibulk, inline, or malformed
 * @param replies how many replies Redis sends: 1, or 0 for an empty request ({@code *0}, a blank
 *     inline line)
 * @param closes whether Redis closes the connection after answering it (QUIT, a protocol error)
 * @param check how its reply is compared
 */
record Command(String name, byte[] bytes, int replies, boolean closes, Check check) {
    /** How a reply is compared; everything but {@link #EXACT} is documented in {@link ReplyComparator}. */
    enum Check { EXACT, TTL, PTTL, HELLO, INFO, COMMAND_TABLE, COMMAND_DOCS, COMMAND_COUNT }

    static Command of(String name, byte[] bytes) {
        return new Command(name, bytes, 1, false, Check.EXACT);
    }

    /** A multibulk request of these arguments, compared byte for byte. */
    static Command resp(String... args) {
        return of(args[0].toUpperCase(), Resp.command(args));
    }

    Command checked(Check how) {
        return new Command(name, bytes, replies, closes, how);
    }

    Command closing() {
        return new Command(name, bytes, replies, true, check);
    }

    @Override
    public String toString() {
        return Text.show(bytes);
    }
}
