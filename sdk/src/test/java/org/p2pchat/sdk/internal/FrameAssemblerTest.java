package org.p2pchat.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The size cap and byte order of one connection's frame, in milliseconds (no sockets). */
class FrameAssemblerTest {
  private static byte[] seq(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void exactlyTheCapFitsAndOneMoreIsRefusedWithNothingAdded() {
    FrameAssembler f = new FrameAssembler(3000);
    assertEquals(3000, f.maxBytes());
    byte[] bytes = seq(3000);
    assertTrue(f.append(bytes, 0, 2999));
    assertFalse(f.append(bytes, 0, 2), "2999 + 2 passes the cap");
    assertEquals(2999, f.size(), "a refused append adds nothing");
    assertTrue(f.append(ByteBuffer.wrap(bytes, 2999, 1)));
    assertEquals(3000, f.size());
    assertFalse(f.append(ByteBuffer.wrap(new byte[] {1})));
    assertFalse(f.append(new byte[] {1}, 0, 1));
    assertArrayEquals(bytes, f.frame());
  }

  @Test
  void aRefusedBufferIsLeftUnread() {
    FrameAssembler f = new FrameAssembler(4);
    ByteBuffer src = ByteBuffer.wrap(seq(5));
    assertFalse(f.append(src));
    assertEquals(5, src.remaining());
    assertEquals(0, f.size());
  }

  @Test
  void piecesOfEverySizeGrowTheBufferAndKeepOrder() {
    byte[] bytes = seq(10_000);
    for (int piece : new int[] {1, 7, 1023, 1024, 1025, 4096, 10_000}) {
      FrameAssembler f = new FrameAssembler(10_000);
      for (int off = 0; off < bytes.length; off += piece) {
        int len = Math.min(piece, bytes.length - off);
        boolean ok = (off / piece) % 2 == 0 ? f.append(bytes, off, len) : f.append(ByteBuffer.wrap(bytes, off, len));
        assertTrue(ok, "piece " + piece + " at " + off);
      }
      assertEquals(bytes.length, f.size());
      assertArrayEquals(bytes, f.frame(), "pieces of " + piece);
    }
  }

  @Test
  void aFrameIsExactlyTheBytesAppendedWhateverTheBufferSize() {
    FrameAssembler f = new FrameAssembler(1 << 20);
    assertArrayEquals(new byte[0], f.frame());
    byte[] text = "{\"msgtype\": \"CHAT_MESSAGE\"}".getBytes(StandardCharsets.US_ASCII);
    assertTrue(f.append(text, 0, text.length));
    assertArrayEquals(text, f.frame());
    // A cap below the initial buffer size: the buffer never exceeds the cap.
    FrameAssembler tiny = new FrameAssembler(2);
    assertTrue(tiny.append(new byte[] {'{', '}'}, 0, 2));
    assertArrayEquals(new byte[] {'{', '}'}, tiny.frame());
  }

  @Test
  void growingNearTheCapStopsAtTheCap() {
    FrameAssembler f = new FrameAssembler(1500);
    byte[] bytes = seq(1500);
    assertTrue(f.append(bytes, 0, 1000));
    assertTrue(f.append(bytes, 1000, 500), "doubling 1024 would pass 1500: the buffer stops at the cap");
    assertArrayEquals(bytes, f.frame());
    assertFalse(f.append(bytes, 0, 1));
  }
}
