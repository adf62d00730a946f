package dev.ffkx.runtime.analysis;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One BPF instruction as the kernel's {@code struct bpf_insn} lays it out. Jump offsets count
 * 8-byte slots, and {@code ld_imm64} takes two, so every instruction keeps the {@code slot} it
 * starts at; for {@code ld_imm64}, {@code imm} is the whole 64-bit constant.
 *
 * <p>The constants follow include/uapi/linux/bpf.h; only those the analysis needs are here.
 */
public record BpfInsn(int slot, int opcode, int dst, int src, int off, long imm) {
    static final int SLOT_BYTES = 8;

    // instruction classes (low 3 bits of the opcode)
    static final int LD = 0x00;
    static final int LDX = 0x01;
    static final int ST = 0x02;
    static final int STX = 0x03;
    static final int ALU = 0x04;
    static final int JMP = 0x05;
    static final int JMP32 = 0x06;
    static final int ALU64 = 0x07;

    // load/store size (bits 3-4)
    static final int W = 0x00;
    static final int H = 0x08;
    static final int B = 0x10;
    static final int DW = 0x18;

    // load/store mode (bits 5-7)
    static final int IMM = 0x00;
    static final int ABS = 0x20;
    static final int IND = 0x40;
    static final int MEM = 0x60;
    static final int MEMSX = 0x80;
    static final int ATOMIC = 0xc0;

    // ALU and jump source (bit 3) and operation (bits 4-7)
    static final int K = 0x00;
    static final int X = 0x08;
    static final int ADD = 0x00;
    static final int SUB = 0x10;
    static final int MOV = 0xb0;
    /** The highest ALU operation (byte swap). */
    static final int END = 0xd0;
    static final int JA = 0x00;
    static final int CALL = 0x80;
    static final int EXIT = 0x90;
    static final int JCOND = 0xe0;

    // atomic operations, in imm
    static final int FETCH = 0x01;
    static final int CMPXCHG = 0xf0 | FETCH;
    static final int LOAD_ACQ = 0x100;
    static final int STORE_REL = 0x110;

    // src of calls and ld_imm64
    static final int PSEUDO_CALL = 1;
    static final int PSEUDO_FUNC = 4;

    /** off of a BPF_ALU64|BPF_MOV|BPF_X that makes it an addr_space_cast. */
    static final int ADDR_SPACE_CAST = 1;
    /**
     * imm of an addr_space_cast from address space 1 (arena, user) to 0 (kernel): imm holds
     * (destination space &lt;&lt; 16) | source space, so the reverse cast is 1 &lt;&lt; 16.
     */
    static final int CAST_TO_KERNEL = 1;

    /** Decodes little-endian instructions, as libbpf and the kernel hold them. */
    public static List<BpfInsn> decode(byte[] code) {
        if (code.length % SLOT_BYTES != 0) {
            throw new IllegalArgumentException(code.length + " bytes of code is not a whole number of 8-byte slots");
        }
        ByteBuffer in = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        int slots = code.length / SLOT_BYTES;
        List<BpfInsn> insns = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            int at = slot * SLOT_BYTES;
            int opcode = in.get(at) & 0xff;
            int regs = in.get(at + 1) & 0xff;
            int off = in.getShort(at + 2);
            long imm = in.getInt(at + 4);
            if (opcode == (LD | IMM | DW)) {
                if (slot + 1 == slots) {
                    throw new IllegalArgumentException("ld_imm64 at slot " + slot + " lacks its second slot");
                }
                imm = (imm & 0xffff_ffffL) | ((long) in.getInt(at + SLOT_BYTES + 4) << 32);
            }
            BpfInsn insn = new BpfInsn(slot, opcode, regs & 0x0f, regs >>> 4, off, imm);
            insns.add(insn);
            slot += insn.slots() - 1;
        }
        return insns;
    }

    /** 2 for ld_imm64, else 1. */
    public int slots() {
        return opcode == (LD | IMM | DW) ? 2 : 1;
    }

    int cls() {
        return opcode & 0x07;
    }

    /** Size field of loads and stores. */
    int size() {
        return opcode & 0x18;
    }

    /** Mode field of loads and stores. */
    int mode() {
        return opcode & 0xe0;
    }

    /** Operation field of ALU and jump instructions. */
    int op() {
        return opcode & 0xf0;
    }

    int source() {
        return opcode & 0x08;
    }

    /** Bytes a load or store moves. */
    int sizeBytes() {
        return switch (size()) {
            case W -> 4;
            case H -> 2;
            case B -> 1;
            default -> 8;
        };
    }

    /** An addr_space_cast into the kernel address space: in ffkx terms, a guard. */
    public boolean isGuard() {
        return opcode == (ALU64 | MOV | X) && off == ADDR_SPACE_CAST && imm == CAST_TO_KERNEL;
    }

    @Override
    public String toString() {
        return String.format("slot %d: opcode 0x%02x dst r%d src r%d off %d imm %d", slot, opcode, dst, src, off, imm);
    }
}
