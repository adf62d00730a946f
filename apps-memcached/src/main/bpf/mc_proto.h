/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcached text protocol, as far as the kernel fast path speaks it.
 *
 * mc_parse() accepts only requests whose meaning is beyond doubt: a known storage, retrieval,
 * delete, arithmetic or touch command with well-formed numbers, an optional literal "noreply",
 * keys of at most 250 bytes and, for storage commands, the whole data block followed by "\r\n".
 * Anything else (unknown commands, malformed lines, signs or overflow in numbers, bad data
 * chunks, a line cut short) is MC_SLOW: the Java slow path answers it exactly as memcached 1.6
 * does, from the same heap.
 */
#ifndef MC_PROTO_H
#define MC_PROTO_H

#include <ffkx/text.h>

#define MC_KEY_MAX     250
#define MC_MAX_TOKENS  23 /* memcached tokenizes at most 24, counting its terminator */
#define MC_MAX_KEYS    (MC_MAX_TOKENS - 1)
#define MC_TOKEN_SLOTS 32 /* room for MC_MAX_TOKENS, a power of two so an index can be masked */

#define MC_SLOW        1  /* not for the fast path: hand the request to user space */

enum mc_op {
	MC_GET = 1,
	MC_GETS,
	MC_SET,
	MC_ADD,
	MC_REPLACE,
	MC_APPEND,
	MC_PREPEND,
	MC_CAS,
	MC_DELETE,
	MC_INCR,
	MC_DECR,
	MC_TOUCH,
	MC_GAT,
	MC_GATS,
	MC_REWRITE, /* slow path only: replace a value, keeping flags and exptime, if unchanged since read */
};

struct mc_cmd {
	__u8 op;
	__u8 noreply;
	__u8 nkeys;
	__u8 pad;
	__u32 flags;
	__s64 exptime;   /* as sent: 0, relative seconds, absolute unix time, or negative */
	__u64 arg;       /* cas unique (cas) or delta (incr, decr) */
	__u32 vlen;      /* data block length, without its "\r\n" */
	__u32 data_off;  /* offset of the data block in the request buffer */
	__u32 end;       /* offset just past the request (line and data block) */
	__u32 pad2;
	struct ffkx_tok keys[MC_MAX_KEYS];
};

static __always_inline bool mc_is_noreply(const struct ffkx_text *t, struct ffkx_tok tok)
{
	return FFKX_TOK_IS(t, tok, "noreply");
}

/* exptime and touch's argument: a decimal that fits memcached's int32. */
static __always_inline int mc_tok_exptime(const struct ffkx_text *t, struct ffkx_tok tok, __s64 *out)
{
	__s64 v;

	if (ffkx_tok_s64(t, tok, &v) || v > 0x7fffffffLL || v < -0x80000000LL)
		return MC_SLOW;
	*out = v;
	return 0;
}

/* Matches the command word; 0 when it is not one the fast path serves. */
static __always_inline int mc_match_op(const struct ffkx_text *t, struct ffkx_tok w)
{
	switch (w.len) {
	case 3:
		if (FFKX_TOK_IS(t, w, "get")) return MC_GET;
		if (FFKX_TOK_IS(t, w, "set")) return MC_SET;
		if (FFKX_TOK_IS(t, w, "add")) return MC_ADD;
		if (FFKX_TOK_IS(t, w, "cas")) return MC_CAS;
		if (FFKX_TOK_IS(t, w, "gat")) return MC_GAT;
		return 0;
	case 4:
		if (FFKX_TOK_IS(t, w, "gets")) return MC_GETS;
		if (FFKX_TOK_IS(t, w, "gats")) return MC_GATS;
		if (FFKX_TOK_IS(t, w, "incr")) return MC_INCR;
		if (FFKX_TOK_IS(t, w, "decr")) return MC_DECR;
		return 0;
	case 5:
		return FFKX_TOK_IS(t, w, "touch") ? MC_TOUCH : 0;
	case 6:
		if (FFKX_TOK_IS(t, w, "append")) return MC_APPEND;
		if (FFKX_TOK_IS(t, w, "delete")) return MC_DELETE;
		return 0;
	case 7:
		if (FFKX_TOK_IS(t, w, "replace")) return MC_REPLACE;
		if (FFKX_TOK_IS(t, w, "prepend")) return MC_PREPEND;
		return 0;
	}
	return 0;
}

/* Storage commands: KEY FLAGS EXPTIME BYTES [CAS] [noreply], then the data block. */
static __always_inline int mc_parse_storage(const struct ffkx_text *t, struct ffkx_tok *tok, int ntok,
					    __u32 data_off, __u32 len, struct mc_cmd *cmd)
{
	int fixed = cmd->op == MC_CAS ? 6 : 5;
	__u64 flags, vlen;

	if (ntok == fixed + 1) {
		if (!mc_is_noreply(t, tok[fixed]))
			return MC_SLOW;
		cmd->noreply = 1;
	} else if (ntok != fixed) {
		return MC_SLOW;
	}
	if (ffkx_tok_u64(t, tok[2], &flags) || flags > 0xffffffffULL)
		return MC_SLOW;
	if (mc_tok_exptime(t, tok[3], &cmd->exptime))
		return MC_SLOW;
	if (ffkx_tok_u64(t, tok[4], &vlen) || vlen > FFKX_TEXT_BUF)
		return MC_SLOW;
	if (cmd->op == MC_CAS && ffkx_tok_u64(t, tok[5], &cmd->arg))
		return MC_SLOW;
	if (data_off + vlen + 2 > len)
		return MC_SLOW; /* the data block is not all here */
	if (ffkx_text_at(t, data_off + vlen) != '\r' || ffkx_text_at(t, data_off + vlen + 1) != '\n')
		return MC_SLOW; /* "bad data chunk": the slow path says so and resynchronises */
	cmd->flags = flags;
	cmd->vlen = vlen;
	cmd->data_off = data_off;
	cmd->end = data_off + vlen + 2;
	return 0;
}

/*
 * The commonest request, a get or gets of one key, parsed eight bytes at a time: the word after
 * the command is scanned for the first space or '\n' with the zero-byte test on the word XORed
 * with each. Gives what mc_parse() gives for it, or MC_SLOW for mc_parse() to take the request.
 * Words are read only where a whole one fits the buffer.
 */
static __always_inline int mc_parse_get1(const struct ffkx_text *t, __u32 from, __u32 len, struct mc_cmd *cmd)
{
	const __u64 ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	__u64 w, sp, nl, hit;
	__u32 i, key, eol, n;
	__u8 op;

	if (len > FFKX_TEXT_BUF || from > FFKX_TEXT_BUF - 8 || len < from + 8)
		return MC_SLOW;
	w = *(const __u64 *)&t->b[from & FFKX_TEXT_MASK];
	if ((w & 0xffffffffULL) == 0x20746567ULL) { /* "get " */
		op = MC_GET;
		key = from + 4;
	} else if ((w & 0xffffffffffULL) == 0x2073746567ULL) { /* "gets " */
		op = MC_GETS;
		key = from + 5;
	} else {
		return MC_SLOW;
	}
	for (i = ffkx_loop_from(key); i < len; i += 8) {
		i = ffkx_text_pos(i);
		if (i >= len || i > FFKX_TEXT_BUF - 8)
			return MC_SLOW;
		w = *(const __u64 *)&t->b[i & FFKX_TEXT_MASK];
		sp = w ^ (' ' * ones);
		nl = w ^ ('\n' * ones);
		/* exact for the lowest match: a borrow only reaches bytes above a zero byte */
		hit = ((sp - ones) & ~sp) | ((nl - ones) & ~nl);
		hit &= highs & (len - i >= 8 ? ~0ULL : (1ULL << ((len - i) * 8)) - 1);
		if (hit) {
			/* the lowest set bit is 8k + 7 for byte k; the multiply moves k to the top byte */
			eol = i + (__u32)((((hit & -hit) >> 7) * 0x0001020304050607ULL) >> 56);
			goto found;
		}
		cond_break;
	}
	return MC_SLOW;
found:
	if (ffkx_text_at(t, eol) != '\n')
		return MC_SLOW; /* a space: another key, or a token mc_parse() judges */
	n = eol - key;
	if (n > 0 && ffkx_text_at(t, eol - 1) == '\r')
		n--;
	if (n == 0 || n > MC_KEY_MAX)
		return MC_SLOW;
	cmd->op = op;
	cmd->noreply = 0;
	cmd->nkeys = 1;
	cmd->keys[0].off = key;
	cmd->keys[0].len = n;
	cmd->end = eol + 1;
	return 0;
}

/*
 * Parses the request starting at from in [0, len) of t. Returns 0 with *cmd filled in, or MC_SLOW.
 */
static __always_inline int mc_parse(const struct ffkx_text *t, __u32 from, __u32 len, struct mc_cmd *cmd)
{
	struct ffkx_tok tok[MC_TOKEN_SLOTS];
	int eol, line_end, ntok, i, first;
	bool multi;

	if (!mc_parse_get1(t, from, len, cmd))
		return 0;
	eol = ffkx_text_find_eol(t, from, len);
	if (eol < 0)
		return MC_SLOW;
	line_end = eol;
	if (line_end > (int)from && ffkx_text_at(t, line_end - 1) == '\r')
		line_end--;
	ntok = ffkx_text_tokenize(t, from, line_end, tok, MC_MAX_TOKENS);
	if (ntok < 2)
		return MC_SLOW;
	cmd->op = mc_match_op(t, tok[0]);
	if (!cmd->op)
		return MC_SLOW;
	cmd->noreply = 0;
	cmd->end = eol + 1;
	/* gat and gats put their exptime before the keys */
	first = cmd->op == MC_GAT || cmd->op == MC_GATS ? 2 : 1;
	multi = cmd->op == MC_GET || cmd->op == MC_GETS || first == 2;
	if (ntok <= first)
		return MC_SLOW;
	for (i = first; i < ntok && i < MC_MAX_TOKENS; i++) {
		/*
		 * Copied through an index clang cannot see: it would otherwise address .len as
		 * (tok + 4i) | 2, and the verifier refuses bitwise operations on pointers.
		 */
		struct ffkx_tok key = tok[ffkx_opaque(i) & (MC_TOKEN_SLOTS - 1)];

		/* delete, incr, decr and touch carry no key-like tokens past the first */
		if (i > first && !multi)
			break;
		if (key.len > MC_KEY_MAX || i - first >= MC_MAX_KEYS)
			return MC_SLOW;
		cmd->keys[i - first] = key;
	}
	cmd->nkeys = multi ? ntok - first : 1;

	switch (cmd->op) {
	case MC_GET:
	case MC_GETS:
		return 0;
	case MC_GAT:
	case MC_GATS:
		return mc_tok_exptime(t, tok[1], &cmd->exptime);
	case MC_DELETE:
		if (ntok == 3 && mc_is_noreply(t, tok[2]))
			cmd->noreply = 1;
		else if (ntok != 2)
			return MC_SLOW;
		return 0;
	case MC_INCR:
	case MC_DECR:
	case MC_TOUCH:
		if (ntok == 4 && mc_is_noreply(t, tok[3]))
			cmd->noreply = 1;
		else if (ntok != 3)
			return MC_SLOW;
		if (cmd->op == MC_TOUCH)
			return mc_tok_exptime(t, tok[2], &cmd->exptime);
		return ffkx_tok_u64(t, tok[2], &cmd->arg) ? MC_SLOW : 0;
	default:
		return mc_parse_storage(t, tok, ntok, eol + 1, len, cmd);
	}
}

#endif /* MC_PROTO_H */
