package org.p2pchat.bench.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;

/**
 * A diagnostic, not a way to use the SDK: its {@link Listener} and {@link Dispatcher} wired with no
 * worker pool, so each message is decoded, validated and dispatched on the I/O thread. Set against the
 * SDK's own node it shows what handing each message to a worker thread costs.
 */
public final class InlineReceiver implements Receiver {
  private final Progress progress;
  private final AtomicLong rejected = new AtomicLong();
  private Listener listener;

  public InlineReceiver(Progress progress) {
    this.progress = progress;
  }

  @Override
  public HostPort start() throws IOException {
    Dispatcher dispatcher = new Dispatcher()
        .on(ChatMessage.class, (message, context) -> progress.increment())
        .onError(rejection -> rejected.incrementAndGet());
    listener = Listener.builder().build().start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        dispatcher.dispatch(frame, remote, receivedAt);
      }

      @Override
      public void onRejected(Rejection rejection) {
        dispatcher.reject(rejection);
      }
    });
    return listener.address();
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
    listener.close();
  }
}
