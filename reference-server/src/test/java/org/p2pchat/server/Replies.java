package org.p2pchat.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;

/** A peer's listener that keeps every reply's bytes, and plain sends from a chosen loopback source. */
final class Replies implements AutoCloseable {
  final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
  private final Listener listener;

  Replies() throws IOException {
    listener = Listener.builder().build().start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        frames.add(frame);
      }

      @Override
      public void onRejected(Rejection rejection) {
        frames.add(("rejected: " + rejection).getBytes(StandardCharsets.UTF_8));
      }
    });
  }

  int port() {
    return listener.address().port();
  }

  /** The next reply, or an AssertionError after {@code seconds}. */
  byte[] next(int seconds) throws InterruptedException {
    byte[] frame = frames.poll(seconds, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no reply within " + seconds + " s");
    }
    return frame;
  }

  String nextText(int seconds) throws InterruptedException {
    return new String(next(seconds), StandardCharsets.UTF_8);
  }

  /** Connects from {@code source}, writes {@code json} in one write, closes. */
  static void sendFrom(InetAddress source, HostPort to, String json) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(source, 0));
      s.connect(new InetSocketAddress(to.host(), to.port()), 5_000);
      OutputStream out = s.getOutputStream();
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  static String register(String name, String host, int port) {
    return "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"" + name + "\", \"host\": \"" + host
        + "\", \"port\": " + port + "}}";
  }

  static String register(String name, String host, int port, String feature) {
    return "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"" + name + "\", \"host\": \"" + host
        + "\", \"port\": " + port + ", \"features\": [\"" + feature + "\"]}}";
  }

  static String listpeer(String name) {
    return "{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"" + name + "\"}}";
  }

  static String exit(String name) {
    return "{\"msgtype\": \"EXIT_NETWORK\", \"msgdata\": {\"peername\": \"" + name + "\"}}";
  }

  @Override
  public void close() {
    listener.close();
  }
}
