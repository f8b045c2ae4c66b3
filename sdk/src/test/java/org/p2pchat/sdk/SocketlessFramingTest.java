package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.sdk.internal.FrameAssembler;
import org.p2pchat.sdk.internal.FrameHandoff;

/**
 * Framing and decoding without sockets: every published vector, valid and invalid, is fed to the frame
 * assembler split at every byte offset (and one byte at a time), handed over and dispatched; the
 * outcome must be the one the vector states, whatever the split.
 */
class SocketlessFramingTest {
  private static final String BASE = MessageType.SCHEMA_CLASSPATH_BASE + "vectors/";
  private static final Codec CODEC = new Codec(MessageValidator.create(), true, true, WireJson.Style.PYTHON);
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

  private record Vector(String file, boolean valid, byte[] bytes) {}

  /** What one dispatch ended in: the handled message's type, or the rejection. */
  private static final class Outcome implements MessageHandler<Object> {
    final List<MessageType> handled = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    @Override
    public void handle(Object message, MessageContext context) {
      handled.add(context.type());
    }
  }

  @Test
  void everyVectorSplitAtEveryOffsetFramesAndDecodesAsWhole() {
    List<Vector> vectors = vectors();
    assertTrue(vectors.size() > 50, "vectors found: " + vectors.size());
    int checked = 0;
    for (Vector v : vectors) {
      byte[] bytes = v.bytes();
      for (int cut = 0; cut <= bytes.length; cut++) {
        FrameAssembler frame = new FrameAssembler(MessageValidator.DEFAULT_MAX_BYTES);
        assertTrue(frame.append(ByteBuffer.wrap(bytes, 0, cut)));
        assertTrue(frame.append(bytes, cut, bytes.length - cut));
        assertArrayEquals(bytes, frame.frame(), v.file() + " cut at " + cut);
        // Decoding depends only on the frame's bytes, proven equal above; a large vector is decoded at
        // a sample of its cuts so the test stays quick.
        if (bytes.length <= 4096 || cut % 4096 == 0 || cut == bytes.length) {
          assertOutcome(v, frame.frame());
        }
        checked++;
      }
      FrameAssembler oneByOne = new FrameAssembler(MessageValidator.DEFAULT_MAX_BYTES);
      for (int i = 0; i < bytes.length; i++) {
        assertTrue(oneByOne.append(bytes, i, 1));
      }
      assertArrayEquals(bytes, oneByOne.frame(), v.file() + " one byte at a time");
    }
    assertTrue(checked > vectors.size());
  }

  @Test
  void aFramePastTheCapIsRefusedWhateverTheSplit() {
    byte[] bytes = vectors().stream().filter(Vector::valid).findFirst().orElseThrow().bytes();
    for (int cut = 0; cut <= bytes.length; cut++) {
      FrameAssembler frame = new FrameAssembler(bytes.length - 1);
      boolean first = frame.append(bytes, 0, cut);
      boolean second = first && frame.append(bytes, cut, bytes.length - cut);
      assertFalse(first && second, "cut at " + cut);
      assertTrue(frame.size() <= bytes.length - 1);
    }
    FrameAssembler exact = new FrameAssembler(bytes.length);
    assertTrue(exact.append(bytes, 0, bytes.length));
    assertFalse(exact.append(bytes, 0, 1));
    assertArrayEquals(bytes, exact.frame());
  }

  /** Dispatches through the same hand-off and dispatcher a node uses, on the calling thread. */
  private static void assertOutcome(Vector v, byte[] frame) {
    Outcome outcome = new Outcome();
    Dispatcher table = new Dispatcher().onError(outcome.rejected::add);
    for (MessageType type : MessageType.values()) {
      table.on(type.javaType(), outcome);
    }
    FrameHandoff handoff = new FrameHandoff(table.build(CODEC, new Counters()), Runnable::run, 10, 16);
    handoff.onFrame(frame, FROM, Instant.EPOCH);
    handoff.onBatchEnd();
    if (v.valid()) {
      assertEquals(1, outcome.handled.size(), v.file() + " " + outcome.rejected);
      assertEquals(List.of(), outcome.rejected, v.file());
    } else {
      assertEquals(List.of(), outcome.handled, v.file());
      assertEquals(1, outcome.rejected.size(), v.file());
      assertNotNull(outcome.rejected.get(0).reason());
    }
    assertEquals(0, handoff.queued());
  }

  private static List<Vector> vectors() {
    JsonNode manifest = tree(read("manifest.json"));
    List<Vector> out = new ArrayList<>();
    for (JsonNode entry : manifest.get("vectors")) {
      String file = entry.get("file").asText();
      out.add(new Vector(file, entry.get("valid").asBoolean(), read(file)));
    }
    return out;
  }

  private static JsonNode tree(byte[] bytes) {
    try {
      return WireJson.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(String relative) {
    try (InputStream in = SocketlessFramingTest.class.getClassLoader().getResourceAsStream(BASE + relative)) {
      assertNotNull(in, relative);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void handoffStopsBeingReadyAtItsQueueButNeverDropsAndKeepsOrderWithinABatch() {
    List<Runnable> parked = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    FrameHandoff.Target target = new FrameHandoff.Target() {
      @Override
      public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        seen.add(new String(frame, java.nio.charset.StandardCharsets.US_ASCII));
      }

      @Override
      public void reject(Rejection rejection) {
        seen.add("rejected " + rejection.reason());
      }
    };
    FrameHandoff handoff = new FrameHandoff(target, parked::add, 3, 2);
    assertTrue(handoff.ready());
    handoff.onFrame(new byte[] {'a'}, FROM, Instant.EPOCH);
    handoff.onFrame(new byte[] {'b'}, FROM, Instant.EPOCH); // a full batch goes at once
    assertEquals(1, parked.size());
    assertTrue(handoff.ready(), "2 of 3 waiting");
    handoff.onFrame(new byte[] {'c'}, FROM, Instant.EPOCH);
    handoff.onBatchEnd();
    assertEquals(2, parked.size());
    assertEquals(3, handoff.queued());
    assertFalse(handoff.ready(), "the queue is full: the listener must stop accepting");
    // A frame of a connection accepted before is still queued, never dropped.
    handoff.onFrame(new byte[] {'d'}, FROM, Instant.EPOCH);
    handoff.onBatchEnd();
    assertEquals(3, parked.size());
    assertEquals(4, handoff.queued());
    assertEquals(List.of(), seen);
    parked.forEach(Runnable::run);
    assertEquals(List.of("a", "b", "c", "d"), seen);
    assertEquals(0, handoff.queued());
    assertTrue(handoff.ready());
    handoff.onBatchEnd(); // nothing pending: no task
    assertEquals(3, parked.size());
  }

  @Test
  void handoffRejectsOnlyWhenTheWorkersAreGone() {
    List<String> seen = new ArrayList<>();
    FrameHandoff handoff = new FrameHandoff(new FrameHandoff.Target() {
      @Override
      public void dispatch(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        seen.add("dispatched");
      }

      @Override
      public void reject(Rejection rejection) {
        seen.add("rejected " + rejection.reason());
      }
    }, task -> {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }, 3, 2);
    handoff.onFrame(new byte[] {'a'}, FROM, Instant.EPOCH);
    handoff.onBatchEnd();
    assertEquals(List.of("rejected OVERLOADED"), seen);
    assertEquals(0, handoff.queued());
  }
}
