package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.protocol.HostPort;

class PeerTrustTest {
  @Test
  void aFloodOfRefusalsIsCappedPerSecondAndTheHeldBackCountIsReported() throws Exception {
    List<String> lines = new ArrayList<>();
    AtomicLong nanos = new AtomicLong(5_000_000_000L);
    PeerTrust trust = new PeerTrust(IdentityKeyPair.generate(new SecureRandom()), KnownPeers.inMemory(),
        new HostPort("localhost", 30000), null, new SecureRandom(), Clock.systemUTC(), HandshakeConfig.DEFAULTS,
        lines::add, nanos::get);
    for (int i = 0; i < 100; i++) {
      trust.refused("forged CHAT_MESSAGE in the name of alice\u001b[2J #" + i);
    }
    assertEquals(PeerTrust.LINES_PER_SECOND, lines.size());
    assertTrue(lines.stream().noneMatch(l -> l.contains("\u001b")), "control characters are sanitised");
    nanos.addAndGet(1_000_000_000L);
    trust.refused("one more");
    assertEquals("refused: one more (and " + (100 - PeerTrust.LINES_PER_SECOND) + " more refused, not shown)",
        lines.get(lines.size() - 1));
  }

  @Test
  void whoisTellsVerifiedUnverifiedChangedAndUnknownApart() throws Exception {
    List<String> lines = new ArrayList<>();
    KnownPeers known = KnownPeers.inMemory();
    IdentityKeyPair me = IdentityKeyPair.generate(new SecureRandom());
    IdentityKeyPair alice = IdentityKeyPair.generate(new SecureRandom());
    IdentityKeyPair other = IdentityKeyPair.generate(new SecureRandom());
    PeerTrust trust = new PeerTrust(me, known, new HostPort("localhost", 30000), null, new SecureRandom(),
        Clock.systemUTC(), HandshakeConfig.DEFAULTS, lines::add);
    assertTrue(trust.acceptVerified("alice", alice.publicKey()));
    assertEquals("alice " + alice.publicKey().fingerprint() + " verified", trust.whois("alice", "me"));
    known.observeUnverified("carol");
    assertEquals("carol unverified (2018 peer)", trust.whois("carol", "me"));
    assertEquals(false, trust.acceptVerified("alice", other.publicKey()));
    assertTrue(lines.get(0).startsWith("WARNING: alice's key changed (pinned " + alice.publicKey().fingerprint()));
    assertEquals("alice " + alice.publicKey().fingerprint() + " changed (offered " + other.publicKey().fingerprint()
        + ")", trust.whois("alice", "me"));
    assertEquals("nobody unknown", trust.whois("nobody", "me"));
    assertEquals("me " + me.publicKey().fingerprint() + " (this peer)", trust.whois("me", "me"));
  }
}
