package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import org.p2pchat.sdk.Listener;

/** Where a test implementation's frames come from: the SDK's listener, or a deliberately broken one. */
interface Transport extends AutoCloseable {
  void start(Listener.FrameSink sink) throws IOException;

  int port();

  @Override
  void close();

  /** The SDK's NIO listener: reads every connection to its end under a cap and a deadline. */
  static Transport sdk() {
    Listener listener = Listener.builder().host("127.0.0.1").port(0).maxBytes(1024 * 1024)
        .readTimeout(java.time.Duration.ofSeconds(5)).build();
    return new Transport() {
      @Override
      public void start(Listener.FrameSink sink) throws IOException {
        listener.start(sink);
      }

      @Override
      public int port() {
        return listener.address().port();
      }

      @Override
      public void close() {
        listener.close();
      }
    };
  }
}
