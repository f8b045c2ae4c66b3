package org.p2pchat.bench.internal;

import java.io.IOException;
import java.time.Duration;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Node;

/**
 * Our receiving end: an SDK {@link Node} with its defaults and one CHAT_MESSAGE handler, so each message
 * is read, decoded, validated (unless turned off) and dispatched exactly as a peer would.
 */
public final class SdkReceiver implements Receiver {
  private final boolean validate;
  private final int workers;
  private final Progress progress;
  private Node node;

  /** A node with its default worker pool. */
  public SdkReceiver(boolean validate, Progress progress) {
    this(validate, 0, progress);
  }

  /** A node with {@code workers} worker threads (0: the default). */
  public SdkReceiver(boolean validate, int workers, Progress progress) {
    this.validate = validate;
    this.workers = workers;
    this.progress = progress;
  }

  @Override
  public HostPort start() throws IOException {
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (message, context) -> {
      if (message.getMessage() != null) {
        progress.increment();
      }
    });
    Node.Builder builder = Node.builder()
        .name("bench-sdk")
        .validateIncoming(validate)
        .dispatcher(dispatcher);
    if (workers > 0) {
      builder.workerThreads(workers);
    }
    node = builder.build().start();
    return node.address();
  }

  @Override
  public Progress progress() {
    return progress;
  }

  @Override
  public long rejected() {
    return node.counters().rejectedTotal();
  }

  @Override
  public void close() {
    node.stop(Duration.ofSeconds(5));
  }
}
