package dev.ffkx.runtime.analysis;

import static dev.ffkx.runtime.analysis.BpfInsn.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tiny assembler so tests read like the BPF they analyze; jumps go to named labels. */
final class Asm {
    static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R10 = 10;

    private static final int CAST_TO_USER = 1 << 16;

    /** One slot; a jump's offset (in off, or in imm for gotol, calls, callbacks) comes from its label. */
    private record Slot(int opcode, int dst, int src, int off, int imm, String label) {}

    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    Asm label(String name) {
        labels.put(name, slots.size());
        return this;
    }

    Asm insn(int opcode, int dst, int src, int off, int imm) {
        return add(opcode, dst, src, off, imm, null);
    }

    /** dst = addr_space_cast(src, 0, 1): the guard. */
    Asm guard(int dst, int src) {
        return insn(ALU64 | MOV | X, dst, src, ADDR_SPACE_CAST, CAST_TO_KERNEL);
    }

    /** dst = addr_space_cast(src, 1, 0). */
    Asm castToUser(int dst, int src) {
        return insn(ALU64 | MOV | X, dst, src, ADDR_SPACE_CAST, CAST_TO_USER);
    }

    Asm mov(int dst, int src) {
        return insn(ALU64 | MOV | X, dst, src, 0, 0);
    }

    Asm movImm(int dst, int imm) {
        return insn(ALU64 | MOV | K, dst, 0, 0, imm);
    }

    Asm addImm(int dst, int imm) {
        return insn(ALU64 | ADD | K, dst, 0, 0, imm);
    }

    Asm add(int dst, int src) {
        return insn(ALU64 | ADD | X, dst, src, 0, 0);
    }

    /** dst = *(u64 *)(src + off) */
    Asm load(int dst, int src, int off) {
        return insn(LDX | MEM | DW, dst, src, off, 0);
    }

    /** *(u64 *)(dst + off) = src */
    Asm store(int dst, int off, int src) {
        return insn(STX | MEM | DW, dst, src, off, 0);
    }

    /** *(u32 *)(dst + off) = src */
    Asm store32(int dst, int off, int src) {
        return insn(STX | MEM | W, dst, src, off, 0);
    }

    /** *(u64 *)(dst + off) = imm */
    Asm storeImm(int dst, int off, int imm) {
        return insn(ST | MEM | DW, dst, 0, off, imm);
    }

    /** A 64-bit atomic on *(dst + off) with operand src; op as in imm (BPF_ADD, BPF_CMPXCHG...). */
    Asm atomic(int op, int dst, int off, int src) {
        return insn(STX | ATOMIC | DW, dst, src, off, op);
    }

    Asm ldImm64(int dst, int src, long imm) {
        add(LD | IMM | DW, dst, src, 0, (int) imm, null);
        return add(0, 0, 0, 0, (int) (imm >>> 32), null);
    }

    /** dst = the address of the function at a label, for a callback. */
    Asm ldFunc(int dst, String label) {
        add(LD | IMM | DW, dst, PSEUDO_FUNC, 0, 0, label);
        return add(0, 0, 0, 0, 0, null);
    }

    /** A helper call. */
    Asm call(int helper) {
        return insn(JMP | CALL, 0, 0, 0, helper);
    }

    /** A call to a subprogram at a label. */
    Asm callSub(String label) {
        return add(JMP | CALL, 0, PSEUDO_CALL, 0, 0, label);
    }

    Asm ja(String label) {
        return add(JMP | JA, 0, 0, 0, 0, label);
    }

    Asm gotol(String label) {
        return add(JMP32 | JA, 0, 0, 0, 0, label);
    }

    /** if dst == imm goto label */
    Asm jeqImm(int dst, int imm, String label) {
        return add(JMP | 0x10 | K, dst, 0, 0, imm, label);
    }

    Asm mayGoto(String label) {
        return add(JMP | JCOND, 0, 0, 0, 0, label);
    }

    Asm exit() {
        return insn(JMP | EXIT, 0, 0, 0, 0);
    }

    private Asm add(int opcode, int dst, int src, int off, int imm, String label) {
        slots.add(new Slot(opcode, dst, src, off, imm, label));
        return this;
    }

    byte[] bytes() {
        ByteBuffer out = ByteBuffer.allocate(slots.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            int off = s.off();
            int imm = s.imm();
            if (s.label() != null) {
                Integer target = labels.get(s.label());
                if (target == null) {
                    throw new IllegalStateException("no label " + s.label());
                }
                int relative = target - (i + 1);
                if (s.opcode() == (JMP32 | JA) || s.opcode() == (JMP | CALL) || s.opcode() == (LD | IMM | DW)) {
                    imm = relative;
                } else {
                    off = relative;
                }
            }
            out.put((byte) s.opcode()).put((byte) (s.src() << 4 | s.dst())).putShort((short) off).putInt(imm);
        }
        return out.array();
    }

    GuardStats analyze() {
        return GuardAnalysis.analyze("t", bytes());
    }
}
