package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;

/**
 * The server against a client that behaves exactly like the 2018 Python program: it sends the bytes
 * {@code json.dumps} writes, advertises host {@code localhost}, and reads each reply with one
 * {@code recv(1024)} followed by {@code json.loads}.
 */
class Wire2018Test {
  @TempDir
  Path dir;

  private RendezvousServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = RendezvousServer.builder().port(0).stateFile(dir.resolve("state.jsonl")).build().start();
  }

  @AfterEach
  void stopServer() {
    server.stop(Duration.ofSeconds(5));
  }

  /** The 2018 peer's listening socket: accept, one recv(1024), json.loads. */
  static final class Client2018 implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final ServerSocket socket;

    Client2018() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      socket.setSoTimeout(5000);
    }

    int port() {
      return socket.getLocalPort();
    }

    /** The bytes of one recv(1024) on the next connection. */
    byte[] recv1024() throws IOException {
      try (Socket connection = socket.accept()) {
        connection.setSoTimeout(5000);
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[1024];
        int n = in.read(buffer, 0, 1024);
        return n < 0 ? new byte[0] : Arrays.copyOf(buffer, n);
      }
    }

    /** recv(1024) then json.loads, as the 2018 receiving thread does. */
    JsonNode receive() throws IOException {
      return JSON.readTree(recv1024());
    }

    /** Nothing arrives within {@code millis}. */
    void expectNothing(int millis) throws IOException {
      socket.setSoTimeout(millis);
      try (Socket connection = socket.accept()) {
        throw new AssertionError("expected no connection but " + connection.getRemoteSocketAddress() + " connected");
      } catch (SocketTimeoutException expected) {
        // Silence is what the 2018 server gave here.
      } finally {
        socket.setSoTimeout(5000);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** What Python 3's json.dumps writes for a REGISTER from this client. */
  private static String register2018(String escapedName, int port) {
    return "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"" + escapedName
        + "\", \"host\": \"localhost\", \"port\": " + port + "}}";
  }

  private void send2018(String json) throws IOException {
    // s.send(json.dumps(msg).encode()); s.close()
    Raw.send(server.address(), json.getBytes(StandardCharsets.US_ASCII));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void answersRegisterWithTheBytesA2018ClientExpects() throws Exception {
    try (Client2018 alice = new Client2018(); Client2018 other = new Client2018()) {
      send2018(register2018("alice", alice.port()));
      assertEquals("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}", text(alice.recv1024()));

      send2018(register2018("alice", other.port()));
      assertEquals("{\"msgtype\": \"REGISTER_ERROR\", \"msgdata\": {}}", text(other.recv1024()));
    }
  }

  @Test
  void answersListpeerWithTheBytesA2018ClientExpects() throws Exception {
    try (Client2018 alice = new Client2018(); Client2018 nihao = new Client2018()) {
      send2018(register2018("alice", alice.port()));
      alice.recv1024();
      // json.dumps("你好") escapes it; the reply must carry the same escapes back.
      send2018(register2018("\\u4f60\\u597d", nihao.port()));
      nihao.recv1024();

      send2018("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"alice\"}}");

      assertEquals("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peerlist\": {\"alice\": [\"localhost\", "
          + alice.port() + "], \"\\u4f60\\u597d\": [\"localhost\", " + nihao.port() + "]}}}", text(alice.recv1024()));
    }
  }

  @Test
  void a2018ClientCanRegisterListAndExit() throws Exception {
    try (Client2018 alice = new Client2018(); Client2018 bob = new Client2018()) {
      send2018(register2018("alice", alice.port()));
      assertEquals("REGISTER_SUCCESS", alice.receive().get("msgtype").asText());
      send2018(register2018("bob", bob.port()));
      assertEquals("REGISTER_SUCCESS", bob.receive().get("msgtype").asText());

      send2018("{\"msgtype\": \"EXIT_NETWORK\", \"msgdata\": {\"peername\": \"alice\"}}");
      Poll.until(Duration.ofSeconds(5), () -> !server.registry().contains("alice"), () -> "alice still registered");
      send2018("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"bob\"}}");

      JsonNode reply = bob.receive();
      assertEquals("LISTPEER", reply.get("msgtype").asText());
      JsonNode peerlist = reply.get("msgdata").get("peerlist");
      assertEquals(1, peerlist.size());
      assertEquals("localhost", peerlist.get("bob").get(0).asText());
      assertEquals(bob.port(), peerlist.get("bob").get(1).asInt());
      alice.expectNothing(300);
    }
  }

  @Test
  void unregisteredListpeerGetsSilenceAsIn2018() throws Exception {
    try (Client2018 stranger = new Client2018()) {
      send2018(register2018("alice", stranger.port()));
      stranger.recv1024();
      send2018("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"bob\"}}");

      stranger.expectNothing(300);
      assertTrue(server.registry().contains("alice"));
      assertEquals(new HostPort("localhost", stranger.port()), server.registry().addressOf("alice").orElseThrow());
    }
  }
}
