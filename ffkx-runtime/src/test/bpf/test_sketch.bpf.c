/*
 * Drives a count-min sketch and a count sketch from Java: batches of updates
 * and estimates, checked against a Java model of the same math.
 */
#include "test_batch.h"
#include <ffkx/sketch.h>

#define KEY_MAX 40

FFKX_SKETCH_DEFINE(tsk, KEY_MAX)

enum { SK_CMS_UPDATE = 1, SK_CMS_ESTIMATE, SK_CS_UPDATE, SK_CS_ESTIMATE };

struct sketch_op {
	__u32 op;
	__u32 key_size;
	__s64 arg;    /* count or delta */
	__s64 result; /* 0 or -errno */
	__s64 out;    /* estimate */
	__u64 key[KEY_MAX / 8];
};

struct sketch_setup_args {
	__u32 depth;
	__u32 width;
	__u64 seed;
	__u64 cms; /* out: heap addresses of the sketches */
	__u64 cs;
};

#define ROOT_CMS 0
#define ROOT_CS  1

static __always_inline int sketch_new(__u32 depth, __u32 width, __u64 seed, __u32 root, __u64 *addr)
{
	struct ffkx_sketch __arena *s = ffkx_malloc(ffkx_sketch_size(depth, width));

	if (!s)
		return -ENOMEM;
	*addr = (__u64)s;
	*ffkx_heap_root(root) = (__u64)s;
	return ffkx_sketch_init(s, depth, width, seed);
}

/* Creates both sketches and publishes them in heap roots. */
SEC("syscall")
int sketch_setup(struct sketch_setup_args *args)
{
	__u64 cms = 0, cs = 0;
	int err;

	err = sketch_new(args->depth, args->width, args->seed, ROOT_CMS, &cms);
	if (!err)
		err = sketch_new(args->depth, args->width, args->seed, ROOT_CS, &cs);
	args->cms = cms;
	args->cs = cs;
	return err;
}

/* A subprogram, not inlined, so that the batch loop converges (see test_structs.bpf.c). */
static __noinline long run_op(struct sketch_op __arena *op, struct ffkx_sketch __arena *cms,
			      struct ffkx_sketch __arena *cs)
{
	__u64 key[KEY_MAX / 8], u = 0;
	__u32 len = op->key_size, i;
	__s64 s = 0;
	int err;

	/* Keys come from kernel memory, as from a packet: copy the record's key out of the heap. */
	for (i = 0; i < KEY_MAX / 8; i++)
		key[i] = ((ffkx_heap_word *)op->key)[i];
	switch (op->op) {
	case SK_CMS_UPDATE:
		return tsk_cms_update(cms, key, len, op->arg);
	case SK_CMS_ESTIMATE:
		err = tsk_cms_estimate(cms, key, len, &u);
		op->out = u;
		return err;
	case SK_CS_UPDATE:
		return tsk_cs_update(cs, key, len, op->arg);
	case SK_CS_ESTIMATE:
		err = tsk_cs_estimate(cs, key, len, &s);
		op->out = s;
		return err;
	}
	return -EINVAL;
}

SEC("syscall")
int sketch_batch(struct batch_args *args)
{
	struct ffkx_sketch __arena *cms = (struct ffkx_sketch __arena *)*ffkx_heap_root(ROOT_CMS);
	struct ffkx_sketch __arena *cs = (struct ffkx_sketch __arena *)*ffkx_heap_root(ROOT_CS);

	return TEST_BATCH_RUN(args, struct sketch_op, run_op(op, cms, cs));
}

/*
 * The count-min sketch from XDP: the first 16 bytes of the frame are a key,
 * counted once; its estimate goes over bytes 16..23. XDP_PASS, or
 * XDP_ABORTED for a short frame or an error.
 */
SEC("xdp")
int xdp_cms_count(struct xdp_md *ctx)
{
	__u64 *p = (void *)(long)ctx->data, key[KEY_MAX / 8] = {}, est;
	struct ffkx_sketch __arena *cms = (struct ffkx_sketch __arena *)*ffkx_heap_root(ROOT_CMS);

	if ((void *)(p + 3) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	key[0] = p[0];
	key[1] = p[1];
	if (tsk_cms_update(cms, key, 16, 1) || tsk_cms_estimate(cms, key, 16, &est))
		return XDP_ABORTED;
	p[2] = est;
	return XDP_PASS;
}

FFKX_LICENSE;
