/* may_goto probe: a loop with no static bound, accepted only through cond_break. */
#include <ffkx/loop.h>

SEC("syscall")
int probe_may_goto(__u64 *ctx)
{
	__u64 n = *ctx, i = 0;

	while (i < n) {
		i++;
		cond_break;
	}
	return i == n ? 0 : -ECANCELED;
}

FFKX_LICENSE;
