package dev.ffkx.runtime.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpfInsnTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void decodesTheCastsClangEmits() {
        // llvm-objdump-19: r1 = addr_space_cast(r0, 0x0, 0x1) and r0 = addr_space_cast(r1, 0x1, 0x0)
        List<BpfInsn> insns = BpfInsn.decode(hex("bf 01 01 00 01 00 00 00  bf 10 01 00 00 00 01 00"));
        assertEquals(new BpfInsn(0, 0xbf, 1, 0, 1, 1), insns.get(0));
        assertTrue(insns.get(0).isGuard());
        assertEquals(new BpfInsn(1, 0xbf, 0, 1, 1, 1 << 16), insns.get(1));
        assertFalse(insns.get(1).isGuard());
    }

    @Test
    void decodesLdImm64AsOneInstructionOfTwoSlots() {
        // r1 = 0x1122334455667788 ll; if r1 != 0x0 goto -0x3; exit
        List<BpfInsn> insns = BpfInsn.decode(hex(
                "18 01 00 00 88 77 66 55  00 00 00 00 44 33 22 11  55 01 fd ff 00 00 00 00  95 00 00 00 00 00 00 00"));
        assertEquals(3, insns.size());
        assertEquals(new BpfInsn(0, 0x18, 1, 0, 0, 0x1122334455667788L), insns.get(0));
        assertEquals(2, insns.get(0).slots());
        assertEquals(new BpfInsn(2, 0x55, 1, 0, -3, 0), insns.get(1));
        assertEquals(3, insns.get(2).slot());
    }

    @Test
    void rejectsTruncatedCode() {
        assertThrows(IllegalArgumentException.class, () -> BpfInsn.decode(new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> BpfInsn.decode(hex("18 01 00 00 00 00 00 00")));
    }
}
