package org.p2pchat.sdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Register;
import org.slf4j.LoggerFactory;

/**
 * What a rejection writes to the log (slf4j-simple writes to System.err in tests): one line each, at most 50 a
 * second with a count of those held back, the handler's stack trace for a handler error; and the rejections
 * that come from a mapping failure or a reset connection.
 */
class RejectionLogTest {
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 4242);
  private static final Instant AT = Instant.EPOCH;

  /** Runs {@code body} with System.err captured; returns what was written. */
  private static String capturingErr(Runnable body) {
    PrintStream before = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(before);
    }
    return bytes.toString(UTF_8);
  }

  private static List<String> linesWith(String text, String needle) {
    return Arrays.stream(text.split("\n")).filter(l -> l.contains(needle)).toList();
  }

  @Test
  void rejectionsAreLoggedFiftyASecondAndTheRestAreCountedThenReported() {
    Counters counters = new Counters();
    FrameDispatcher d = new Dispatcher().build(Codec.standard(), counters);
    long[] elapsed = new long[1];
    String out = capturingErr(() -> {
      long start = System.nanoTime();
      for (int i = 0; i < 60; i++) {
        d.reject(new Rejection(RejectReason.EMPTY, FROM, null, "empty number " + i, null));
      }
      elapsed[0] = System.nanoTime() - start;
    });
    assertEquals(60, counters.snapshot().rejected(RejectReason.EMPTY), "every rejection is counted");
    List<String> lines = linesWith(out, "rejected EMPTY from 127.0.0.1:4242");
    assertFalse(lines.isEmpty(), "rejections are logged: " + out);
    assertTrue(lines.get(0).contains("empty number 0"), lines.get(0));
    assertTrue(lines.get(0).contains("WARN"), lines.get(0));
    assertTrue(linesWith(out, "were not logged").isEmpty() || elapsed[0] >= TimeUnit.SECONDS.toNanos(1),
        "nothing held back within the first second's budget: " + out);
    if (elapsed[0] < TimeUnit.SECONDS.toNanos(1)) {
      assertEquals(50, lines.size(), "50 lines a second");
    }

    // A second later the next line says how many were held back.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_100);
    while (System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    String later = capturingErr(() -> d.reject(new Rejection(RejectReason.EMPTY, FROM, null, "the next one", null)));
    if (elapsed[0] < TimeUnit.SECONDS.toNanos(1)) {
      assertEquals(1, linesWith(later, "10 rejections were not logged").size(), later);
    }
    assertEquals(1, linesWith(later, "the next one").size(), later);
  }

  @Test
  void aHandlerErrorIsLoggedWithItsStackTraceAndOtherReasonsWithoutOne() {
    FrameDispatcher d = new Dispatcher()
        .on(ChatMessage.class, (m, ctx) -> {
          throw new IllegalStateException("handler broke");
        })
        .build(Codec.standard(), new Counters());
    String out = capturingErr(() -> {
      d.dispatch(Recorder.chat("a", "b").getBytes(UTF_8), FROM, AT);
      d.dispatch("{not json".getBytes(UTF_8), FROM, AT);
      d.dispatch("{\"msgtype\": \"DISCONNECT\", \"msgdata\": {\"peername\": \"bob\"}}".getBytes(UTF_8), FROM, AT);
    });
    List<String> handler = linesWith(out, "rejected HANDLER_ERROR");
    assertEquals(1, handler.size(), out);
    assertTrue(handler.get(0).contains("WARN"), handler.get(0));
    assertTrue(out.contains("java.lang.IllegalStateException: handler broke"), "the cause is printed: " + out);
    assertTrue(out.contains("\tat org.p2pchat.sdk."), "with its stack trace: " + out);
    List<String> malformed = linesWith(out, "rejected MALFORMED_JSON");
    assertEquals(1, malformed.size(), out);
    assertTrue(malformed.get(0).contains("WARN"), malformed.get(0));
    // A message nobody handles is routine: INFO, so it shows only when INFO is on.
    List<String> unhandled = linesWith(out, "rejected UNHANDLED");
    if (LoggerFactory.getLogger(Dispatcher.class).isInfoEnabled()) {
      assertEquals(1, unhandled.size(), out);
      assertTrue(unhandled.get(0).contains("INFO"), unhandled.get(0));
    } else {
      assertEquals(List.of(), unhandled, "UNHANDLED is not a warning");
    }
  }

  @Test
  void aMessageThatValidatesNothingAndCannotBeMappedIsInvalid() {
    List<Rejection> rejected = new ArrayList<>();
    List<Register> handled = new ArrayList<>();
    Codec lax = new Codec(MessageValidator.create(), false, true, WireJson.Style.PYTHON);
    Counters counters = new Counters();
    FrameDispatcher d = new Dispatcher().on(Register.class, (m, ctx) -> handled.add(m)).onError(rejected::add)
        .build(lax, counters);
    assertSame(lax, d.codec());
    d.dispatch("{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"a\", \"host\": \"h\", \"port\": [1, 2]}}"
        .getBytes(UTF_8), FROM, AT);
    assertEquals(List.of(), handled);
    assertEquals(1, rejected.size());
    assertEquals(RejectReason.INVALID, rejected.get(0).reason());
    assertTrue(rejected.get(0).detail().startsWith("cannot map message"), rejected.get(0).detail());
    assertNotNull(rejected.get(0).cause());
    assertEquals(1, counters.snapshot().rejected(RejectReason.INVALID));
  }

  @Test
  void aConnectionResetBeforeItsEndIsOneIoErrorAndTheNextMessageIsServed() throws Exception {
    LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<Rejection> rejections = new LinkedBlockingQueue<>();
    Listener.FrameSink sink = new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        frames.add(frame);
      }

      @Override
      public void onRejected(Rejection rejection) {
        rejections.add(rejection);
      }
    };
    try (Listener l = Listener.builder().maxConnections(1).build().start(sink)) {
      Socket reset = new Socket("127.0.0.1", l.address().port());
      reset.getOutputStream().write("{\"partial".getBytes(UTF_8));
      reset.getOutputStream().flush();
      reset.setSoLinger(true, 0); // close with RST: the listener's read fails
      reset.close();
      Rejection r = rejections.poll(5, TimeUnit.SECONDS);
      assertNotNull(r, "the reset connection was reported");
      assertEquals(RejectReason.IO_ERROR, r.reason());
      assertTrue(r.detail().startsWith("read failed after "), r.detail());
      assertNotNull(r.cause());
      Supplier<String> state = () -> "frames " + frames.size() + ", rejections " + rejections;
      for (int i = 0; i < 2; i++) {
        try (Socket s = new Socket("127.0.0.1", l.address().port())) {
          s.getOutputStream().write(new byte[] {'o', 'k'});
          s.shutdownOutput();
        }
        assertNotNull(frames.poll(5, TimeUnit.SECONDS), "message " + i + " served after the reset; " + state.get());
      }
      assertEquals(0, rejections.size(), "one rejection for the reset connection: " + rejections);
    }
  }
}
