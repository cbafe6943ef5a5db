package org.fastdowntime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code bench downtime --db-cpus}: the CPU list is checked, and processes really move. */
@Tag("unit")
class CpuPlacementTest {
    private static TreeSet<Integer> set(Integer... cpus) {
        return new TreeSet<>(List.of(cpus));
    }

    @Test
    void aCpuListIsReadAsTheKernelWritesIt() {
        assertEquals(set(0, 1, 2, 5), CpuPlacement.cpus("0-2,5"));
        CpuPlacement p = CpuPlacement.parse("2-3", set(0, 1, 2, 3));
        assertEquals("2-3", p.database());
        assertEquals("0-1", p.rest());
        assertEquals("0,2", CpuPlacement.parse("1,3", set(0, 1, 2, 3)).rest());
    }

    @Test
    void aBadListSaysWhatIsWrong() {
        TreeSet<Integer> two = set(0, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuPlacement.parse("x", two))
                .getMessage()
                .contains("'x' is not a CPU list"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuPlacement.parse("1-0", two))
                .getMessage()
                .contains("'1-0' is not a CPU or a range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuPlacement.parse("1,,0", two))
                .getMessage()
                .contains("is not a CPU list"));
        assertEquals(
                "CPU 7 is not one this process may use (0-1)",
                assertThrows(IllegalArgumentException.class, () -> CpuPlacement.parse("1,7", two))
                        .getMessage());
        assertEquals(
                "CPUs 0-1 are all this process may use (0-1): leave at least one for the worker",
                assertThrows(IllegalArgumentException.class, () -> CpuPlacement.parse("0-1", two))
                        .getMessage());
    }

    /** A process and the children it already has move to the database side's CPUs. */
    @Test
    void aProcessTreeMovesToTheDatabaseSide() throws Exception {
        TreeSet<Integer> allowed = CpuPlacement.allowed(ProcessHandle.current().pid());
        assumeTrue(allowed.size() >= 2, "needs two CPUs");
        String last = String.valueOf(allowed.last());
        CpuPlacement p = CpuPlacement.parse(last);
        Process parent = new ProcessBuilder("sh", "-c", "sleep 60 & wait").start();
        try {
            ProcessHandle child = awaitChild(parent);
            p.pinDatabase(parent.pid());
            assertEquals(set(allowed.last()), CpuPlacement.allowed(parent.pid()));
            assertEquals(set(allowed.last()), CpuPlacement.allowed(child.pid()));
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** This process leaves the database side's CPUs for the run and gets them all back after it. */
    @Test
    void thisProcessStepsAsideAndComesBack() throws Exception {
        long self = ProcessHandle.current().pid();
        TreeSet<Integer> allowed = CpuPlacement.allowed(self);
        assumeTrue(allowed.size() >= 2, "needs two CPUs");
        try (CpuPlacement p = CpuPlacement.parse(String.valueOf(allowed.last()))) {
            p.pinSelf();
            TreeSet<Integer> rest = new TreeSet<>(allowed);
            rest.remove(allowed.last());
            assertEquals(rest, CpuPlacement.allowed(self));
        }
        assertEquals(allowed, CpuPlacement.allowed(self));
    }

    private static ProcessHandle awaitChild(Process parent) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            var child = parent.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("sh started no child");
    }
}
