package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.conformance.testimpl.Flaw;
import org.p2pchat.conformance.testimpl.ReferenceTargets;
import org.p2pchat.conformance.testimpl.RunningTarget;
import org.p2pchat.conformance.testimpl.TestServer;

/** The command line: exit codes, selection, known failures, reports and replay. */
class ConformanceMainTest {
  private static final String[] FAST = {"--timeout", "1500ms", "--silence", "150ms"};

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ConformanceMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(FAST));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  @Test
  void helpStatesWhatAPeerTargetMustDo() {
    assertEquals(0, run("conformance", "--help"));
    assertTrue(out.toString().contains("THE TARGET MUST ACCEPT CHAT REQUESTS AUTOMATICALLY"), out.toString());
    assertTrue(out.toString().contains("--auto-accept"));
    assertEquals(0, run("conformance", "replay", "--help"));
    assertEquals(0, run("conformance", "catalogue", "--help"));
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run("conformance", "--role", "server"));
    assertTrue(err.toString().contains("--target"), err.toString());
    assertEquals(2, run("conformance", "--target", "127.0.0.1:30000"));
    assertEquals(2, run("conformance", "--target", "nonsense", "--role", "server"));
    assertEquals(2, run("conformance", "--target", "127.0.0.1:30000", "--role", "client"));
    assertEquals(2, run("conformance", "--target", "127.0.0.1:30000", "--role", "server", "--timeout", "soon"));
    assertEquals(2, run("conformance", "replay", "--target", "127.0.0.1:30000", dir.resolve("missing.jsonl").toString()));
  }

  @Test
  void aSelectionThatMatchesNothingIsAUsageError() {
    assertEquals(2, run("conformance", "--target", "127.0.0.1:30000", "--role", "peer", "--cases", "server.*"));
    assertTrue(err.toString().contains("matches no peer case"), err.toString());
    assertEquals(2, run("conformance", "--target", "127.0.0.1:30000", "--role", "server", "--exclude", "*"));
  }

  @Test
  void listShowsTheSelectedCasesWithoutATarget() {
    assertEquals(0, run("conformance", "--role", "server", "--list", "--cases", "server.register.*,robustness.tr*",
        "--exclude", "*.ok"));
    assertEquals(List.of("server.register.duplicate-name", "robustness.truncated"),
        out.toString().lines().map(l -> l.split("\\s+")[0]).collect(Collectors.toList()));
  }

  @Test
  void aTargetThatCannotBeReachedExitsTwo() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertEquals(2, run(with(new String[] {"conformance", "--target", "127.0.0.1:" + port, "--role", "server"})));
    assertTrue(out.toString().contains("could not be reached"), out.toString());
    assertTrue(out.toString().contains("UNAVAILABLE"), out.toString());
  }

  @Test
  void aPassingRunExitsZeroAndWritesEveryReport() throws IOException {
    try (RunningTarget server = ReferenceTargets.server()) {
      int code = run(with(new String[] {"conformance", "--target", server.address().toString(), "--role", "server",
          "--cases", "server.register.*,robustness.truncated", "--seed", "5", "--report", dir.toString()}));
      assertEquals(0, code, out + "\n" + err);
    }
    assertTrue(out.toString().contains("3 cases: 3 passed, 0 failed, 0 non-strict, 0 unavailable"), out.toString());
    assertTrue(out.toString().contains("seed 5"));
    for (String file : new String[] {Reports.JUNIT_XML, Reports.JSON, Reports.HTML}) {
      assertTrue(Files.size(dir.resolve(file)) > 0, file);
    }
  }

  @Test
  void knownFailuresKeepARunGreenUntilTheyGoStale() throws IOException {
    Path known = dir.resolve("known-failures.txt");
    Files.writeString(known, "# duplicates are accepted until issue 42 is fixed\nserver.register.duplicate-name\n",
        StandardCharsets.UTF_8);
    try (RunningTarget broken = TestServer.start(EnumSet.of(Flaw.ACCEPTS_DUPLICATE_NAMES))) {
      String[] args = {"conformance", "--target", broken.address().toString(), "--role", "server", "--cases",
          "server.register.*"};
      assertEquals(1, run(with(args)));
      assertEquals(0, run(with(args, "--known-failures", known.toString())), out.toString());
      assertTrue(out.toString().contains("(known failure)"));
    }
    try (RunningTarget fixed = ReferenceTargets.server()) {
      assertEquals(1, run(with(new String[] {"conformance", "--target", fixed.address().toString(), "--role",
          "server", "--cases", "server.register.*", "--known-failures", known.toString()})));
      assertTrue(out.toString().contains("stale known failure (it passed; remove it from the list): "
          + "server.register.duplicate-name"), out.toString());
    }
  }

  @Test
  void aShrunkSequenceReplaysExactlyAgainstBrokenAndFixedTargets() throws IOException {
    try (RunningTarget broken = TestServer.start(EnumSet.of(Flaw.ACCEPTS_DUPLICATE_NAMES));
        RunningTarget fixed = ReferenceTargets.server()) {
      assertEquals(1, run(with(new String[] {"conformance", "--target", broken.address().toString(), "--role",
          "server", "--cases", "generated.*", "--sequences", "2", "--seed", "7", "--report", dir.toString()})));
      assertTrue(out.toString().contains("shrunk to"), out.toString());
      Path file;
      try (Stream<Path> files = Files.list(dir.resolve("sequences"))) {
        file = files.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
      }

      out.getBuffer().setLength(0);
      assertEquals(1, run(with(new String[] {"conformance", "replay", file.toString(), "--target",
          broken.address().toString()})), out.toString());
      assertTrue(out.toString().contains("MISMATCH: expected REGISTER_ERROR"), out.toString());

      out.getBuffer().setLength(0);
      assertEquals(0, run(with(new String[] {"conformance", "replay", file.toString(), "--target",
          fixed.address().toString()})), out.toString());
      assertTrue(out.toString().contains("PASS: every step matched the model"), out.toString());
    }
  }

  @Test
  void catalogueCommandPrintsTheCatalogue() {
    assertEquals(0, run("conformance", "catalogue"));
    assertEquals(Catalogue.markdown(), out.toString());
  }

  @Test
  void theMainClassExitsWithTheRunsCodeInItsOwnProcess() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ConformanceMain.class.getName(), "conformance",
        "--role", "peer", "--list", "--cases", "peer.*")
        .redirectErrorStream(true).start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "finished in time");
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), output);
      assertTrue(output.contains("peer.chat-request.accept"), output);
    } finally {
      process.destroyForcibly();
    }
  }
}
