package org.p2pchat.peer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;

/**
 * Receives like the 2018 program: accept, one {@code recv(1024)}, close. What a test takes from it is
 * exactly what that single read returned.
 */
final class OneRecvReceiver implements AutoCloseable {
  private final ServerSocket server;
  private final LinkedBlockingQueue<byte[]> reads = new LinkedBlockingQueue<>();
  private final Thread thread;

  OneRecvReceiver() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread = new Thread(this::acceptLoop, "one-recv-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getLocalPort());
  }

  /** The bytes of the next connection's single read, or null if none came within {@code timeout}. */
  byte[] take(Duration timeout) throws InterruptedException {
    return reads.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        int n = in.read(buffer);
        reads.add(n <= 0 ? new byte[0] : Arrays.copyOf(buffer, n));
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        reads.add(new byte[0]);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
