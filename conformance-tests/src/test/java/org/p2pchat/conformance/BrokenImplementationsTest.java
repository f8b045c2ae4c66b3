package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.conformance.internal.SequenceFile;
import org.p2pchat.conformance.testimpl.Flaw;
import org.p2pchat.conformance.testimpl.RunningTarget;
import org.p2pchat.conformance.testimpl.TestPeer;
import org.p2pchat.conformance.testimpl.TestServer;

/**
 * Proves the suite has teeth: against each deliberately broken implementation, the case named for the
 * defect fails, and where generated sequences can reach the defect, one of them fails and shrinks to a
 * short sequence. The runs go in parallel (they mostly wait), each against its own target.
 */
class BrokenImplementationsTest {
  /** What each broken implementation must be caught by, and the longest acceptable shrunk sequence (0: none). */
  private record Expectation(Role role, Flaw flaw, List<String> caughtBy, int shrunkAtMost) {}

  private static final List<Expectation> EXPECTATIONS = List.of(
      new Expectation(Role.SERVER, Flaw.ACCEPTS_DUPLICATE_NAMES, List.of("server.register.duplicate-name"), 3),
      new Expectation(Role.SERVER, Flaw.ANSWERS_UNREGISTERED_LISTPEER,
          List.of("server.listpeer.unregistered-silent"), 2),
      new Expectation(Role.SERVER, Flaw.REPLIES_TO_SOURCE,
          List.of("server.reply.advertised-address", "server.register.ok"), 1),
      new Expectation(Role.SERVER, Flaw.DIES_ON_MALFORMED_JSON, List.of("robustness.malformed-json"), 0),
      new Expectation(Role.SERVER, Flaw.TRUNCATES_AT_1024, List.of("robustness.over-1024-bytes"), 2),
      new Expectation(Role.SERVER, Flaw.IGNORES_EXIT, List.of("server.exit.then-reregister"), 4),
      new Expectation(Role.SERVER, Flaw.STALLS_ON_IDLE,
          List.of("robustness.stalled-half-message", "robustness.idle-flood"), 0),
      new Expectation(Role.SERVER, Flaw.DROPS_LIST_ORDER, List.of("server.listpeer.order"), 6),
      new Expectation(Role.PEER, Flaw.REPLIES_TO_SOURCE, List.of("peer.chat-request.accept"), 1),
      new Expectation(Role.PEER, Flaw.DIES_ON_MALFORMED_JSON, List.of("robustness.malformed-json"), 0),
      new Expectation(Role.PEER, Flaw.STALLS_ON_IDLE,
          List.of("robustness.stalled-half-message", "robustness.idle-flood"), 0));

  private static final ExecutorService RUNS = Executors.newFixedThreadPool(6);

  @TempDir
  static Path sequences;

  @AfterAll
  static void stopRuns() {
    RUNS.shutdownNow();
  }

  @TestFactory
  Stream<DynamicTest> eachBrokenImplementationIsCaughtByItsCase() {
    List<CompletableFuture<SuiteReport>> runs = new ArrayList<>();
    for (Expectation e : EXPECTATIONS) {
      runs.add(CompletableFuture.supplyAsync(() -> run(e), RUNS));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < EXPECTATIONS.size(); i++) {
      Expectation e = EXPECTATIONS.get(i);
      CompletableFuture<SuiteReport> run = runs.get(i);
      tests.add(dynamicTest(e.role().label() + " that " + e.flaw(), () -> check(e, run.get(3, TimeUnit.MINUTES))));
    }
    return tests.stream();
  }

  private static SuiteReport run(Expectation e) {
    try (RunningTarget target = start(e)) {
      Path dir = Files.createDirectories(sequences.resolve(e.role().label() + "-" + e.flaw()));
      ConformanceSuite suite = Suites.fast(target.address(), e.role(), dir).seed(7).sequences(4).namePrefix("t7-")
          .replyTimeout(Duration.ofMillis(1000)).build();
      return suite.run(r -> { });
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }

  private static RunningTarget start(Expectation e) throws IOException {
    return e.role() == Role.SERVER ? TestServer.start(EnumSet.of(e.flaw()))
        : TestPeer.start("broken", EnumSet.of(e.flaw()));
  }

  private static void check(Expectation e, SuiteReport report) throws IOException {
    Map<String, CaseResult> byId = report.results().stream()
        .collect(Collectors.toMap(CaseResult::id, r -> r));
    String all = report.results().stream().map(r -> r.verdict().label() + " " + r.id() + ": " + r.actual())
        .collect(Collectors.joining("\n"));
    System.out.println("== " + e.role().label() + " that " + e.flaw() + ": " + report.summary() + "\n" + all);
    for (String id : e.caughtBy()) {
      assertEquals(Verdict.FAIL, byId.get(id).verdict(), () -> id + " should catch " + e.flaw() + ":\n" + all);
    }
    assertEquals(1, report.exitCode());
    List<CaseResult> failedSequences = report.results().stream()
        .filter(r -> r.id().startsWith("generated.") && r.verdict() == Verdict.FAIL).collect(Collectors.toList());
    if (e.shrunkAtMost() > 0) {
      assertFalse(failedSequences.isEmpty(), () -> "no generated sequence caught " + e.flaw() + ":\n" + all);
      CaseResult shrunk = failedSequences.get(0);
      assertTrue(shrunk.replayFile().isPresent(), "a failing sequence leaves a replay file");
      int length = SequenceFile.read(shrunk.replayFile().get()).sequence().size();
      System.out.println("shrunk length for " + e.role().label() + " that " + e.flaw() + ": " + length + "\n"
          + shrunk.details());
      assertTrue(length <= e.shrunkAtMost(), () -> "shrunk to " + length + " steps, more than " + e.shrunkAtMost()
          + ":\n" + shrunk.details());
    }
  }
}
