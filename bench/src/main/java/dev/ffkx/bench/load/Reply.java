package dev.ffkx.bench.load;

/** What one response said, filled in place by {@link Replies} so parsing allocates nothing. */
final class Reply {
    enum Kind {
        /** STORED or +OK. */
        STORED,
        /** A GET found a value: {@link #valueIndex} and {@link #valueLength} locate it. */
        HIT,
        /** A GET found nothing. */
        MISS,
        /** An error reply: ERROR, CLIENT_ERROR, SERVER_ERROR or -ERR. */
        ERROR,
        /** Anything else well formed (an integer, NOT_STORED, an array...). */
        OTHER
    }

    Kind kind;
    int valueIndex;
    int valueLength;
    /** The first line of an error reply, kept for the report. */
    String errorLine;
}
