package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.mesh.MeshFrame;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.protocol.model.MeshHello;

/** Every mesh frame survives encode then decode; bad base64 decodes to nothing. */
class MeshCodecTest {
  @Test
  void everyFrameRoundTrips() {
    List<MeshFrame> frames = List.of(
        new MeshFrame.Hello(12, 2000),
        new MeshFrame.Routes(false, List.of(new MeshFrame.Route("yuuka", 7, 1), new MeshFrame.Route("marisa", 3, 65535))),
        new MeshFrame.Routes(true, List.of(new MeshFrame.Route("yuuka", 7, 1, new byte[128]))),
        new MeshFrame.SeqnoRequest("yuuka", 8, 16),
        new MeshFrame.RouteRequest("patchouli", "yuuka", 1_543_536_000_000L, 3, 1),
        new MeshFrame.RouteRequest("patchouli", "yuuka", 1_543_536_000_000L, 2, 0, new byte[128]),
        new MeshFrame.RouteReply("yuuka", "patchouli", 1_543_536_000_000L, 15, 1, 7, new byte[128]),
        new MeshFrame.RouteReply("yuuka", "patchouli", 5, 15, 0, -1, null),
        new MeshFrame.Data("patchouli", "yuuka", "3q2-7wAAAAB9", 1, 15, MeshFrame.Mode.FLOOD,
            "Hello".getBytes(StandardCharsets.UTF_8)),
        new MeshFrame.Ack("yuuka", "patchouli", "3q2-7wAAAAB9", 0, 15, MeshFrame.Mode.ROUTED, new byte[] {1, 2, 3}));
    for (MeshFrame frame : frames) {
      assertEquals(frame, MeshCodec.decode(MeshCodec.encode("alice", frame)).orElseThrow(), frame.toString());
    }
    assertEquals("alice", ((MeshHello) MeshCodec.encode("alice", frames.get(0))).getPeername());
  }

  @Test
  void standardBase64IsReadAndBadBase64IsNot() {
    MeshData standard = new MeshData().withPeername("alice").withOrigin("patchouli").withDestination("yuuka")
        .withId("x").withAttempt(0).withHoplimit(3).withMode(MeshData.Mode.ROUTED).withPayload("+/8=");
    MeshFrame.Data data = (MeshFrame.Data) MeshCodec.decode(standard).orElseThrow();
    assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff}, data.payload());
    assertTrue(MeshCodec.decode(standard.withPayload("a")).isEmpty());
    assertTrue(MeshCodec.decode("not a mesh message").isEmpty());
  }
}
