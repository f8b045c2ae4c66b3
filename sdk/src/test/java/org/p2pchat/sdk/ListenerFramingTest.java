package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.model.ChatMessage;

class ListenerFramingTest {
  private static final String TEXT = Recorder.chat("alice", "Hello, alice. \\u4f60\\u597d");

  @Test
  void decodesInputDeliveredOneByteAtATime() throws Exception {
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    try (Recorder r = Recorder.start(); Socket s = r.connect()) {
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      for (byte b : bytes) {
        out.write(b);
        out.flush();
      }
      s.shutdownOutput();
      ChatMessage m = r.nextMessage();
      assertEquals("alice", m.getPeername());
      assertEquals("Hello, alice. \u4f60\u597d", m.getMessage());
    }
  }

  @Test
  void decodesTheSameWhenSplitAtEveryOffset() throws Exception {
    // Raw UTF-8 this time, so some cuts fall inside a multi-byte character.
    byte[] bytes = Recorder.chat("bob", "caf\u00e9 \u4f60\u597d").getBytes(StandardCharsets.UTF_8);
    try (Recorder r = Recorder.start()) {
      for (int cut = 1; cut < bytes.length; cut++) {
        r.sendInPieces(bytes, cut);
        ChatMessage m = r.nextMessage();
        assertEquals("caf\u00e9 \u4f60\u597d", m.getMessage(), "split at byte " + cut);
      }
      assertTrue(r.rejections.isEmpty(), "no rejections: " + r.rejections);
    }
  }

  @Test
  void acceptsTheBytesThe2018ProgramWrites() throws Exception {
    String python = "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"patchouli\", "
        + "\"message\": \"\\u4f60\\u597d, alice.\"}}";
    try (Recorder r = Recorder.start()) {
      r.sendRaw(python.getBytes(StandardCharsets.US_ASCII));
      ChatMessage m = r.nextMessage();
      assertEquals("patchouli", m.getPeername());
      assertEquals("\u4f60\u597d, alice.", m.getMessage());
    }
  }

  @Test
  void handlersRunOnWorkerThreadsNotTheIoThread() throws Exception {
    try (Recorder r = Recorder.start()) {
      r.sendRaw(TEXT);
      r.nextMessage();
      String thread = r.threads.poll();
      assertTrue(thread != null && thread.startsWith("test-worker-"), "ran on " + thread);
    }
  }
}
