package org.p2pchat.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostsTest {
  @Test
  void loopbackSpellingsAreTheSameHost() {
    assertTrue(Hosts.same("localhost", "127.0.0.1"));
    assertTrue(Hosts.same("127.0.0.1", "::1"));
    assertTrue(Hosts.same("LOCALHOST", "localhost"));
  }

  @Test
  void namesAreNeverLookedUp() {
    assertFalse(Hosts.same("abc", "127.0.0.1"), "a bare name is not taken for an IPv6 literal");
    assertFalse(Hosts.same("peer.example.invalid", "127.0.0.1"));
    assertFalse(Hosts.same("10.0.0.1", "127.0.0.1"));
  }
}
