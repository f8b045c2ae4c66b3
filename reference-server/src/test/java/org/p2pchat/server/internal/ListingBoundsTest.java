package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

/** The pure parts of LISTPEER bounding: who owns a reply address, request size, fitting and pages. */
class ListingBoundsTest {
  private static LinkedHashMap<String, HostPort> peers(int n) {
    LinkedHashMap<String, HostPort> peers = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      peers.put(String.format("p%04d", i), new HostPort("localhost", 1000 + i));
    }
    return peers;
  }

  @Test
  void ownershipIsTheSameLiteralOrLoopbackForLocalhost() throws Exception {
    InetAddress one = InetAddress.getByName("127.0.0.1");
    InetAddress two = InetAddress.getByName("127.0.0.2");
    InetAddress lan = InetAddress.getByName("192.0.2.7");
    assertTrue(RendezvousHandlers.ownsAddress(new HostPort("127.0.0.1", 1), one));
    assertFalse(RendezvousHandlers.ownsAddress(new HostPort("127.0.0.1", 1), two));
    assertTrue(RendezvousHandlers.ownsAddress(new HostPort("localhost", 1), two), "any loopback for localhost");
    assertTrue(RendezvousHandlers.ownsAddress(new HostPort("LOCALHOST", 1), one));
    assertFalse(RendezvousHandlers.ownsAddress(new HostPort("localhost", 1), lan));
    assertTrue(RendezvousHandlers.ownsAddress(new HostPort("192.0.2.7", 1), lan));
    assertFalse(RendezvousHandlers.ownsAddress(new HostPort("example.org", 1), lan), "names are never resolved");
    assertFalse(RendezvousHandlers.ownsAddress(new HostPort("dead", 1), lan), "hex-looking names too");
    assertTrue(RendezvousHandlers.ownsAddress(new HostPort("::1", 1), InetAddress.getByName("::1")));
    assertTrue(RendezvousHandlers.ownsAddress(new HostPort("[::1]", 1), InetAddress.getByName("::1")));
    assertFalse(RendezvousHandlers.ownsAddress(new HostPort("::2", 1), InetAddress.getByName("::1")));
  }

  @Test
  void requestBytesAreTheCompactEncoding() throws Exception {
    String compact = "{\"msgtype\":\"LISTPEER\",\"msgdata\":{\"peername\":\"alice\"}}";
    assertEquals(compact.length(), RendezvousHandlers.requestBytes(new ObjectMapper().readTree(
        "{ \"msgtype\" : \"LISTPEER\",   \"msgdata\": {\"peername\": \"alice\"} }")));
  }

  @Test
  void fitTakesTheLongestPrefixWithinTheBudget() {
    LinkedHashMap<String, HostPort> all = peers(50);
    int whole = Listing2018.size(all);
    assertEquals(all, Listing2018.fit(all, whole, Listing2018::size), "exactly the budget: whole");
    LinkedHashMap<String, HostPort> cut = Listing2018.fit(all, whole - 1, Listing2018::size);
    assertEquals(49, cut.size(), "one byte less: the newest left off");
    for (long budget : new long[] {100, 500, 1024}) {
      LinkedHashMap<String, HostPort> fitted = Listing2018.fit(all, budget, Listing2018::size);
      assertTrue(Listing2018.size(fitted) <= budget);
      LinkedHashMap<String, HostPort> oneMore = peers(fitted.size() + 1);
      assertTrue(Listing2018.size(oneMore) > budget, "the longest that fits, budget " + budget);
      assertEquals(List.copyOf(all.keySet()).subList(0, fitted.size()), List.copyOf(fitted.keySet()));
    }
    assertTrue(Listing2018.fit(all, 5, Listing2018::size).isEmpty(), "nothing fits");
    assertTrue(Listing2018.size(Listing2018.fit(peers(5_000))) <= Listing2018.MAX_BYTES);
  }

  @Test
  void pagesWalkTheListingWithoutGapsOrRepeats() {
    LinkedHashMap<String, HostPort> all = peers(2_345);
    RendezvousHandlers.Page first = RendezvousHandlers.page(all, null, Long.MAX_VALUE, Listing2018::size);
    assertEquals(0, first.after());
    assertEquals(RendezvousHandlers.PAGE_ENTRIES, first.peers().size());
    assertEquals(Long.valueOf(1_000), first.next());
    RendezvousHandlers.Page last = RendezvousHandlers.page(all, 2_000L, Long.MAX_VALUE, Listing2018::size);
    assertEquals(345, last.peers().size());
    assertNull(last.next(), "the last page has no next");
    assertEquals("p2000", last.peers().keySet().iterator().next());
    RendezvousHandlers.Page beyond = RendezvousHandlers.page(all, 9_999L, Long.MAX_VALUE, Listing2018::size);
    assertTrue(beyond.peers().isEmpty());
    assertNull(beyond.next());
    RendezvousHandlers.Page small = RendezvousHandlers.page(all, 10L, 500, Listing2018::size);
    assertTrue(Listing2018.size(small.peers()) <= 500);
    assertEquals(Long.valueOf(10 + small.peers().size()), small.next());
    assertEquals("p0010", small.peers().keySet().iterator().next());
    RendezvousHandlers.Page none = RendezvousHandlers.page(all, 0L, 5, Listing2018::size);
    assertTrue(none.peers().isEmpty());
    assertNull(none.next(), "no next for an empty page: a reader never loops on one position");
    assertEquals(0, RendezvousHandlers.page(all, -5L, Long.MAX_VALUE, Listing2018::size).after());
    assertTrue(Listing2018.size(RendezvousHandlers.page(peers(1_000), 0L, Long.MAX_VALUE, Listing2018::size)
        .peers()) <= RendezvousHandlers.PAGE_BYTES);
  }
}
