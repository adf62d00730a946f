/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the Redis engine agrees on: a parsed command (argv as tokens of the request
 * buffer), how an executor reports that the slow path must answer, and the two modes the engine
 * runs in.
 *
 * The sk_skb fast path runs in RD_MODE_FAST and answers only what it can answer exactly as Redis
 * would from what it has; anything else returns RD_SLOW and the skb goes up to Java. Java's slow
 * path runs the same engine through a syscall program in RD_MODE_SYSCALL, where it may hand over
 * arguments it has already parsed (scores as IEEE-754 bits, see rd_zset.h) and receives scores
 * in the same form, so no double is parsed or printed in the kernel that the kernel cannot get
 * exactly right.
 */
#ifndef RD_CMD_H
#define RD_CMD_H

#include <ffkx/text.h>

/* Arguments of one command, including its name (arg[0]). MGET/ZADD beyond this go up. */
#define RD_MAX_ARGS 64

struct rd_argv {
	__u32 argc;
	struct ffkx_tok arg[RD_MAX_ARGS];
};

enum rd_mode {
	RD_MODE_FAST = 0,
	RD_MODE_SYSCALL = 1,
};

/* An executor's answer when the slow path must run this command: nothing was changed. */
#define RD_SLOW (-4096)

#endif /* RD_CMD_H */
