package org.p2pchat.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.p2pchat.protocol.HostPort;

/** Plain-socket senders, for bytes the SDK would never write and for behaving like a 2018 program. */
final class Raw {
  private Raw() {}

  /** Connects, writes {@code bytes} in one write, closes: what the 2018 program does. */
  static void send(HostPort to, byte[] bytes) throws IOException {
    try (Socket socket = connect(to)) {
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
    }
  }

  static void send(HostPort to, String text) throws IOException {
    send(to, text.getBytes(StandardCharsets.UTF_8));
  }

  static Socket connect(HostPort to) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(to.host(), to.port()), 2000);
    socket.setSoTimeout(2000);
    return socket;
  }
}
