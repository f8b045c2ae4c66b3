package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.conformance.testimpl.ReferenceTargets;
import org.p2pchat.conformance.testimpl.RunningTarget;
import org.p2pchat.conformance.testimpl.TestPeer;
import org.p2pchat.conformance.testimpl.TestServer;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.testing.FakePeer;

/**
 * The identity-v1 cases judge only targets that claim identity-v1: a 2018-style server or peer gets N/A for them
 * (never FAIL, and the rest of its run is still a verdict), while a peer that claims identity-v1 and signs wrongly
 * FAILs. The reference targets passing them is ReferenceConformanceTest.
 */
class IdentityCasesTest {
  private static final String NOT_ADVERTISED = "the target does not advertise identity-v1";

  @TempDir
  Path dir;

  private SuiteReport run(HostPort target, Role role, String... cases) {
    return Suites.fast(target, role, dir).include(List.of(cases)).build().run(r -> { });
  }

  private static Map<String, CaseResult> byId(SuiteReport report) {
    return report.results().stream().collect(Collectors.toMap(CaseResult::id, Function.identity()));
  }

  private static void expectNotApplicableBeside(SuiteReport report, String passing, int identityCases) {
    Map<String, CaseResult> byId = byId(report);
    assertEquals(Verdict.PASS, byId.get(passing).verdict(), byId.get(passing)::describe);
    List<CaseResult> identity = report.results().stream().filter(r -> r.id().startsWith("identity.")).toList();
    assertEquals(identityCases, identity.size(), report::summary);
    for (CaseResult r : identity) {
      assertEquals(Verdict.NOT_APPLICABLE, r.verdict(), r::describe);
      assertTrue(r.actual().startsWith(NOT_ADVERTISED), r.actual());
    }
    // Said once for all of them, and the run is still a verdict on the rest: it passes.
    assertEquals(List.of(identityCases + " cases not applicable: " + identity.get(0).actual()), report.collapsed());
    assertEquals(0, report.exitCode(), report::summary);
  }

  @Test
  void a2018StyleServerGetsNotApplicableForTheIdentityCases() throws Exception {
    try (TestServer server = TestServer.start(EnumSet.noneOf(org.p2pchat.conformance.testimpl.Flaw.class))) {
      expectNotApplicableBeside(run(server.address(), Role.SERVER, "identity.*", "server.register.ok"),
          "server.register.ok", 6);
    }
  }

  @Test
  void a2018StylePeerGetsNotApplicableForTheIdentityCases() throws Exception {
    try (TestPeer peer = TestPeer.start("old", EnumSet.noneOf(org.p2pchat.conformance.testimpl.Flaw.class))) {
      expectNotApplicableBeside(run(peer.address(), Role.PEER, "identity.*", "peer.chat-request.accept"),
          "peer.chat-request.accept", 7);
    }
  }

  @Test
  void theReferencePeerWithoutAnIdentityGetsNotApplicable() throws Exception {
    try (RunningTarget peer = ReferenceTargets.peer2018()) {
      expectNotApplicableBeside(run(peer.address(), Role.PEER, "identity.*", "peer.chat-request.accept"),
          "peer.chat-request.accept", 7);
    }
  }

  @Test
  void aPeerThatClaimsIdentityButSignsWronglyFails() throws Exception {
    SecureRandom random = new SecureRandom();
    IdentityKeyPair key = IdentityKeyPair.generate(random);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    try (FakePeer peer = FakePeer.start()) {
      peer.on(ChatRequest.class, (req, received) -> {
        byte[] eph = new byte[32];
        byte[] nonce = new byte[32];
        random.nextBytes(eph);
        random.nextBytes(nonce);
        eph[0] = 9; // any non-low-order u-coordinate
        return FakePeer.reply(new HostPort(req.getHost(), req.getPort()), new ChatAccept().withPeername("liar")
            .withHost("127.0.0.1").withPort(peer.address().port())
            .withFeatures(new java.util.LinkedHashSet<>(List.of("identity-v1")))
            .withIdkey(key.publicKey().base64url()).withEphkey(b64.encodeToString(eph))
            .withNonce(b64.encodeToString(nonce)).withSig(b64.encodeToString(key.sign(new byte[] {1}))));
      });
      SuiteReport report = run(peer.address(), Role.PEER, "identity.peer.handshake");
      CaseResult result = report.results().get(0);
      assertEquals(Verdict.FAIL, result.verdict(), result::describe);
      assertTrue(result.actual().contains("BAD_SIGNATURE"), result.actual());
      assertTrue(result.describe().contains("docs/protocol.md#rule-identity-handshake"), result.describe());
      assertEquals(1, report.exitCode());
    }
  }
}
