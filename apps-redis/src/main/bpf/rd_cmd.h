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

/* argv->arg[i]; the index stays opaque to clang, which would otherwise walk a pointer past the mask. */
static __always_inline struct ffkx_tok rd_arg(const struct rd_argv *argv, __u32 i)
{
	return argv->arg[ffkx_opaque(i) & (RD_MAX_ARGS - 1)];
}

/* Case-insensitive match of a token against a word of ASCII letters (the commands' names and options). */
static __always_inline bool rd_tok_word(const struct ffkx_text *in, struct ffkx_tok tok, const char *w, __u32 wlen)
{
	__u32 i;

	if (tok.len != wlen)
		return false;
	for (i = 0; i < wlen; i++) {
		__u8 c = ffkx_text_at(in, tok.off + i);

		if ((c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c) != (__u8)w[i])
			return false;
	}
	return true;
}

/* w in upper case. */
#define RD_WORD(in, tok, w) rd_tok_word(in, tok, w, sizeof(w) - 1)

/* Digits of v in decimal (1..20). */
static __always_inline __u32 rd_digits(__u64 v)
{
	__u32 n = 1;

	for (; v >= 10 && n < 20; n++)
		v /= 10;
	return n;
}

#endif /* RD_CMD_H */
