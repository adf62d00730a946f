/**
 * The TCP fast path at sk_skb, user-space half: {@link dev.ffkx.runtime.stream.StreamOffloadServer}
 * owns the listening socket and answers, in request order, what the kernel half
 * ({@code bpf/include/ffkx/sk_stream.h}) passes up.
 *
 * <p>The kernel calls a socket's original data_ready after every verdict, whatever it decided, so
 * a reader polling for input is woken for every skb, even those the kernel answered by itself.
 * With {@link dev.ffkx.runtime.stream.ReadSignal#RING_BUFFER} the server never polls an offloaded
 * socket for input: the kernel announces what it hands up on a ring buffer, and the server polls
 * a socket only in the rare window between an announcement and the bytes reaching it, and for
 * hang-ups (EPOLLRDHUP), which no verdict triggers. When most skbs need user space anyway,
 * {@link dev.ffkx.runtime.stream.ReadSignal#SOCKET_EDGE} uses the socket's wakeup instead and
 * spares the ring buffer's.
 */
package dev.ffkx.runtime.stream;
