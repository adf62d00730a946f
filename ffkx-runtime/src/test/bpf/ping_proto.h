/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The demonstrator protocol of sk_stream.h: Redis PING, as a multibulk (*1\r\n$4\r\nPING\r\n) or
 * inline (PING\r\n) command, answered +PONG\r\n. Anything else is left to the slow path, which is
 * how the tests interleave fast and slow commands on one connection.
 */
#ifndef PING_PROTO_H
#define PING_PROTO_H

#include <ffkx/text.h>

#define PING_MULTIBULK "*1\r\n$4\r\nPING\r\n"
#define PING_REPLY     "+PONG\r\n"

/* ASCII upper case: Redis command names are case-insensitive. */
static __always_inline __u8 ping_upper(__u8 c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/*
 * Compares [pos, end) with the command w byte by byte (command letters case-insensitively).
 * Returns 1 on a whole match, 0 when what is there is a prefix of w, -EINVAL on a mismatch.
 */
static __always_inline int ping_match(const struct ffkx_text *in, __u32 pos, __u32 end, const char *w, __u32 wlen)
{
	__u32 i;

	for (i = 0; i < wlen; i++) {
		if (pos + i >= end)
			return 0;
		if (ping_upper(ffkx_text_at(in, pos + i)) != (__u8)w[i])
			return -EINVAL;
	}
	return 1;
}

/* sk_stream.h's exec: answers one PING at pos. */
static __always_inline int ping_exec(const struct ffkx_text *in, __u32 pos, __u32 end, struct ffkx_text *out,
				     __u32 *out_pos)
{
	const char *w = ffkx_text_at(in, pos) == '*' ? PING_MULTIBULK : "PING\r\n";
	__u32 wlen = ffkx_text_at(in, pos) == '*' ? sizeof(PING_MULTIBULK) - 1 : 6;
	int m = ping_match(in, pos, end, w, wlen);

	if (m <= 0)
		return m;
	if (FFKX_TEXT_PUT_LIT(out, out_pos, PING_REPLY))
		return -ENOSPC;
	return wlen;
}

#endif /* PING_PROTO_H */
