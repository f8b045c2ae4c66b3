package org.p2pchat.sdk;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;

/** A node under test that records every CHAT_MESSAGE and every rejection, with helpers to poke at it. */
final class Recorder implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  final LinkedBlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<Rejection> rejections = new LinkedBlockingQueue<>();
  final Node node;

  Recorder(Node.Builder builder) throws IOException {
    Dispatcher dispatcher = new Dispatcher()
        .on(ChatMessage.class, (msg, ctx) -> {
          threads.add(Thread.currentThread().getName());
          messages.add(msg);
        })
        .onError(rejections::add);
    node = builder.dispatcher(dispatcher).build().start();
  }

  static Recorder start() throws IOException {
    return new Recorder(Node.builder().name("test"));
  }

  HostPort address() {
    return node.address();
  }

  ChatMessage nextMessage() throws InterruptedException {
    ChatMessage m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (m == null) {
      throw new AssertionError("no CHAT_MESSAGE dispatched within " + WAIT + "; rejections: " + rejections);
    }
    return m;
  }

  Rejection nextRejection() throws InterruptedException {
    Rejection r = rejections.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no rejection reported within " + WAIT);
    }
    return r;
  }

  /** Writes raw bytes on one connection and closes it. */
  void sendRaw(byte[] bytes) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(bytes);
    }
  }

  void sendRaw(String text) throws IOException {
    sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes the bytes in the given pieces, flushing each, then closes. */
  void sendInPieces(byte[] bytes, int... cuts) throws IOException {
    try (Socket s = connect()) {
      s.setTcpNoDelay(true);
      OutputStream out = s.getOutputStream();
      int from = 0;
      for (int cut : cuts) {
        out.write(bytes, from, cut - from);
        out.flush();
        from = cut;
      }
      out.write(bytes, from, bytes.length - from);
      out.flush();
    }
  }

  /** Writes raw bytes on one connection from {@code source} (another loopback address: another host). */
  void sendRawFrom(String source, String text) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new java.net.InetSocketAddress(source, 0));
      s.connect(new java.net.InetSocketAddress("127.0.0.1", address().port()), 5000);
      s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new java.net.InetSocketAddress("127.0.0.1", address().port()), 5000);
    return s;
  }

  static String chat(String name, String text) {
    return "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"" + name + "\", \"message\": \"" + text + "\"}}";
  }

  @Override
  public void close() {
    node.close();
  }
}
