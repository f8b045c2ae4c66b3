package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

class SourceLimitsTest {
  private final AtomicLong now = new AtomicLong();
  private final InetAddress a = address("10.0.0.1");
  private final InetAddress b = address("10.0.0.2");
  private final InetAddress trusted = address("10.0.0.9");
  private final Map<String, HostPort> registry = new HashMap<>();

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private SourceLimits limits(int names) {
    return new SourceLimits(new SourceLimits.Settings(1, 3, 1, 2, names, Set.of(trusted)), now::get);
  }

  private boolean live(String name, HostPort at) {
    return at.equals(registry.get(name));
  }

  @Test
  void messageAndListpeerRatesArePerSourceAndSeparate() {
    SourceLimits limits = limits(5);
    assertTrue(limits.admitMessage(a));
    assertTrue(limits.admitMessage(a));
    assertTrue(limits.admitMessage(a));
    assertFalse(limits.admitMessage(a), "a's burst of 3 is spent");
    assertTrue(limits.admitMessage(b), "b is not held to a's budget");
    assertTrue(limits.admitListpeer(a), "LISTPEER has its own bucket");
    assertTrue(limits.admitListpeer(a));
    assertFalse(limits.admitListpeer(a), "a's LISTPEER burst of 2 is spent");
    for (int i = 0; i < 100; i++) {
      assertTrue(limits.admitMessage(trusted), "an exempt source has no rate");
      assertTrue(limits.admitListpeer(trusted));
    }
  }

  @Test
  void namesPerSourceCountRegistrationsStillHeld() {
    SourceLimits limits = limits(2);
    for (String name : new String[] {"n1", "n2"}) {
      assertTrue(limits.reserveName(a, this::live));
      HostPort at = new HostPort("h", 1000 + name.length());
      registry.put(name, at);
      limits.registered(a, name, at);
    }
    assertEquals(2, limits.held(a));
    assertFalse(limits.reserveName(a, this::live), "a holds its 2 names");
    assertTrue(limits.reserveName(b, this::live), "b holds none");
    limits.cancel(b);
    assertEquals(0, limits.held(b), "a cancelled reservation holds nothing");
    registry.remove("n1");
    assertTrue(limits.reserveName(a, this::live), "n1 left the registry: a may register another");
    assertEquals(2, limits.held(a), "n2 and the reservation");
    assertFalse(limits.reserveName(a, this::live), "a reservation counts until settled");
    limits.cancel(a);
    assertEquals(1, limits.held(a));
    registry.put("n2", new HostPort("elsewhere", 1));
    assertEquals(1, limits.held(a), "counted until a check finds it gone");
    assertTrue(limits.reserveName(a, this::live));
    assertTrue(limits.reserveName(a, this::live), "n2 moved elsewhere: it no longer counts for a");
    assertFalse(limits.reserveName(a, this::live));
    for (int i = 0; i < 10; i++) {
      assertTrue(limits.reserveName(trusted, this::live), "an exempt source has no name limit");
      limits.registered(trusted, "t" + i, new HostPort("h", 1));
    }
    assertEquals(0, limits.held(trusted));
  }

  @Test
  void aNameRegisteredAgainMovesToItsNewSource() {
    SourceLimits limits = limits(1);
    HostPort at = new HostPort("h", 1);
    registry.put("x", at);
    assertTrue(limits.reserveName(a, this::live));
    limits.registered(a, "x", at);
    assertTrue(limits.reserveName(b, this::live));
    limits.registered(b, "x", at);
    assertEquals(0, limits.held(a));
    assertEquals(1, limits.held(b));
  }

  @Test
  void namesPerSourceMustBePositive() {
    assertThrows(IllegalArgumentException.class,
        () -> new SourceLimits.Settings(1, 1, 1, 1, 0, Set.of()));
  }
}
