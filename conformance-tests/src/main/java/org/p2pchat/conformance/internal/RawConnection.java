package org.p2pchat.conformance.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;

/**
 * One TCP connection to the target that the suite controls byte by byte: for messages sent whole, cut
 * short, held open or never written. Every blocking step has a bound: connect has a timeout, writes have
 * a watchdog that closes the socket, reads have a socket timeout.
 */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;
  private final ScheduledExecutorService guards;

  private RawConnection(Socket socket, ScheduledExecutorService guards) {
    this.socket = socket;
    this.guards = guards;
  }

  /**
   * Connects {@code socket} (possibly bound already) to the target.
   *
   * @throws TargetDownException if the target refuses, cannot be reached or does not accept in time
   */
  static RawConnection connect(Socket socket, HostPort target, Duration timeout, ScheduledExecutorService guards)
      throws TargetDownException {
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
      return new RawConnection(socket, guards);
    } catch (ConnectException | NoRouteToHostException | SocketTimeoutException | UnknownHostException e) {
      closeQuietly(socket);
      throw new TargetDownException("cannot connect to the target " + target + ": " + e.getMessage(), e);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new TargetDownException("cannot connect to the target " + target + ": " + e, e);
    }
  }

  /** Writes all of {@code bytes}; a write still blocked after {@code timeout} is ended by closing the socket. */
  public void write(byte[] bytes, Duration timeout) throws IOException {
    ScheduledFuture<?> guard = guards.schedule(this::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } finally {
      guard.cancel(false);
    }
  }

  /** Ends our side of the stream: the target sees end of message. */
  public void finish() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * Reads what the target sends back on this connection until it closes, or until {@code timeout}
   * passes; at most 64 KiB.
   */
  public byte[] readBack(Duration timeout) {
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buffer = new byte[4096];
    try {
      InputStream in = socket.getInputStream();
      while (back.size() < 64 * 1024) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        socket.setSoTimeout((int) left);
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        back.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // A timeout or a reset both mean nothing more comes back; what did come is kept.
    }
    return back.toByteArray();
  }

  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is the last step; there is nothing left to do about a failure.
    }
  }
}
