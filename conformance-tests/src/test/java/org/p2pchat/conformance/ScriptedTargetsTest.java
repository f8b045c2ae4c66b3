package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.testing.FakePeer;

/** Verdicts that take a target scripted to behave in one particular way (the SDK's FakePeer). */
class ScriptedTargetsTest {
  @TempDir
  Path dir;

  private SuiteReport run(FakePeer target, String cases) {
    return Suites.fast(target.address(), Role.PEER, dir).include(List.of(cases)).build().run(r -> { });
  }

  @Test
  void aPeerAdvertisingAnotherHostIsNonStrictAndDoesNotFailTheRun() throws Exception {
    try (FakePeer peer = FakePeer.start()) {
      peer.on(ChatRequest.class, (req, received) -> FakePeer.reply(new HostPort(req.getHost(), req.getPort()),
          new ChatAccept().withPeername("fake").withHost("peer.example.invalid").withPort(peer.address().port())));
      SuiteReport report = run(peer, "peer.chat-request.accept");
      CaseResult result = report.results().get(0);
      assertEquals(Verdict.NON_STRICT, result.verdict(), result::describe);
      assertTrue(result.actual().contains("peer.example.invalid"), result.actual());
      assertEquals(0, report.exitCode());
    }
  }

  @Test
  void aPeerThatAnswersAChatMessageBreaksTheSilenceRule() throws Exception {
    try (FakePeer peer = FakePeer.start()) {
      // Accepts, then echoes every chat line back to whoever last asked to chat.
      HostPort[] requester = new HostPort[1];
      peer.on(ChatRequest.class, (req, received) -> {
        requester[0] = new HostPort(req.getHost(), req.getPort());
        return FakePeer.reply(requester[0],
            new ChatAccept().withPeername("echo").withHost("127.0.0.1").withPort(peer.address().port()));
      });
      peer.on(ChatMessage.class, (msg, received) -> FakePeer.reply(requester[0], msg));
      CaseResult result = run(peer, "peer.chat-message.connected").results().get(0);
      assertEquals(Verdict.FAIL, result.verdict(), result::describe);
      assertTrue(result.expected().startsWith("silence"), result.expected());
      assertTrue(result.actual().contains("CHAT_MESSAGE"), result.actual());
    }
  }

  @Test
  void aPeerThatWaitsForYesIsToldAboutAutoAccept() throws Exception {
    try (FakePeer peer = FakePeer.start()) {
      SuiteReport report = run(peer, "peer.*");
      CaseResult result = report.results().get(0);
      assertEquals(Verdict.NOT_APPLICABLE, result.verdict());
      assertTrue(result.actual().contains("does not accept chat requests by itself"), result.actual());
      assertTrue(result.actual().contains("--auto-accept"), result.actual());
      assertTrue(report.results().stream().allMatch(r -> r.verdict() == Verdict.NOT_APPLICABLE), report::summary);
      // Said once, not once per case.
      assertEquals(List.of(report.results().size() + " cases not applicable: " + result.actual()), report.collapsed());
      assertEquals(2, report.exitCode());
    }
  }
}
