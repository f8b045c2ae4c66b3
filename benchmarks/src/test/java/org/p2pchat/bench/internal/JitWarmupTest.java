package org.p2pchat.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
  @Test
  void shareIsTheCompilersPartOfTheCpuUsedAndZeroWhenNoneWasUsed() {
    assertEquals(0.25, JitWarmup.share(1_000, 5_000, 200, 1_200), 1e-12);
    assertEquals(0, JitWarmup.share(1_000, 1_000, 200, 300), 1e-12);
    assertTrue(JitWarmup.share(0, 100, 0, 5) <= JitWarmup.QUIET_SHARE, "5 % is quiet");
    assertTrue(JitWarmup.share(0, 100, 0, 6) > JitWarmup.QUIET_SHARE, "6 % is not");
  }

  @Test
  void outcomeSaysWhetherTheJitWasStillCompiling() {
    assertEquals("12 s of warm-up, 12 rounds; the JIT used 3 % of the CPU in the last",
        new JitWarmup.Outcome(12, 12.2, 0.031, true).describe());
    assertEquals("20 s of warm-up, 20 rounds; the JIT used 40 % of the CPU in the last (still compiling)",
        new JitWarmup.Outcome(20, 20.0, 0.4, false).describe());
  }

  @Test
  void thisJvmsCompilerThreadsUsedSomeButNotMoreThanAllOfItsCpu() throws IOException {
    long pid = ProcessHandle.current().pid();
    long jit = ProcFs.compilerNanos(pid);
    assertTrue(jit >= 0 && jit <= ProcFs.cpuNanos(pid), jit + " ns of " + ProcFs.cpuNanos(pid));
    assertEquals(0, ProcFs.compilerNanos(Long.MAX_VALUE), "no such process: nothing to count");
  }
}
