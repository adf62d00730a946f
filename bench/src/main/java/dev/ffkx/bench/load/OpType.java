package dev.ffkx.bench.load;

/** The kinds of request, each with its own row in the totals. */
enum OpType {
    SET, GET, COMMAND
}
