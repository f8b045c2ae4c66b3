package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;

/**
 * A reader that advertised listpeer-page walks the whole registry page by page (after = the previous
 * next), each page bounded; from a source that does not own the reply address each page is also within
 * 20 bytes per request byte; a reader without the feature still gets one unpaged reply.
 */
class PagedListpeerTest {
  private static final int PEERS = 2_500;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Path stateWithPeers() throws Exception {
    Path state = dir.resolve("state.jsonl");
    StringBuilder file = new StringBuilder("{\"format\":\"p2pchat-server-state\",\"version\":1}\n");
    for (int i = 0; i < PEERS; i++) {
      file.append("{\"op\":\"register\",\"peername\":\"").append(String.format("peer-%05d", i))
          .append("\",\"host\":\"localhost\",\"port\":").append(1024 + i).append("}\n");
    }
    Files.writeString(state, file);
    return state;
  }

  private static String page(String name, Long after) {
    return "{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"" + name + "\""
        + (after == null ? "" : ", \"after\": " + after) + "}}";
  }

  /** Walks every page from {@code source}; returns the names in order, checking each page's bound. */
  private static List<String> walk(Replies replies, HostPort to, InetAddress source, int maxBytesPerRequestByte)
      throws Exception {
    List<String> names = new ArrayList<>();
    Long after = null;
    int pages = 0;
    while (true) {
      String request = page("reader", after);
      Replies.sendFrom(source, to, request);
      byte[] reply = replies.next(10);
      assertTrue(reply.length <= 64 * 1024, "a page is at most 64 KiB: " + reply.length);
      if (maxBytesPerRequestByte > 0) {
        assertTrue(reply.length <= maxBytesPerRequestByte * request.getBytes(StandardCharsets.UTF_8).length,
            reply.length + " bytes for " + request.length());
      }
      JsonNode data = JSON.readTree(reply).path("msgdata");
      JsonNode peerlist = data.path("peerlist");
      assertTrue(peerlist.size() >= 1 && peerlist.size() <= 1_000, "page size " + peerlist.size());
      for (Iterator<String> it = peerlist.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      pages++;
      assertTrue(pages < 10_000, "the walk ends");
      if (!data.has("next")) {
        return names;
      }
      assertEquals(names.size(), data.get("next").asLong(), "next is the position after this page");
      after = data.get("next").asLong();
    }
  }

  @Test
  void aPagedReaderWalksTheWholeRegistryInOrder() throws Exception {
    InetAddress owner = InetAddress.getByName("127.0.0.1");
    InetAddress stranger = InetAddress.getByName("127.0.0.2");
    // The stranger walks about 80 small pages: exempt from the LISTPEER rate, not from the 20x bound.
    try (Replies replies = new Replies();
        RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1").stateFile(stateWithPeers())
            .exemptSources(java.util.Set.of(stranger)).build().start()) {
      HostPort to = server.address();
      Replies.sendFrom(owner, to, Replies.register("reader", "127.0.0.1", replies.port(), "listpeer-page"));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"));

      List<String> names = walk(replies, to, owner, 0);
      assertEquals(PEERS + 1, names.size());
      for (int i = 0; i < PEERS; i++) {
        assertEquals(String.format("peer-%05d", i), names.get(i));
      }
      assertEquals("reader", names.get(PEERS));

      // From a source that does not own 127.0.0.1 (so at most 20x), every page is still served in order.
      List<String> bounded = walk(replies, to, stranger, 20);
      assertEquals(names, bounded);
    }
  }

  @Test
  void aReaderWithoutTheFeatureGetsNoPages() throws Exception {
    try (Replies replies = new Replies();
        RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1").stateFile(stateWithPeers())
            .build().start()) {
      HostPort to = server.address();
      Raw.send(to, Replies.register("reader", "127.0.0.1", replies.port(), "eof"));
      assertTrue(replies.nextText(10).contains("REGISTER_SUCCESS"));
      Raw.send(to, page("reader", 5L));
      JsonNode data = JSON.readTree(replies.next(10)).path("msgdata");
      assertFalse(data.has("next"));
      assertEquals(PEERS + 1, data.path("peerlist").size(), "after is ignored: the whole list");
    }
  }
}
