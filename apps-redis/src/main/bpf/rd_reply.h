/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RESP2 replies appended to an ffkx_text, and the errors Redis 7.0 gives, byte for byte. Every
 * helper checks for room first and writes nothing when there is none (-ENOSPC).
 */
#ifndef RD_REPLY_H
#define RD_REPLY_H

#include "rd_store.h"

#define RD_OK        "+OK\r\n"
#define RD_NIL       "$-1\r\n"
#define RD_WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
#define RD_ERR_INT   "-ERR value is not an integer or out of range\r\n"
#define RD_ERR_OVER  "-ERR increment or decrement would overflow\r\n"
#define RD_ERR_SYNTAX "-ERR syntax error\r\n"
#define RD_ERR_OOM   "-OOM command not allowed when used memory > 'maxmemory'.\r\n"

#define RD_PUT(out, pos, lit) FFKX_TEXT_PUT_LIT(out, pos, lit)

/* A prefix byte, then v in decimal (with '-' if negative), then "\r\n": ":12\r\n", "*3\r\n". */
static __always_inline int rd_put_num(struct ffkx_text *out, __u32 *pos, __u8 prefix, __s64 v)
{
	__u64 mag = v < 0 ? -(__u64)v : (__u64)v;
	__u32 p = *pos, need = 1 + (v < 0) + rd_digits(mag) + 2;

	if (p + need > FFKX_TEXT_BUF)
		return -ENOSPC;
	out->b[p & FFKX_TEXT_MASK] = prefix;
	p++;
	if (v < 0)
		out->b[p++ & FFKX_TEXT_MASK] = '-';
	if (ffkx_text_put_u64(out, &p, mag) || FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	*pos = p;
	return 0;
}

/* A bulk string holding token tok of in. */
static __always_inline int rd_put_bulk_tok(struct ffkx_text *out, __u32 *pos, const struct ffkx_text *in,
					   struct ffkx_tok tok)
{
	__u32 p = *pos, i, n = tok.len;

	if (p + 1 + rd_digits(n) + 2 + n + 2 > FFKX_TEXT_BUF)
		return -ENOSPC;
	if (rd_put_num(out, &p, '$', n))
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i < n && i < FFKX_TEXT_BUF; i++) {
		out->b[(p + i) & FFKX_TEXT_MASK] = ffkx_text_at(in, tok.off + i);
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	p = ffkx_text_pos(p + n);
	if (FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	*pos = p;
	return 0;
}

/* Bytes a string entry's value takes as a bulk reply. */
static __always_inline __u32 rd_bulk_size(__u32 n)
{
	return 1 + rd_digits(n) + 2 + n + 2;
}

/* A bulk string holding a string entry's value; lock held, so nothing but plain copies. */
static __always_inline int rd_put_bulk_entry(struct ffkx_text *out, __u32 *pos, struct rd_entry __arena *e)
{
	__u32 p = *pos, i, n = e->nval, k = e->nkey;

	if (n > FFKX_TEXT_BUF || p + rd_bulk_size(n) > FFKX_TEXT_BUF)
		return -ENOSPC;
	if (rd_put_num(out, &p, '$', n))
		return -ENOSPC;
	for (i = ffkx_loop_from(0); i < n && i < FFKX_TEXT_BUF; i++) {
		out->b[(p + i) & FFKX_TEXT_MASK] = e->data[k + i];
		cond_break;
	}
	if (i < n)
		return -ECANCELED;
	p = ffkx_text_pos(p + n);
	if (FFKX_TEXT_PUT_LIT(out, &p, "\r\n"))
		return -ENOSPC;
	*pos = p;
	return 0;
}

/*
 * Redis' string2ll over a token: an optional '-', then no leading zero (except "0" itself), only
 * digits, within the range of a long long. 0 and *v set, or -EINVAL. Inline only where a lock is
 * held; elsewhere rd_tok_ll.
 */
static __always_inline int rd_ll_parse(const struct ffkx_text *in, struct ffkx_tok tok, __s64 *v)
{
	__u32 i, len = tok.len;
	bool neg;
	__u64 m = 0;

	if (len == 0 || len > 20)
		return -EINVAL;
	if (len == 1 && ffkx_text_at(in, tok.off) == '0') {
		*v = 0;
		return 0;
	}
	neg = ffkx_text_at(in, tok.off) == '-';
	if (neg && len == 1)
		return -EINVAL;
	if (ffkx_text_at(in, tok.off + neg) < '1' || ffkx_text_at(in, tok.off + neg) > '9')
		return -EINVAL;
	for (i = ffkx_loop_from(neg); i < len && i < 20; i++) {
		__u8 c = ffkx_text_at(in, tok.off + i);

		if (c < '0' || c > '9' || m > 0xffffffffffffffffULL / 10)
			return -EINVAL;
		m *= 10;
		if (m > 0xffffffffffffffffULL - (c - '0'))
			return -EINVAL;
		m += c - '0';
		cond_break;
	}
	if (i < len)
		return -EINVAL;
	if (neg ? m > (1ULL << 63) : m > (__u64)0x7fffffffffffffffULL)
		return -EINVAL;
	*v = neg ? (__s64)(0 - m) : (__s64)m;
	return 0;
}

/* rd_ll_parse as a global function: its twenty steps verified once, not once per caller state. */
__noinline int rd_ll_of(const struct ffkx_text *in, __u32 off, __u32 len, __s64 *v)
{
	struct ffkx_tok tok = { .off = off, .len = len };

	if (!in || !v)
		return -EINVAL;
	return rd_ll_parse(in, tok, v);
}

static __always_inline int rd_tok_ll(const struct ffkx_text *in, struct ffkx_tok tok, __s64 *v)
{
	return rd_ll_of(in, tok.off, tok.len, v);
}

#endif /* RD_REPLY_H */
