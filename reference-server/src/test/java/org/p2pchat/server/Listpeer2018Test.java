package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2018 client reads its LISTPEER reply with one recv(1024): with 5,000 peers registered, the reply to
 * a requester that advertised no features is at most 1,024 bytes, valid JSON, the oldest peers first.
 */
class Listpeer2018Test {
  private static final int PEERS = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aFeaturelessRequesterGetsTheOldestPeersThatFitInOneRead() throws Exception {
    Path state = dir.resolve("state.jsonl");
    try (BufferedWriter out = Files.newBufferedWriter(state, StandardCharsets.UTF_8)) {
      out.write("{\"format\":\"p2pchat-server-state\",\"version\":1}\n");
      for (int i = 0; i < PEERS; i++) {
        out.write("{\"op\":\"register\",\"peername\":\"" + String.format("peer-%06d", i)
            + "\",\"host\":\"localhost\",\"port\":" + (1024 + i) + "}\n");
      }
    }
    try (RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1").stateFile(state).build()
        .start();
        ServerSocket reader = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      reader.setSoTimeout(30_000);
      Raw.send(server.address(), "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"old\", \"host\": "
          + "\"127.0.0.1\", \"port\": " + reader.getLocalPort() + "}}");
      assertTrue(recv1024(reader).contains("REGISTER_SUCCESS"));
      Raw.send(server.address(), "{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"old\"}}");
      String reply = recv1024(reader);

      assertTrue(reply.getBytes(StandardCharsets.UTF_8).length <= 1024, reply);
      JsonNode tree = JSON.readTree(reply); // what the 2018 json.loads does: the one read decodes
      JsonNode peerlist = tree.path("msgdata").path("peerlist");
      assertTrue(peerlist.isObject() && peerlist.size() > 10, reply);
      assertTrue(peerlist.size() < PEERS, reply);
      Iterator<String> names = peerlist.fieldNames();
      for (int i = 0; names.hasNext(); i++) {
        assertEquals(String.format("peer-%06d", i), names.next(), "oldest first, newest left off");
      }
      assertEquals(PEERS + 1, server.registry().size());
    }
  }

  /** One connection's bytes as the 2018 program sees them: a single recv(1024); the rest must be empty. */
  private static String recv1024(ServerSocket reader) throws Exception {
    try (Socket s = reader.accept()) {
      s.setSoTimeout(30_000);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        all.write(buf, 0, n);
      }
      byte[] bytes = all.toByteArray();
      assertTrue(bytes.length <= 1024, () -> "reply of " + bytes.length + " bytes: a recv(1024) would cut it");
      return new String(Arrays.copyOf(bytes, bytes.length), StandardCharsets.UTF_8);
    }
  }
}
