/* The PING demonstrator of sk_stream.h, and a syscall program that runs its parser for tests. */
#include <ffkx/sk_stream.h>
#include "ping_proto.h"

FFKX_STREAM_VERDICT(stream_ping_verdict, ping_exec)

/* Input for ping_run: len bytes of requests. Output: the replies and how much was answered. */
struct ping_run_io {
	__u32 len;
	__s32 consumed; /* bytes of whole commands answered, or < 0 if the first one was refused */
	__u32 out_len;
	__u32 pad;
	struct ffkx_text in;
	struct ffkx_text out;
};

struct ping_run_io ping_io;

/* Runs ping_exec over ping_io.in as the verdict would, so the parser is tested without sockets. */
SEC("syscall")
int ping_run(void *ctx)
{
	__u32 pos = 0, out = 0, len = ping_io.len;
	int n = 0;

	if (len > FFKX_TEXT_BUF)
		return -E2BIG;
	while (pos < len && can_loop) {
		n = ping_exec(&ping_io.in, pos, len, &ping_io.out, &out);
		if (n <= 0)
			break;
		pos = ffkx_text_pos(pos + n);
	}
	ping_io.consumed = pos == 0 && n < 0 ? n : (int)pos;
	ping_io.out_len = out;
	return 0;
}

FFKX_LICENSE;
