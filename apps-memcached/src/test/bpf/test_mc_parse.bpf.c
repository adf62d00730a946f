/* Runs mc_parse() on a request Java puts in a map, and hands the parsed command back. */
#include "mc_proto.h"

struct parse_io {
	__u32 len;
	__s32 ret;
	struct mc_cmd cmd;
	struct ffkx_text req;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct parse_io);
} parse_io SEC(".maps");

SEC("syscall")
int parse(void *ctx)
{
	__u32 key = 0;
	struct parse_io *io = bpf_map_lookup_elem(&parse_io, &key);

	if (!io)
		return -ENOENT;
	__builtin_memset(&io->cmd, 0, sizeof(io->cmd));
	io->ret = mc_parse(&io->req, 0, io->len, &io->cmd);
	return 0;
}

FFKX_LICENSE;
