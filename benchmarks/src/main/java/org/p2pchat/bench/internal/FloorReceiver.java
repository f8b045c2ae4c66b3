package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.protocol.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection floor's receiving end: one thread that accepts, reads to end of stream and closes,
 * nothing else. It keeps the same backlog (1024) and read deadline (10 s) as the SDK's listener, so the
 * two differ only in what the SDK does on top.
 */
public final class FloorReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(FloorReceiver.class);
  static final int BACKLOG = 1024;
  static final int READ_TIMEOUT_MILLIS = 10_000;

  private final Progress progress;
  private final AtomicLong rejected = new AtomicLong();
  private ServerSocket server;
  private Thread thread;

  public FloorReceiver(Progress progress) {
    this.progress = progress;
  }

  @Override
  public HostPort start() throws IOException {
    server = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
    thread = new Thread(this::acceptLoop, "floor-accept");
    thread.setDaemon(true);
    thread.start();
    return new HostPort("127.0.0.1", server.getLocalPort());
  }

  private void acceptLoop() {
    byte[] buffer = new byte[8192];
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
          total += n;
        }
        if (total > 0) {
          progress.increment();
        } else {
          rejected.incrementAndGet();
        }
      } catch (SocketException e) {
        if (!server.isClosed()) {
          rejected.incrementAndGet();
          log.warn("floor receiver: {}", e.toString());
        }
      } catch (IOException e) {
        rejected.incrementAndGet();
        log.warn("floor receiver: {}", e.toString());
      }
    }
  }

  @Override
  public Progress progress() {
    return progress;
  }

  @Override
  public long rejected() {
    return rejected.get();
  }

  @Override
  public void close() {
    try {
      server.close();
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (IOException e) {
      log.debug("closing floor receiver: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
