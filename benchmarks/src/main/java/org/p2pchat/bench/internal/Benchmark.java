package org.p2pchat.bench.internal;

/**
 * One section of {@code bench}: a name for {@code --sections}, whether {@code --quick} runs it, and the
 * run itself, which adds figures, tables, goals and notes to the context's results. New sections are
 * added to {@link Benchmarks#ALL} and nowhere else.
 */
public interface Benchmark {
  String name();

  /** True if {@code --quick} runs it (quick must stay under 90 s in all). */
  boolean inQuick();

  void run(BenchContext ctx) throws Exception;

  static Benchmark of(String name, boolean inQuick, Body body) {
    return new Benchmark() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean inQuick() {
        return inQuick;
      }

      @Override
      public void run(BenchContext ctx) throws Exception {
        body.run(ctx);
      }
    };
  }

  /** A section's body. */
  interface Body {
    void run(BenchContext ctx) throws Exception;
  }
}
