package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Register;

class SenderTest {
  @Test
  void whatWeSendIsReadWholeByASingle1024ByteReadLikeThe2018Receiver() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sender sender = Sender.builder().build()) {
      ChatMessage sent = new ChatMessage().withPeername("patchouli").withMessage("\u4f60\u597d, a message with some length to it");
      CompletableFuture<Void> done = sender.sendAsync(new HostPort("127.0.0.1", server.getLocalPort()), sent);
      server.setSoTimeout(10_000);
      try (Socket s = server.accept()) {
        done.get(10, TimeUnit.SECONDS);
        byte[] buf = new byte[1024];
        InputStream in = s.getInputStream();
        int n = in.read(buf);  // recv(1024), once, as the 2018 program does
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        JsonNode tree = WireJson.mapper().readTree(text);
        assertEquals("CHAT_MESSAGE", tree.get("msgtype").asText());
        assertEquals(sent.getMessage(), tree.get("msgdata").get("message").asText());
        assertTrue(text.startsWith("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"patchouli\", "),
            "Python json.dumps form: " + text);
        assertTrue(text.chars().allMatch(c -> c < 128), "non-ASCII escaped: " + text);
        assertEquals(-1, in.read(), "nothing after the message: no framing of our own");
      }
    }
  }

  @Test
  void refusedConnectionIsATypedError() throws Exception {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = probe.getLocalPort();
    }
    try (Sender sender = Sender.builder().build()) {
      SendException e = assertThrows(SendException.class, () ->
          sender.send(new HostPort("127.0.0.1", freePort), new ChatMessage().withPeername("a").withMessage("b")));
      assertEquals(SendException.Reason.REFUSED, e.reason());
      assertTrue(e.getMessage().contains("CHAT_MESSAGE") && e.getMessage().contains("127.0.0.1:" + freePort),
          e.getMessage());
    }
  }

  @Test
  void unknownHostIsATypedError() throws Exception {
    // .invalid is reserved (RFC 2606): it never resolves.
    try (Sender sender = Sender.builder().build()) {
      SendException e = assertThrows(SendException.class, () ->
          sender.send(new HostPort("no-such-peer.invalid", 4000), new ChatMessage().withPeername("a").withMessage("b")));
      assertEquals(SendException.Reason.UNKNOWN_HOST, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("no-such-peer.invalid"), e.getMessage());
    }
  }

  @Test
  void invalidOutgoingMessageIsNotSent() throws Exception {
    try (Recorder r = Recorder.start(); Sender sender = Sender.builder().build()) {
      SendException e = assertThrows(SendException.class, () ->
          sender.send(r.address(), new Register().withPeername("alice").withHost("localhost").withPort(70000)));
      assertEquals(SendException.Reason.INVALID_MESSAGE, e.reason());
      assertTrue(e.getMessage().contains("/msgdata/port"), e.getMessage());
      assertEquals(null, r.rejections.poll(300, TimeUnit.MILLISECONDS), "nothing reached the listener");
    }
  }

  @Test
  void oversizedMessageIsNotSent() throws Exception {
    try (Sender sender = Sender.builder().maxBytes(100).build()) {
      SendException e = assertThrows(SendException.class, () ->
          sender.send(new HostPort("127.0.0.1", 9), new ChatMessage().withPeername("a").withMessage("x".repeat(200))));
      assertEquals(SendException.Reason.OVERSIZED, e.reason());
    }
  }

  @Test
  void oversizedMessageThroughANodeIsReportedAsOversized() throws Exception {
    try (Node node = Node.builder().maxSendBytes(1024).build().start()) {
      SendException e = assertThrows(SendException.class, () ->
          node.send(node.address(), new ChatMessage().withPeername("a").withMessage("x".repeat(2000))));
      assertEquals(SendException.Reason.OVERSIZED, e.reason(), e.getMessage());
    }
  }

  @Test
  void asyncSendFailureCompletesTheFutureExceptionally() throws Exception {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = probe.getLocalPort();
    }
    try (Sender sender = Sender.builder().build()) {
      CompletableFuture<Void> f = sender.sendAsync(new HostPort("127.0.0.1", freePort),
          new ChatMessage().withPeername("a").withMessage("b"));
      ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
      assertEquals(SendException.Reason.REFUSED, ((SendException) e.getCause()).reason());
    }
  }
}
