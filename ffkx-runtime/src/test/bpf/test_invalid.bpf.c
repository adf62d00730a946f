/* Deliberately wrong: reads a packet byte without a bounds check, which the verifier must refuse. */
#include <ffkx/common.h>

SEC("xdp")
int unchecked_read(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	return data[20] == 0x11 ? XDP_DROP : XDP_PASS;
}

FFKX_LICENSE;
