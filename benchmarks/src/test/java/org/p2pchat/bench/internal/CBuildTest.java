package org.p2pchat.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;

/**
 * Compiles the C floors and driver with gcc and runs the driver for one second against the C receiver
 * and the C request/reply server on loopback; checks counts, never times. gcc is part of this
 * project's build machine; without it the build step must say so rather than fail.
 */
class CBuildTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(180)
  void buildsTheCProgramsAndTheDriverDeliversEveryMessageInOrderToTheCReceiver() throws Exception {
    CBuild.Outcome outcome = CBuild.build(dir);
    if (!CBuild.gccAvailable()) {
      assertEquals("no gcc", outcome.problem());
      return;
    }
    assertTrue(outcome.programs().isPresent(), outcome.problem());
    CBuild.Programs programs = outcome.programs().get();
    for (Path p : List.of(programs.receiver(), programs.rrserver(), programs.driver())) {
      assertTrue(Files.isExecutable(p), p.toString());
    }
    // A second build finds the same sources already built.
    assertEquals(programs, CBuild.build(dir).programs().orElseThrow());

    try (ChildProcess receiver = ChildProcess.start("c-receiver", List.of(programs.receiver().toString()),
        dir.resolve("logs")); ChatTally tally = new ChatTally(dir.resolve("counter"))) {
      HostPort address = receiver.awaitListening(Duration.ofSeconds(20));
      receiver.tap(tally);
      tally.begin("smoke");
      CDriver.Result r = new CDriver(programs.driver()).chat(address, 3, Duration.ofSeconds(1), 64, tally.file(),
          "smoke");
      ChatTally.Count count = tally.count();
      assertTrue(r.sent() > 0, r.toString());
      assertEquals(0, r.failed(), r.toString());
      assertEquals(r.sent(), r.done(), r.toString());
      assertEquals(r.sent(), count.shown(), count.toString());
      assertEquals(0, count.outOfOrder(), count.toString());
      assertEquals(3, count.senders(), count.toString());
    }
  }

  @Test
  @Timeout(180)
  void theDriverGetsAReplyForEveryRegisterFromTheCRequestReplyServer() throws Exception {
    Optional<CBuild.Programs> built = CBuild.build(dir).programs();
    if (built.isEmpty()) {
      assertTrue(!CBuild.gccAvailable(), "gcc is here but the build failed");
      return;
    }
    try (ChildProcess server = ChildProcess.start("c-rrserver", List.of(built.get().rrserver().toString()),
        dir.resolve("logs"))) {
      HostPort address = server.awaitListening(Duration.ofSeconds(20));
      CDriver.Result r = new CDriver(built.get().driver()).register(address, 4, Duration.ofSeconds(1), "smoke");
      assertTrue(r.sent() > 0, r.toString());
      assertEquals(r.sent(), r.done(), r.toString());
      assertEquals(0, r.errors(), r.toString());
    }
  }

  @Test
  @Timeout(180)
  void theDurableCFloorStoresEveryRegisterItAnswers() throws Exception {
    Optional<CBuild.Programs> built = CBuild.build(dir).programs();
    if (built.isEmpty()) {
      assertTrue(!CBuild.gccAvailable(), "gcc is here but the build failed");
      return;
    }
    java.nio.file.Path state = dir.resolve("durable-state");
    try (ChildProcess server = ChildProcess.start("c-rrserver-durable",
        List.of(built.get().rrserver().toString(), state.toString()), dir.resolve("logs"))) {
      HostPort address = server.awaitListening(Duration.ofSeconds(20));
      CDriver.Result r = new CDriver(built.get().driver()).register(address, 1, Duration.ofMillis(300), "durable");
      assertTrue(r.sent() > 0, r.toString());
      assertEquals(r.sent(), r.done(), r.toString());
      List<String> stored = java.nio.file.Files.readAllLines(state);
      assertEquals(r.done(), stored.size(), "one line per REGISTER answered");
      assertTrue(stored.get(0).contains("\"REGISTER\"") && stored.get(0).contains("durable-"), stored.get(0));
    }
  }

  @Test
  void tallyCountsOnlyTheCurrentRunAndSpotsAGapOrAReorder() throws Exception {
    try (ChatTally tally = new ChatTally(dir.resolve("c"))) {
      tally.begin("a");
      assertTrue(tally.test("loadgen: old-0-0"));
      assertTrue(tally.test("loadgen: a-0-0"));
      assertTrue(tally.test("loadgen: a-1-0"));
      assertTrue(tally.test("loadgen: a-0-2"));
      assertTrue(tally.test("loadgen: a-0-1"));
      assertEquals(new ChatTally.Count(4, 2, 2), tally.count());
      assertTrue(!tally.test("listening on 127.0.0.1:1"));
    }
  }

  @Test
  void driverResultLineParsesAndGivesTheRateInTheWindow() throws Exception {
    CDriver.Result r = CDriver.Result.parse("sent=10 failed=1 done=10 done_in_window=8 errors=0 window_ns=2000000000\n");
    assertEquals(new CDriver.Result(10, 1, 10, 8, 0, 2_000_000_000L), r);
    assertEquals(4.0, r.rate(), 1e-9);
  }
}
