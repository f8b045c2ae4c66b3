package org.p2pchat.conformance.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Instant;
import java.util.function.Consumer;
import org.p2pchat.protocol.MessageValidator;

/**
 * A listener on the very port a message is sent from. The protocol says replies go to the advertised
 * address, never to the connection's source address; a target that answers the source address is caught
 * here instead of going unnoticed. Built on SO_REUSEPORT, which lets the outgoing socket and this listener
 * share the port; where the platform lacks it, {@link #open} returns null and the message is sent from an
 * ordinary ephemeral port.
 */
final class Trap implements AutoCloseable {
  private final ServerSocket server;
  private final Socket client;
  private final Thread thread;

  private Trap(ServerSocket server, Socket client, Thread thread) {
    this.server = server;
    this.client = client;
    this.thread = thread;
  }

  /** A bound, unconnected client socket and a listener on its port; null if the platform cannot share ports. */
  static Trap open(String bindHost, MessageValidator validator, WireLog log, Consumer<Arrival> inbox)
      throws IOException {
    Socket client = new Socket();
    ServerSocket server = new ServerSocket();
    try {
      client.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    } catch (UnsupportedOperationException e) {
      client.close();
      server.close();
      return null;
    }
    try {
      client.bind(new InetSocketAddress(bindHost, 0));
      server.bind(new InetSocketAddress(bindHost, client.getLocalPort()), 16);
    } catch (IOException e) {
      client.close();
      server.close();
      throw e;
    }
    String label = "source address :" + client.getLocalPort();
    Thread thread = new Thread(() -> serve(server, label, validator, log, inbox), "conformance-trap-"
        + client.getLocalPort());
    thread.setDaemon(true);
    thread.start();
    return new Trap(server, client, thread);
  }

  private static void serve(ServerSocket server, String label, MessageValidator validator, WireLog log,
      Consumer<Arrival> inbox) {
    while (!server.isClosed()) {
      try (Socket connection = server.accept()) {
        connection.setSoTimeout(5_000);
        byte[] bytes = readAll(connection.getInputStream(), validator.maxBytes());
        Instant at = Instant.now();
        log.received(label, bytes, at);
        inbox.accept(new Arrival(label, bytes, validator.validate(bytes), at));
      } catch (IOException e) {
        if (!server.isClosed()) {
          log.note(label + ": " + e.getMessage());
        }
      }
    }
  }

  private static byte[] readAll(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while (out.size() <= max && (n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** The client socket to send from, bound to the trapped port. */
  Socket client() {
    return client;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Only fails if already closed: the trap is shut either way.
    }
    RawConnection.closeQuietly(client);
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
