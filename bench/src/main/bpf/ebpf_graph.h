/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plain-eBPF way to build linked structures without an arena: objects from bpf_obj_new,
 * kept in a bpf_list_head or bpf_rb_root that a bpf_spin_lock guards. These are the kfuncs of
 * the kernel's bpf_experimental.h, which libbpf 1.1 does not ship.
 */
#ifndef FFKX_BENCH_EBPF_GRAPH_H
#define FFKX_BENCH_EBPF_GRAPH_H

#include <ffkx/common.h>
#include <bpf/bpf_core_read.h>

void *bpf_obj_new_impl(__u64 local_type_id__k, void *meta__ign) __ksym;
void bpf_obj_drop_impl(void *kptr, void *meta__ign) __ksym;
int bpf_list_push_front_impl(struct bpf_list_head *head, struct bpf_list_node *node,
			     void *meta__ign, __u64 off) __ksym;
int bpf_list_push_back_impl(struct bpf_list_head *head, struct bpf_list_node *node,
			    void *meta__ign, __u64 off) __ksym;
struct bpf_list_node *bpf_list_pop_front(struct bpf_list_head *head) __ksym;
int bpf_rbtree_add_impl(struct bpf_rb_root *root, struct bpf_rb_node *node,
			bool (less)(struct bpf_rb_node *a, const struct bpf_rb_node *b),
			void *meta__ign, __u64 off) __ksym;
struct bpf_rb_node *bpf_rbtree_remove(struct bpf_rb_root *root, struct bpf_rb_node *node) __ksym;
/* Walking a tree from its root (Linux 6.16+): what makes a keyed lookup possible at all. */
struct bpf_rb_node *bpf_rbtree_root(struct bpf_rb_root *root) __ksym;
struct bpf_rb_node *bpf_rbtree_left(struct bpf_rb_root *root, struct bpf_rb_node *node) __ksym;
struct bpf_rb_node *bpf_rbtree_right(struct bpf_rb_root *root, struct bpf_rb_node *node) __ksym;

#define bpf_obj_new(type) ((type *)bpf_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define bpf_obj_drop(obj) bpf_obj_drop_impl(obj, NULL)
#define bpf_list_push_front(head, node) bpf_list_push_front_impl(head, node, NULL, 0)
#define bpf_list_push_back(head, node) bpf_list_push_back_impl(head, node, NULL, 0)
#define bpf_rbtree_add(root, node, less) bpf_rbtree_add_impl(root, node, less, NULL, 0)

/* A lock and the collection it guards must share a global data section of their own. */
#define private(name) SEC(".data." #name) __hidden __attribute__((aligned(8)))
#define __contains(type, member) __attribute__((btf_decl_tag("contains:" #type ":" #member)))

#endif /* FFKX_BENCH_EBPF_GRAPH_H */
