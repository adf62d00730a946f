/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framing of one Redis command at a position of a request buffer, into argv tokens.
 *
 * Two forms, as Redis tells them apart by the first byte: RESP2 multibulk (*N\r\n then N times
 * $len\r\nbytes\r\n) and inline (one line of space-separated words). The fast path takes only the
 * plain cases; everything Redis would answer with a protocol error, treat specially (quotes,
 * empty commands, tabs) or that exceeds RD_MAX_ARGS is left to the slow path (RD_SLOW), which
 * frames the whole protocol and gives the exact errors.
 */
#ifndef RD_RESP_H
#define RD_RESP_H

#include "rd_cmd.h"

/*
 * The decimal at [pos, end) up to '\r' (1..9 digits, no sign), with the "\r\n" after it. Returns
 * the position after "\n", 0 when the line is not complete yet, or RD_SLOW.
 */
static __always_inline int rd_resp_len(const struct ffkx_text *in, __u32 pos, __u32 end, __u32 *out)
{
	__u32 i, v = 0;

	for (i = ffkx_loop_from(0); i < 10; i++) {
		__u32 at = ffkx_text_pos(pos + i);
		__u8 c;

		if (at >= end)
			return 0;
		c = ffkx_text_at(in, at);
		if (c == '\r') {
			if (i == 0)
				return RD_SLOW;
			if (at + 1 >= end)
				return 0;
			if (ffkx_text_at(in, at + 1) != '\n')
				return RD_SLOW;
			*out = v;
			return at + 2;
		}
		if (c < '0' || c > '9' || i == 9)
			return RD_SLOW;
		v = v * 10 + (c - '0');
		cond_break;
	}
	return RD_SLOW;
}

/* *N\r\n($len\r\nbytes\r\n){N}: bytes consumed, 0 when incomplete, or RD_SLOW. */
static __always_inline int rd_resp_multibulk(const struct ffkx_text *in, __u32 pos, __u32 end, struct rd_argv *argv)
{
	__u32 n = 0, i, len = 0;
	int at = rd_resp_len(in, pos + 1, end, &n);

	if (at <= 0)
		return at;
	if (n == 0 || n > RD_MAX_ARGS)
		return RD_SLOW; /* Redis ignores *0, and larger counts may not fit argv */
	for (i = ffkx_loop_from(0); i < n && i < RD_MAX_ARGS; i++) {
		__u32 p = ffkx_text_pos(at);

		if (p >= end)
			return 0;
		if (ffkx_text_at(in, p) != '$')
			return RD_SLOW;
		at = rd_resp_len(in, p + 1, end, &len);
		if (at <= 0)
			return at;
		if (len > FFKX_TEXT_BUF)
			return RD_SLOW;
		p = ffkx_text_pos(at);
		if (p + len + 2 > end)
			return p + len + 2 > FFKX_TEXT_BUF ? RD_SLOW : 0;
		if (ffkx_text_at(in, p + len) != '\r' || ffkx_text_at(in, p + len + 1) != '\n')
			return RD_SLOW;
		argv->arg[i & (RD_MAX_ARGS - 1)].off = p;
		argv->arg[i & (RD_MAX_ARGS - 1)].len = len;
		at = p + len + 2;
		cond_break;
	}
	if (i < n)
		return RD_SLOW;
	argv->argc = n;
	return at - pos;
}

/*
 * An inline command: one line, words separated by single or repeated spaces. Anything Redis'
 * sdssplitargs treats specially (quotes, other white space, control bytes) and empty lines go up.
 */
static __always_inline int rd_resp_inline(const struct ffkx_text *in, __u32 pos, __u32 end, struct rd_argv *argv)
{
	int eol = ffkx_text_find_eol(in, pos, end);
	__u32 stop, i;
	int n;

	if (eol == -ENOENT)
		return end - pos >= FFKX_TEXT_BUF ? RD_SLOW : 0;
	if (eol < 0)
		return RD_SLOW;
	stop = eol > pos && ffkx_text_at(in, eol - 1) == '\r' ? eol - 1 : eol;
	for (i = ffkx_loop_from(pos); i < stop; i++) {
		__u8 c;

		i = ffkx_text_pos(i);
		if (i >= stop)
			break;
		c = ffkx_text_at(in, i);
		if (c < ' ' || c >= 0x7f || c == '"' || c == '\'')
			return RD_SLOW;
		cond_break;
	}
	if (i < stop)
		return RD_SLOW;
	n = ffkx_text_tokenize(in, pos, stop, argv->arg, RD_MAX_ARGS);
	if (n <= 0)
		return RD_SLOW;
	argv->argc = n;
	return eol + 1 - pos;
}

/*
 * One command at pos: bytes consumed (argv filled), 0 when incomplete, or RD_SLOW. Global: the
 * fast path calls it in loops, which would otherwise carry every state of the parser along.
 */
__noinline int rd_resp_parse(const struct ffkx_text *in, __u32 pos, __u32 end, struct rd_argv *argv)
{
	if (!in || !argv || pos >= end || end > FFKX_TEXT_BUF)
		return 0;
	if (ffkx_text_at(in, pos) == '*')
		return rd_resp_multibulk(in, pos, end, argv);
	return rd_resp_inline(in, pos, end, argv);
}

#endif /* RD_RESP_H */
