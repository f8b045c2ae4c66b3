package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.filetransfer.Chunk;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.FileChunk;
import org.p2pchat.protocol.model.FileTransferRequest;
import org.p2pchat.testing.FakePeer;

/**
 * File transfer between peers with identities: every file message sealed in the session, and a tampered, moved or
 * clear chunk in a verified peer's name refused with one line while the genuine chunks still complete the file.
 */
class SealedFileTransferTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path tmp;

  private ChatPeer peer(String name, LineLog log, Path downloads) throws Exception {
    return ChatPeer.builder().name(name).server(Peers.deadAddress()).output(log).downloads(downloads)
        .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory()).build().start();
  }

  @Test
  void twoPeersWithIdentitiesSendASealedFileThatArrivesBitIdentical() throws Exception {
    LineLog aliceLog = new LineLog("alice");
    LineLog bobLog = new LineLog("bob");
    byte[] content = new byte[3 * 128 * 1024 + 5];
    new Random(14).nextBytes(content);
    Path file = tmp.resolve("photo.jpg");
    Files.write(file, content);
    try (ChatPeer alice = peer("alice", aliceLog, tmp.resolve("a"));
        ChatPeer bob = peer("bob", bobLog, tmp.resolve("b"))) {
      alice.execute("chat request 127.0.0.1 " + bob.address().port());
      bobLog.await("Please enter \"yes\" or \"no\":", WAIT);
      bob.execute("yes alice");
      aliceLog.await(l -> l.startsWith("chat with bob --- ") && l.contains("is verified"), "verified chat", WAIT);
      bobLog.await(l -> l.startsWith("chat with alice --- ") && l.contains("is verified"), "verified chat", WAIT);

      alice.execute("send file bob " + file);
      String offering = aliceLog.await("offering photo.jpg", WAIT);
      assertTrue(offering.contains("sealed (encrypted and authenticated in the identity session)"), offering);
      String offer = bobLog.await("alice offers photo.jpg", WAIT);
      assertTrue(offer.contains("sealed (encrypted and authenticated in the identity session)"), offer);
      bob.execute("yes");
      bobLog.await("received photo.jpg from alice", WAIT);
      aliceLog.await("sent photo.jpg to bob", WAIT);
      assertEquals(-1L, Files.mismatch(file, tmp.resolve("b").resolve("photo.jpg")));
      assertFalse(bobLog.all().stream().anyMatch(l -> l.startsWith("refused:")), () -> bobLog.all().toString());
    }
  }

  @Test
  void aTamperedMovedOrClearChunkIsRefusedAndTheGenuineChunksCompleteTheFile() throws Exception {
    LineLog bobLog = new LineLog("bob");
    byte[] content = new byte[2 * 1000 + 7];
    new Random(15).nextBytes(content);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    String id = "5ea1ed0c0ffee000";
    Path downloads = tmp.resolve("b");
    try (ChatPeer bob = peer("bob", bobLog, downloads);
        RawIdentityPeer alice = new RawIdentityPeer("alice");
        FakePeer forger = FakePeer.start()) {
      Session s = handshake(alice, bob, bobLog);

      // The offer, sealed: only peername, transfer, seq and box are clear.
      String fields = "{\"filename\":\"notes.bin\",\"size\":" + content.length + ",\"sha256\":\"" + sha
          + "\",\"chunksize\":1000,\"chunks\":3,\"window\":8}";
      Session.Sealed offer = s.seal("FILE_TRANSFER_REQUEST/" + id, fields.getBytes(UTF_8));
      alice.socket.send(bob.address(), new FileTransferRequest().withPeername("alice").withTransfer(id)
          .withSeq(offer.seq()).withBox(offer.boxBase64url()));
      String offered = bobLog.await("alice offers notes.bin", WAIT);
      assertTrue(offered.contains("as transfer " + id + ", sealed"), offered);
      bob.execute("accept file " + id);

      // The answer comes back sealed too, its fields only inside the box.
      FakePeer.Received accept = alice.take(MessageType.FILE_TRANSFER_ACCEPT);
      JsonNode clear = accept.tree().get("msgdata");
      assertNull(clear.get("next"), accept.text());
      assertNull(clear.get("filename"), accept.text());
      JsonNode opened = RawIdentityPeer.JSON.readTree(s.open("FILE_TRANSFER_ACCEPT/" + id,
          clear.get("seq").asLong(), clear.get("box").asText()));
      assertEquals(0, opened.get("next").asInt(), opened.toString());

      Session.Sealed[] genuine = new Session.Sealed[3];
      for (int i = 0; i < 3; i++) {
        genuine[i] = s.seal("FILE_CHUNK/" + id + "/" + i, Arrays.copyOfRange(content, i * 1000,
            Math.min(content.length, (i + 1) * 1000)));
      }
      // One bit flipped on the way: refused, nothing written.
      byte[] flipped = genuine[0].box().clone();
      flipped[10] ^= 0x01;
      forger.send(bob.address(), sealedChunk(id, 0, genuine[0].seq(), b64(flipped)));
      awaitRefused(bobLog, "FILE_CHUNK in the name of alice", "AUTH_FAILED");
      // Chunk 1's box presented as chunk 0: the index is bound into the box, refused.
      forger.send(bob.address(), sealedChunk(id, 0, genuine[1].seq(), genuine[1].boxBase64url()));
      awaitRefused(bobLog, "FILE_CHUNK in the name of alice", "AUTH_FAILED");
      // A clear chunk (right bytes, right CRC) in a verified peer's name: refused.
      Chunk c = Chunk.of(id, 0, Arrays.copyOfRange(content, 0, 1000));
      forger.send(bob.address(), new FileChunk().withPeername("alice").withTransfer(id).withIndex(0L)
          .withCrc32c(c.crc32c()).withData(c.base64()));
      awaitRefused(bobLog, "unauthenticated FILE_CHUNK in the name of alice");

      // The genuine chunks (out of order, as racing connections deliver them) still complete the file.
      alice.socket.send(bob.address(), sealedChunk(id, 1, genuine[1].seq(), genuine[1].boxBase64url()));
      alice.socket.send(bob.address(), sealedChunk(id, 0, genuine[0].seq(), genuine[0].boxBase64url()));
      alice.socket.send(bob.address(), sealedChunk(id, 2, genuine[2].seq(), genuine[2].boxBase64url()));
      String received = bobLog.await("received notes.bin from alice", WAIT);
      assertTrue(received.contains("SHA-256 verified"), received);
      assertEquals(-1, Arrays.mismatch(content, Files.readAllBytes(downloads.resolve("notes.bin"))));

      // The final ack is sealed: complete only inside the box.
      JsonNode ack = null;
      while (ack == null || !ack.path("complete").asBoolean(false)) {
        FakePeer.Received r = alice.take(MessageType.FILE_ACK);
        JsonNode d = r.tree().get("msgdata");
        assertNull(d.get("next"), r.text());
        ack = RawIdentityPeer.JSON.readTree(s.open("FILE_ACK/" + id, d.get("seq").asLong(), d.get("box").asText()));
      }
      assertEquals(3, ack.get("next").asInt());
      // A replayed chunk after the end: refused by the session, the finished file untouched.
      forger.send(bob.address(), sealedChunk(id, 2, genuine[2].seq(), genuine[2].boxBase64url()));
      assertEquals(-1, Arrays.mismatch(content, Files.readAllBytes(downloads.resolve("notes.bin"))));
    }
  }

  /** The raw peer (advertising files) runs the whole handshake with {@code bob}; returns its session. */
  private static Session handshake(RawIdentityPeer raw, ChatPeer bob, LineLog bobLog) throws Exception {
    HandshakeConfig config = HandshakeConfig.DEFAULTS.withFeatures(List.of("eof", "files", Handshake.FEATURE));
    InitiatorHandshake h = raw.request(bob.address(), new ArrayList<>(), config);
    bobLog.await("Please enter \"yes\" or \"no\":", WAIT);
    bob.execute("yes " + raw.name);
    Handshake.InitiatorResult result = RawIdentityPeer.onAccept(h, raw.take(MessageType.CHAT_ACCEPT));
    raw.socket.send(bob.address(), new ChatConfirm().withPeername(raw.name).withSig(result.confirmSig()));
    bobLog.await(l -> l.startsWith("chat with " + raw.name + " --- ") && l.contains("is verified"),
        "the verified chat", WAIT);
    return result.session();
  }

  private static FileChunk sealedChunk(String id, int index, long seq, String box) {
    return new FileChunk().withPeername("alice").withTransfer(id).withIndex((long) index).withSeq(seq).withBox(box);
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void awaitRefused(LineLog log, String... parts) throws InterruptedException {
    log.await(l -> l.startsWith("refused: ") && Arrays.stream(parts).allMatch(l::contains),
        "a refusal line with " + List.of(parts), WAIT);
  }
}
