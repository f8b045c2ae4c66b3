package org.p2pchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;

/**
 * A 2018 program's listening side, as the 2018 code does it: accept, ONE read of at most 1,024 bytes, close,
 * json.loads, dispatch on msgtype. What it would choke on (an unknown msgtype, no msgdata, a missing key it reads,
 * bytes that are not one JSON document) ends its receiver for good, recorded in {@link #died}; so what it is sent
 * is judged by what would kill or confuse the real program. It sends as 2018 does with {@link #send}. Bound to
 * 127.0.0.1 on a free port. Thread-safe.
 */
public final class Receiver2018 implements AutoCloseable {
  /** What the 2018 receiver knows how to handle. */
  public static final Set<String> TYPES_2018 = Set.of("REGISTER_SUCCESS", "REGISTER_ERROR", "LISTPEER",
      "CHAT_REQUEST", "CHAT_ACCEPT", "CHAT_REFUSE", "CHAT_MESSAGE", "DISCONNECT");
  /** The identity fields (docs/identity.md section 4) that must never reach a 2018 program in a reply. */
  public static final Set<String> IDENTITY_FIELDS = Set.of("idkey", "ephkey", "nonce", "sig", "ts", "to", "re",
      "keys", "seq", "box");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(400);

  public final String name;
  private final ServerSocket socket;
  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  /** The text of every single read, in order. */
  public final List<String> raw = new CopyOnWriteArrayList<>();
  /** The msgtype of every message read (also one that killed the receiver; "?" if there was none), in order. */
  public final List<String> types = new CopyOnWriteArrayList<>();
  /** Why the receiver died, or null while it lives. */
  public volatile String died;

  public Receiver2018(String name) throws IOException {
    this.name = name;
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread loop = new Thread(this::serve, "2018-" + name);
    loop.setDaemon(true);
    loop.start();
  }

  public HostPort address() {
    return new HostPort("127.0.0.1", socket.getLocalPort());
  }

  private void serve() {
    while (died == null) {
      byte[] data;
      try (Socket connection = socket.accept()) {
        connection.setSoTimeout(5_000);
        byte[] buffer = new byte[1024];
        InputStream in = connection.getInputStream();
        int n = in.read(buffer); // the 2018 receiver's single recv(1024)
        data = Arrays.copyOf(buffer, Math.max(n, 0));
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        died = "read failed: " + e;
        return;
      }
      String text = new String(data, StandardCharsets.UTF_8);
      raw.add(text);
      try {
        JsonNode msg = JSON.readTree(text);
        String type = msg.get("msgtype").asText();
        types.add(type);
        JsonNode d = msg.get("msgdata");
        if (!TYPES_2018.contains(type) || d == null || !d.isObject()) {
          died = "unknown msgtype or no msgdata: " + text;
          return;
        }
        // The keys the 2018 program reads; a missing one is its KeyError.
        if (type.equals("CHAT_MESSAGE") && !(d.has("peername") && d.has("message"))) {
          died = "CHAT_MESSAGE without peername/message: " + text;
          return;
        }
        if (type.equals("CHAT_REQUEST") && !(d.has("peername") && d.has("host") && d.has("port"))) {
          died = "CHAT_REQUEST without peername/host/port: " + text;
          return;
        }
        if (type.equals("LISTPEER") && !d.path("peerlist").isObject()) {
          died = "LISTPEER reply without peerlist: " + text;
          return;
        }
        received.add(msg);
      } catch (IOException | NullPointerException e) {
        if (types.size() < raw.size()) {
          types.add("?");
        }
        died = "json.loads failed (" + data.length + " bytes read): " + text;
        return;
      }
    }
  }

  /** The next message it handled, which must be of {@code type}, within 10 s. */
  public JsonNode expect(String type) throws InterruptedException {
    return expect(type, WAIT);
  }

  /** The next message it handled, which must be of {@code type}, within {@code timeout}. */
  public JsonNode expect(String type, Duration timeout) throws InterruptedException {
    JsonNode msg = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (msg == null) {
      throw new AssertionError(name + " received no " + type + (died != null ? "; its receiver died: " + died : ""));
    }
    if (!type.equals(msg.get("msgtype").asText())) {
      throw new AssertionError(name + " expected " + type + " but received " + msg);
    }
    return msg;
  }

  /** Nothing handled for 400 ms. */
  public void expectNothing() throws InterruptedException {
    expectNothing(QUIET);
  }

  /** Nothing handled for {@code quiet}. */
  public void expectNothing(Duration quiet) throws InterruptedException {
    JsonNode msg = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    if (msg != null) {
      throw new AssertionError(name + " received " + msg);
    }
  }

  /** Sends as the 2018 program does: json.dumps, one connection, sendall, close. */
  public static void send(HostPort to, String msgtype, String msgdataJson) throws IOException {
    try (Socket s = new Socket(to.host(), to.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("{\"msgtype\": \"" + msgtype + "\", \"msgdata\": " + msgdataJson + "}")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
