package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import org.p2pchat.sdk.Listener;

/**
 * The {@link Flaw#STALLS_ON_IDLE} transport: one thread accepts and reads each connection to its end in
 * turn, with no read timeout, so one idle or stalled sender blocks every later one. Deliberately wrong.
 */
final class BlockingTransport implements Transport {
  private final ServerSocket server;
  private final Thread thread;
  private volatile Listener.FrameSink sink;

  BlockingTransport() throws IOException {
    server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    thread = new Thread(this::serve, "broken-blocking-reader");
    thread.setDaemon(true);
  }

  @Override
  public void start(Listener.FrameSink frames) {
    this.sink = frames;
    thread.start();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        byte[] frame = in.readAllBytes();
        if (frame.length > 0) {
          sink.onFrame(frame, (InetSocketAddress) socket.getRemoteSocketAddress(), Instant.now());
        }
      } catch (IOException e) {
        // A reset connection or the socket being closed: on to the next one, or out of the loop.
      }
    }
  }

  @Override
  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing twice; nothing to do.
    }
  }
}
