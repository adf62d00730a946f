package dev.ffkx.runtime.analysis;

import static dev.ffkx.runtime.analysis.Asm.*;
import static dev.ffkx.runtime.analysis.BpfInsn.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.BpfObject;
import org.junit.jupiter.api.Test;

class GuardAnalysisTest {
    private static GuardStats stats(int accesses, int guards, int elided) {
        return new GuardStats("t", accesses, guards, elided);
    }

    @Test
    void theFirstAccessAfterAGuardPaysForIt() {
        assertEquals(stats(1, 1, 0), new Asm().guard(R1, R1).load(R0, R1, 0).exit().analyze());
    }

    @Test
    void laterAccessesThroughTheSamePointerAreElided() {
        assertEquals(stats(3, 1, 2), new Asm()
                .guard(R1, R1)
                .load(R0, R1, 0)
                .store(R1, 8, R0)
                .storeImm(R1, 16, 7)
                .exit().analyze());
    }

    @Test
    void movedAndOffsetPointersKeepTheirGuard() {
        assertEquals(stats(3, 1, 2), new Asm()
                .guard(R1, R1)
                .load(R0, R1, 0)
                .mov(R2, R1)
                .addImm(R2, 16)
                .store(R2, 0, R0)
                .movImm(R3, 24)
                .add(R3, R1) // scalar + heap pointer
                .load(R4, R3, 0)
                .exit().analyze());
    }

    @Test
    void theCastSourceIsCoveredByTheGuard() {
        // what clang emits after bpf_arena_alloc_pages: cast r0 into r1, store through both
        assertEquals(stats(2, 1, 1), new Asm()
                .guard(R1, R0)
                .store(R0, 0, R3)
                .load(R4, R1, 8)
                .exit().analyze());
    }

    @Test
    void spilledPointersKeepTheirGuardAcrossACall() {
        assertEquals(stats(3, 1, 2), new Asm()
                .guard(R1, R1)
                .store(R10, -8, R1)
                .mov(R6, R10)
                .addImm(R6, -16)
                .store(R6, 0, R1) // a spill through a copy of the frame pointer
                .call(5)
                .load(R2, R10, -8)
                .load(R0, R2, 0)
                .load(R0, R2, 8)
                .load(R3, R10, -16)
                .load(R0, R3, 0)
                .exit().analyze());
    }

    @Test
    void aPartlyOverwrittenSlotLosesThePointer() {
        assertEquals(stats(0, 1, 0), new Asm()
                .guard(R1, R1)
                .store(R10, -8, R1)
                .store32(R10, -4, R0)
                .load(R2, R10, -8)
                .load(R0, R2, 0)
                .exit().analyze());
    }

    @Test
    void anAccessIsElidedOnlyIfEveryPathPaidBeforeIt() {
        assertEquals(stats(4, 1, 3), new Asm()
                .guard(R1, R1)
                .load(R0, R1, 0)
                .jeqImm(R2, 0, "else")
                .load(R0, R1, 8)
                .ja("join")
                .label("else")
                .load(R0, R1, 16)
                .label("join")
                .load(R0, R1, 24)
                .exit().analyze());
        assertEquals(stats(2, 1, 0), new Asm()
                .guard(R1, R1)
                .jeqImm(R2, 0, "join")
                .load(R0, R1, 0)
                .label("join")
                .load(R0, R1, 8)
                .exit().analyze());
    }

    @Test
    void pointersFromDifferentGuardsMergeIntoANewPointer() {
        assertEquals(stats(4, 2, 1), new Asm()
                .jeqImm(R3, 0, "other")
                .guard(R1, R1)
                .load(R0, R1, 0)
                .ja("join")
                .label("other")
                .guard(R1, R2)
                .load(R0, R1, 0)
                .label("join")
                .load(R0, R1, 8) // pays for the merged pointer
                .load(R0, R1, 16)
                .exit().analyze());
    }

    @Test
    void aHeapPointerOnOnlyOnePathIsNoHeapPointer() {
        assertEquals(stats(0, 1, 0), new Asm()
                .jeqImm(R3, 0, "other")
                .guard(R1, R1)
                .ja("join")
                .label("other")
                .movImm(R1, 0)
                .label("join")
                .load(R0, R1, 0)
                .exit().analyze());
    }

    @Test
    void stackContextAndMapAccessesAreNotHeapAccesses() {
        assertEquals(stats(0, 0, 0), new Asm()
                .load(R0, R1, 0) // ctx
                .store(R10, -8, R0)
                .storeImm(R10, -16, 1)
                .atomic(ADD, R10, -16, R0)
                .ldImm64(R2, 2, 0x1_0000_0010L) // a map value
                .load(R0, R2, 0)
                .exit().analyze());
    }

    @Test
    void aCastIntoUserSpaceIsNoGuard() {
        assertEquals(stats(0, 0, 0), new Asm().castToUser(R2, R1).load(R0, R2, 0).exit().analyze());
        assertEquals(stats(1, 1, 0), new Asm()
                .guard(R1, R1)
                .castToUser(R2, R1)
                .load(R0, R2, 0) // a user address: not a heap pointer the kernel can use
                .store(R1, 0, R2)
                .exit().analyze());
    }

    @Test
    void ldImm64TakesTwoSlots() {
        assertEquals(stats(1, 1, 0), new Asm()
                .ldImm64(R1, 0, 0x1_0000_0000L)
                .jeqImm(R2, 0, "skip")
                .ldImm64(R3, 0, -1L)
                .gotol("skip")
                .label("skip")
                .guard(R1, R1)
                .load(R0, R1, 0)
                .exit().analyze());
    }

    @Test
    void aMayGotoLoopReachesAFixedPoint() {
        // the access in the loop is the first on the first iteration
        assertEquals(stats(1, 1, 0), new Asm()
                .guard(R1, R1)
                .label("loop")
                .mayGoto("done")
                .load(R0, R1, 0)
                .ja("loop")
                .label("done")
                .exit().analyze());
        // a list walk: the loop head merges the pointer from before the loop with the one from
        // the cast in the body
        assertEquals(stats(3, 2, 1), new Asm()
                .guard(R1, R1)
                .label("loop")
                .mayGoto("done")
                .load(R0, R1, 0)
                .load(R1, R1, 8)
                .jeqImm(R1, 0, "done")
                .guard(R1, R1)
                .store(R1, 16, R0)
                .ja("loop")
                .label("done")
                .exit().analyze());
    }

    @Test
    void callsClobberR0ToR5() {
        assertEquals(stats(1, 1, 0), new Asm()
                .guard(R1, R1)
                .mov(R6, R1)
                .mov(R5, R1)
                .call(1)
                .load(R0, R1, 0)
                .load(R0, R5, 0)
                .load(R0, R6, 0)
                .exit().analyze());
    }

    @Test
    void passingTheStackToACallLosesItsSpills() {
        assertEquals(stats(0, 1, 0), new Asm()
                .guard(R1, R1)
                .store(R10, -8, R1)
                .mov(R3, R10)
                .addImm(R3, -32)
                .call(4)
                .load(R2, R10, -8)
                .load(R0, R2, 0)
                .exit().analyze());
    }

    @Test
    void atomicsAreHeapAccesses() {
        assertEquals(stats(5, 1, 4), new Asm()
                .guard(R1, R1)
                .atomic(ADD, R1, 0, R2)
                .atomic(ADD | FETCH, R1, 8, R3)
                .atomic(CMPXCHG, R1, 16, R4)
                .insn(STX | ATOMIC | DW, R5, R1, 24, LOAD_ACQ)
                .insn(STX | ATOMIC | DW, R1, R5, 32, STORE_REL)
                .exit().analyze());
        // fetching atomics overwrite their source, cmpxchg overwrites r0
        assertEquals(stats(2, 1, 1), new Asm()
                .guard(R1, R1)
                .mov(R3, R1)
                .mov(R0, R1)
                .atomic(ADD | FETCH, R1, 0, R3)
                .atomic(CMPXCHG, R1, 8, R2)
                .load(R4, R3, 0)
                .load(R4, R0, 0)
                .exit().analyze());
    }

    @Test
    void subprogramsAndCallbacksAreAnalyzedButUnreachableCodeIsNot() {
        assertEquals(stats(2, 2, 0), new Asm()
                .callSub("sub")
                .ldFunc(R2, "callback")
                .exit()
                .guard(R1, R1) // unreachable
                .exit()
                .label("sub")
                .guard(R1, R1)
                .load(R0, R1, 0)
                .exit()
                .label("callback")
                .guard(R2, R2)
                .load(R0, R2, 0)
                .exit()
                .analyze());
    }

    @Test
    void aCallLibbpfHasNotRelocatedIsTreatedAsAHelper() {
        assertEquals(stats(0, 0, 0), new Asm().insn(JMP | CALL, 0, PSEUDO_CALL, 0, -1).exit().analyze());
    }

    @Test
    void badProgramsAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GuardAnalysis.analyze("fell_off", new Asm().movImm(R0, 0).bytes()));
        assertTrue(e.getMessage().contains("fell_off"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GuardAnalysis.analyze("gotox", new Asm().insn(JMP | JA | X, R1, 0, 0, 0).exit().bytes()));
        assertTrue(e.getMessage().contains("gotox") && e.getMessage().contains("unsupported"), e.getMessage());
    }

    @Test
    void aCompiledArenaProgramHasGuardsAndElidedAccesses() {
        try (BpfObject obj = BpfObject.openResource("/bpf/analysis_sample.bpf.o")) {
            byte[] code = obj.program("build_and_sum").instructions();
            GuardStats s = GuardAnalysis.analyze("build_and_sum", code);
            long casts = BpfInsn.decode(code).stream().filter(BpfInsn::isGuard).count();
            assertTrue(s.guards() > 0 && s.guards() == casts, s.toString());
            assertTrue(s.heapAccesses() > s.guards(), s.toString());
            assertTrue(s.elided() > 0 && s.elided() < s.heapAccesses(), s.toString());
        }
    }
}
