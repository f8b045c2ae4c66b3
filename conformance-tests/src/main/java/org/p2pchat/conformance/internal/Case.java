package org.p2pchat.conformance.internal;

import org.p2pchat.conformance.CaseInfo;

/** One conformance case: what it checks and how. */
public interface Case {
  CaseInfo info();

  /**
   * Runs the case in a fresh harness. Ends normally with its outcome, or throws {@link CaseFailure} for a
   * verdict other than PASS; {@link TargetDownException} means the target could not be reached.
   */
  Outcome run(CaseRun run) throws Exception;

  /** The body of a simple case: returns what the target did (for the PASS report) or throws CaseFailure. */
  @FunctionalInterface
  interface Body {
    String run(CaseRun run) throws Exception;
  }

  /** A case whose body either passes with a summary or throws {@link CaseFailure}. */
  static Case of(CaseInfo info, Body body) {
    return new Case() {
      @Override
      public CaseInfo info() {
        return info;
      }

      @Override
      public Outcome run(CaseRun run) throws Exception {
        try {
          return Outcome.pass(info.description(), body.run(run));
        } catch (CaseFailure failure) {
          return Outcome.of(failure);
        } catch (TargetStopped stopped) {
          return Outcome.of(stopped);
        }
      }
    };
  }
}
