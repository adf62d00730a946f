package dev.ffkx.runtime.analysis;

import static dev.ffkx.runtime.analysis.BpfInsn.*;

import dev.ffkx.runtime.Program;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts heap accesses, guards and elided accesses of one BPF program by a forward dataflow
 * analysis over its instructions; the counting rules are in the package documentation.
 *
 * <p>The analysis is intraprocedural: every subprogram and callback starts from a fresh frame
 * with unknown arguments, and a call leaves r0-r5 unknown in the caller (and forgets the frame's
 * spills if it was handed a pointer into the frame). It runs to a fixed point
 * with a worklist over instruction slots, so loops (including may_goto loops) are covered.
 */
public final class GuardAnalysis {
    private static final int FRAME_POINTER = 10;
    private static final int REGS = 11;
    private static final int STACK_BYTES = 512;
    private static final int STACK_SLOTS = STACK_BYTES / 8;
    /** Registers and stack slots: the places a merged value is named after. */
    private static final int LOCATIONS = REGS + STACK_SLOTS;
    /** imm of a pseudo call that libbpf has not relocated yet: it points at the call itself. */
    private static final int UNRELOCATED_CALL = -1;

    /** No subprogram or callback. */
    private static final int NO_ENTRY = -1;

    private final BpfInsn[] bySlot;
    /** Edges into each slot, entries included; where there are several, paths meet. */
    private final int[] edgesIn;
    private final State[] in;
    private final Deque<Integer> worklist = new ArrayDeque<>();
    private final boolean[] queued;

    private GuardAnalysis(List<BpfInsn> insns, int slots) {
        bySlot = new BpfInsn[slots];
        edgesIn = new int[slots];
        for (BpfInsn insn : insns) {
            bySlot[insn.slot()] = insn;
            for (int next : successors(insn)) {
                countEdgeInto(next);
            }
            countEdgeInto(entryTarget(insn));
        }
        countEdgeInto(0);
        in = new State[slots];
        queued = new boolean[slots];
    }

    private void countEdgeInto(int slot) {
        if (slot >= 0 && slot < edgesIn.length) {
            edgesIn[slot]++;
        }
    }

    /** Analyzes a program's instructions as libbpf holds them. */
    public static GuardStats analyze(Program program) {
        return analyze(program.name(), program.instructions());
    }

    /** Analyzes little-endian instructions; {@code name} only labels the result and errors. */
    public static GuardStats analyze(String name, byte[] code) {
        try {
            GuardAnalysis analysis = new GuardAnalysis(BpfInsn.decode(code), code.length / SLOT_BYTES);
            if (code.length > 0) {
                analysis.flow(0, State.entry());
                analysis.run();
            }
            return analysis.count(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("analyzing guards of program " + name + ": " + e.getMessage(), e);
        }
    }

    private void run() {
        while (!worklist.isEmpty()) {
            int slot = worklist.poll();
            queued[slot] = false;
            BpfInsn insn = bySlot[slot];
            State out = in[slot].copy();
            transfer(insn, out);
            for (int next : successors(insn)) {
                flow(next, out);
            }
            int entry = entryTarget(insn);
            if (entry != NO_ENTRY) {
                flow(entry, State.entry());
            }
        }
    }

    /** Sums over reachable instructions, judged by the fixed-point state before each. */
    private GuardStats count(String name) {
        int accesses = 0;
        int guards = 0;
        int paying = 0;
        for (int slot = 0; slot < in.length; slot++) {
            if (in[slot] == null) {
                continue;
            }
            BpfInsn insn = bySlot[slot];
            guards += insn.isGuard() ? 1 : 0;
            int origin = heapOrigin(insn, in[slot]);
            if (origin != Value.NONE) {
                accesses++;
                paying += in[slot].used.contains(origin) ? 0 : 1;
            }
        }
        return new GuardStats(name, accesses, guards, accesses - paying);
    }

    private void flow(int slot, State incoming) {
        if (slot < 0 || slot >= bySlot.length || bySlot[slot] == null) {
            throw new IllegalArgumentException("control reaches slot " + slot + ", which starts no instruction");
        }
        State old = in[slot];
        // Where only one edge comes in, the state simply follows it: joining with the old state
        // there would name a merge where no paths meet.
        State merged = old == null || edgesIn[slot] == 1 ? incoming : old.join(incoming, slot);
        if (merged.equals(old)) {
            return;
        }
        in[slot] = merged;
        if (!queued[slot]) {
            queued[slot] = true;
            worklist.add(slot);
        }
    }

    /** Where control goes next within the same function. */
    private static int[] successors(BpfInsn insn) {
        int next = insn.slot() + insn.slots();
        int cls = insn.cls();
        if (cls != JMP && cls != JMP32) {
            return new int[] {next};
        }
        int op = insn.op();
        if (op == EXIT) {
            return new int[0];
        }
        if (op == CALL) {
            return new int[] {next};
        }
        if (op == JA) {
            // JMP32|JA is gotol: its offset does not fit off, so it lives in imm
            return new int[] {next + (cls == JMP32 ? (int) insn.imm() : insn.off())};
        }
        return new int[] {next, next + insn.off()};
    }

    /** The subprogram or callback an instruction makes reachable, or {@link #NO_ENTRY}. */
    private static int entryTarget(BpfInsn insn) {
        boolean call = insn.opcode() == (JMP | CALL) && insn.src() == PSEUDO_CALL && insn.imm() != UNRELOCATED_CALL;
        boolean callback = insn.opcode() == (LD | IMM | DW) && insn.src() == PSEUDO_FUNC;
        return call || callback ? insn.slot() + 1 + (int) insn.imm() : NO_ENTRY;
    }

    /**
     * The origin of the heap pointer an instruction accesses memory through, or {@link Value#NONE}
     * when it accesses no memory or not through a heap pointer.
     */
    private static int heapOrigin(BpfInsn insn, State s) {
        int cls = insn.cls();
        int mode = insn.mode();
        int base;
        if (cls == LDX && (mode == MEM || mode == MEMSX)) {
            base = insn.src();
        } else if ((cls == ST || cls == STX) && mode == MEM) {
            base = insn.dst();
        } else if (cls == STX && mode == ATOMIC) {
            base = insn.imm() == LOAD_ACQ ? insn.src() : insn.dst();
        } else {
            return Value.NONE;
        }
        Value v = s.regs[base];
        return v.kind == Kind.HEAP ? v.n : Value.NONE;
    }

    private static void transfer(BpfInsn insn, State s) {
        int origin = heapOrigin(insn, s);
        if (origin != Value.NONE) {
            s.used.add(origin);
        }
        switch (insn.cls()) {
            case LD -> load(insn, s);
            case LDX -> loadFromMemory(insn, s);
            case ST -> storeImmediate(insn, s);
            case STX -> storeRegister(insn, s);
            case ALU -> {
                require(insn.op() <= END, insn);
                s.regs[insn.dst()] = Value.UNKNOWN; // 32-bit results are never whole pointers
            }
            case ALU64 -> alu64(insn, s);
            default -> jump(insn, s);
        }
    }

    private static void load(BpfInsn insn, State s) {
        int mode = insn.mode();
        if (mode == IMM && insn.size() == DW) {
            s.regs[insn.dst()] = Value.UNKNOWN;
        } else {
            // legacy packet loads: r0 gets the data, r1-r5 are scratch
            require(mode == ABS || mode == IND, insn);
            s.clobberCallerSaved();
        }
    }

    private static void loadFromMemory(BpfInsn insn, State s) {
        int mode = insn.mode();
        require(mode == MEM || mode == MEMSX, insn);
        Value base = s.regs[insn.src()];
        Value loaded = Value.UNKNOWN;
        if (base.kind == Kind.STACK && mode == MEM && insn.size() == DW) {
            loaded = s.fill(base.n + insn.off());
        }
        s.regs[insn.dst()] = loaded;
    }

    private static void storeImmediate(BpfInsn insn, State s) {
        require(insn.mode() == MEM, insn);
        s.spill(insn, Value.UNKNOWN);
    }

    private static void storeRegister(BpfInsn insn, State s) {
        int mode = insn.mode();
        if (mode == MEM) {
            s.spill(insn, s.regs[insn.src()]);
            return;
        }
        require(mode == ATOMIC, insn);
        int op = (int) insn.imm();
        if (op == LOAD_ACQ) {
            s.regs[insn.dst()] = Value.UNKNOWN;
        } else if (op == STORE_REL) {
            s.spill(insn, s.regs[insn.src()]);
        } else {
            s.spill(insn, Value.UNKNOWN);
            if (op == CMPXCHG) {
                s.regs[0] = Value.UNKNOWN;
            } else if ((op & FETCH) != 0) {
                s.regs[insn.src()] = Value.UNKNOWN;
            }
        }
    }

    private static void alu64(BpfInsn insn, State s) {
        int op = insn.op();
        require(op <= END, insn);
        Value dst = s.regs[insn.dst()];
        Value src = insn.source() == X ? s.regs[insn.src()] : Value.UNKNOWN;
        Value result = Value.UNKNOWN;
        if (insn.isGuard()) {
            result = Value.heap(insn.slot());
            s.used.remove(insn.slot()); // a fresh pointer: nothing has been paid for it yet
            if (insn.src() != FRAME_POINTER) {
                // The verifier types the source as an arena pointer too, and clang does
                // dereference it directly after the cast: count such accesses as covered.
                s.regs[insn.src()] = result;
            }
        } else if (op == MOV && insn.source() == X && insn.off() == 0) {
            result = src;
        } else if (op == ADD && insn.source() == K) {
            result = dst.offset(insn.imm());
        } else if (op == SUB && insn.source() == K) {
            result = dst.offset(-insn.imm());
        } else if (op == ADD) {
            result = dst.kind == Kind.UNKNOWN ? src.plusScalar() : src.kind == Kind.UNKNOWN ? dst.plusScalar() : Value.UNKNOWN;
        } else if (op == SUB && src.kind == Kind.UNKNOWN) {
            result = dst.plusScalar();
        }
        s.regs[insn.dst()] = result;
    }

    private static void jump(BpfInsn insn, State s) {
        int op = insn.op();
        require(op <= JCOND, insn);
        if (insn.cls() == JMP32) {
            require(op != CALL && op != EXIT && op != JCOND && (op != JA || insn.source() == K), insn);
            return;
        }
        require(op != JA || insn.source() == K, insn); // gotox: targets unknown without its jump table
        if (op == CALL) {
            require(insn.source() == K, insn);
            s.clobberCallerSaved();
        } else {
            require(op != JCOND || insn.src() == 0, insn); // may_goto is JCOND with src 0
        }
    }

    private static void require(boolean supported, BpfInsn insn) {
        if (!supported) {
            throw new IllegalArgumentException("unsupported instruction (" + insn + ")");
        }
    }

    private enum Kind {
        /** Anything not tracked: scalars, ctx and map pointers, arena pointers in user space. */
        UNKNOWN,
        /** The frame pointer plus constant {@code n}. */
        STACK,
        /** A heap pointer in kernel space from origin {@code n} (a guard's slot, or a merge). */
        HEAP
    }

    private record Value(Kind kind, int n) {
        static final int NONE = -1;
        static final Value UNKNOWN = new Value(Kind.UNKNOWN, 0);

        static Value heap(int origin) {
            return new Value(Kind.HEAP, origin);
        }

        Value offset(long delta) {
            return kind == Kind.STACK ? new Value(Kind.STACK, (int) (n + delta)) : plusScalar();
        }

        /** A heap pointer moved by any amount stays covered by its guard; nothing else survives. */
        Value plusScalar() {
            return kind == Kind.HEAP ? this : UNKNOWN;
        }
    }

    /** What is known before one instruction: registers, the 512-byte frame, paid-for origins. */
    private static final class State {
        final Value[] regs;
        final Value[] stack;
        /** Origins whose pointers have been accessed through on every path since they were made. */
        final Set<Integer> used;

        private State(Value[] regs, Value[] stack, Set<Integer> used) {
            this.regs = regs;
            this.stack = stack;
            this.used = used;
        }

        static State entry() {
            Value[] regs = new Value[REGS];
            Arrays.fill(regs, Value.UNKNOWN);
            regs[FRAME_POINTER] = new Value(Kind.STACK, 0);
            Value[] stack = new Value[STACK_SLOTS];
            Arrays.fill(stack, Value.UNKNOWN);
            return new State(regs, stack, new HashSet<>());
        }

        State copy() {
            return new State(regs.clone(), stack.clone(), new HashSet<>(used));
        }

        void clobberCallerSaved() {
            for (int r = 1; r <= 5; r++) {
                if (regs[r].kind == Kind.STACK) {
                    // the callee may write anywhere in the frame it was handed
                    Arrays.fill(stack, Value.UNKNOWN);
                }
            }
            Arrays.fill(regs, 0, 6, Value.UNKNOWN);
        }

        /** Records a store: a whole aligned 8-byte store keeps its value, any other store loses it. */
        void spill(BpfInsn insn, Value value) {
            Value base = regs[insn.dst()];
            if (base.kind != Kind.STACK) {
                return;
            }
            int at = base.n + insn.off();
            int width = insn.sizeBytes();
            if (width == 8 && at % 8 == 0 && slotOf(at) >= 0) {
                stack[slotOf(at)] = value;
                return;
            }
            for (int b = at; b < at + width; b++) {
                if (slotOf(b) >= 0) {
                    stack[slotOf(b)] = Value.UNKNOWN;
                }
            }
        }

        Value fill(int at) {
            return at % 8 == 0 && slotOf(at) >= 0 ? stack[slotOf(at)] : Value.UNKNOWN;
        }

        private static int slotOf(int frameOffset) {
            return frameOffset >= -STACK_BYTES && frameOffset < 0 ? Math.floorDiv(frameOffset + STACK_BYTES, 8) : -1;
        }

        /**
         * The state where this and {@code other} meet before {@code slot}. Heap pointers from
         * different origins merge into a new origin named after the place they meet, which
         * nothing has paid for yet.
         */
        State join(State other, int slot) {
            Set<Integer> both = new HashSet<>(used);
            both.retainAll(other.used);
            Value[] r = new Value[REGS];
            Value[] st = new Value[STACK_SLOTS];
            for (int loc = 0; loc < LOCATIONS; loc++) {
                Value a = loc < REGS ? regs[loc] : stack[loc - REGS];
                Value b = loc < REGS ? other.regs[loc] : other.stack[loc - REGS];
                Value m = a;
                if (!a.equals(b)) {
                    m = Value.UNKNOWN;
                    if (a.kind == Kind.HEAP && b.kind == Kind.HEAP) {
                        int merged = mergeOrigin(slot, loc);
                        m = Value.heap(merged);
                        both.remove(merged);
                    }
                }
                if (loc < REGS) {
                    r[loc] = m;
                } else {
                    st[loc - REGS] = m;
                }
            }
            return new State(r, st, both);
        }

        /** Merges count down from the top of int, far above any guard's slot, so they never collide. */
        private static int mergeOrigin(int slot, int loc) {
            return Integer.MAX_VALUE - (slot * LOCATIONS + loc);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(regs, s.regs) && Arrays.equals(stack, s.stack) && used.equals(s.used);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(regs) * 31 + Arrays.hashCode(stack);
        }
    }
}
