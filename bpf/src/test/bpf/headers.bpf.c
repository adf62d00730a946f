/* Every public header of the library, compiled together: a broken header fails the bpf module. */
#include <ffkx/common.h>
#include <ffkx/loop.h>
#include <ffkx/packet.h>
#include <ffkx/heap.h>
#include <ffkx/alloc.h>
#include <ffkx/lock.h>
#include <ffkx/hash.h>
#include <ffkx/list.h>
#include <ffkx/hashmap.h>

FFKX_LICENSE;
