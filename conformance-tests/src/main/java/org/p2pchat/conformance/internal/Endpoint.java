package org.p2pchat.conformance.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;

/**
 * One simulated peer's listening address: an SDK {@link Listener} whose every complete connection becomes
 * an {@link Arrival} in the harness's inbox, labelled with this endpoint's name.
 */
public final class Endpoint implements AutoCloseable {
  private final String label;
  private final Listener listener;
  private final HostPort advertised;

  private Endpoint(String label, Listener listener, HostPort advertised) {
    this.label = label;
    this.listener = listener;
    this.advertised = advertised;
  }

  static Endpoint start(String name, Settings settings, MessageValidator validator, WireLog log,
      Consumer<Arrival> inbox) throws IOException {
    Listener listener = Listener.builder()
        .host(settings.bindHost())
        .port(0)
        .maxBytes(validator.maxBytes())
        .readTimeout(settings.replyTimeout().plus(Duration.ofSeconds(5)))
        .build();
    String[] label = new String[1];
    listener.start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        log.received(label[0], frame, receivedAt);
        inbox.accept(new Arrival(label[0], frame, validator.validate(frame), receivedAt));
      }

      @Override
      public void onRejected(Rejection rejection) {
        log.note(label[0] + ": " + rejection.reason() + " " + rejection.detail());
      }
    });
    HostPort advertised = new HostPort(settings.advertiseHost(), listener.address().port());
    label[0] = name + " " + advertised;
    return new Endpoint(label[0], listener, advertised);
  }

  /** The name and address, as wire logs and verdicts show it. */
  public String label() {
    return label;
  }

  /** The address this peer puts in its messages. */
  public HostPort advertised() {
    return advertised;
  }

  @Override
  public void close() {
    listener.close();
  }
}
