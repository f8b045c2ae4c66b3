package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.QUIET;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.filetransfer.Chunk;
import org.p2pchat.filetransfer.FileTransferLimits;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.FileAck;
import org.p2pchat.protocol.model.FileCancel;
import org.p2pchat.protocol.model.FileChunk;
import org.p2pchat.protocol.model.FileTransferAccept;
import org.p2pchat.protocol.model.FileTransferRequest;
import org.p2pchat.testing.FakePeer;

/** File transfer between real peers over loopback sockets, and against hostile or 2018 counterparts. */
class FileTransferPeerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final Pattern TRANSFER = Pattern.compile("as transfer ([0-9a-f]{16})");
  private static final int CHUNK = FileTransferLimits.DEFAULT_CHUNK_SIZE;

  @TempDir
  Path tmp;

  private ChatPeer peer(String name, LineLog log, Path downloads, FileTransferLimits limits) throws Exception {
    return ChatPeer.builder().name(name).server(Peers.deadAddress()).output(log).downloads(downloads)
        .fileLimits(limits).build().start();
  }

  /** {@code from} asks {@code to} to chat and {@code to} says yes. */
  private static void connect(ChatPeer from, LineLog fromLog, ChatPeer to, LineLog toLog) throws Exception {
    from.execute("chat request 127.0.0.1 " + to.address().port());
    toLog.await("Please enter \"yes\" or \"no\":", WAIT);
    to.execute("yes " + from.name());
    fromLog.await("chat accept: " + to.name(), WAIT);
  }

  private Path randomFile(String name, long size, long seed) throws Exception {
    Path file = tmp.resolve("src").resolve(name);
    Files.createDirectories(file.getParent());
    Random random = new Random(seed);
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buffer.length) {
        random.nextBytes(buffer);
        out.write(buffer, 0, (int) Math.min(left, buffer.length));
      }
    }
    return file;
  }

  private static String transferId(String line) {
    Matcher m = TRANSFER.matcher(line);
    assertTrue(m.find(), line);
    return m.group(1);
  }

  @Test
  void binaryFilesOfEveryEdgeSizeArriveBitIdentical() throws Exception {
    LineLog aliceLog = new LineLog("alice");
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    try (ChatPeer alice = peer("alice", aliceLog, tmp.resolve("alice-downloads"), FileTransferLimits.defaults());
        ChatPeer bob = peer("bob", bobLog, downloads, FileTransferLimits.defaults())) {
      connect(alice, aliceLog, bob, bobLog);
      long[] sizes = {0, 1, 3L * CHUNK, 50L << 20};
      for (long size : sizes) {
        Path file = randomFile("f" + size + ".bin", size, size);
        alice.execute("send file bob " + file);
        String offer = bobLog.await("alice offers f" + size + ".bin", LONG);
        bob.execute("yes");
        bobLog.await("accepted f" + size + ".bin from alice (transfer " + transferId(offer) + ")", WAIT);
        String received = bobLog.await("received f" + size + ".bin from alice", LONG);
        assertTrue(received.contains("SHA-256 verified"), received);
        aliceLog.await("sent f" + size + ".bin to bob", LONG);
        Path saved = downloads.resolve("f" + size + ".bin");
        assertEquals(-1L, Files.mismatch(file, saved), "f" + size + ".bin differs");
      }
      // The big one printed a line at each 10 % step, with the speed.
      List<String> steps = bobLog.all().stream().filter(l -> l.startsWith("f52428800.bin ")).toList();
      assertEquals(9, steps.size(), steps.toString());
      assertTrue(steps.get(0).matches("f52428800\\.bin 10 % [0-9.]+ [kMG]?B/s from alice"), steps.get(0));
      try (Stream<Path> left = Files.list(downloads)) {
        assertEquals(Set.of("f0.bin", "f1.bin", "f393216.bin", "f52428800.bin"),
            Set.copyOf(left.map(p -> p.getFileName().toString()).toList()), "no .part or .meta left behind");
      }
      bob.execute("list transfers");
      bobLog.await(l -> l.contains("recv  alice  f1.bin  1 B  completed"), "listing f1.bin completed", WAIT);
    }
  }

  @Test
  void refusedAndExpiredOffersSendNothing() throws Exception {
    LineLog aliceLog = new LineLog("alice");
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    FileTransferLimits quick = FileTransferLimits.builder().offerTimeout(Duration.ofMillis(600)).build();
    try (ChatPeer alice = peer("alice", aliceLog, tmp.resolve("a"), FileTransferLimits.defaults());
        ChatPeer bob = peer("bob", bobLog, downloads, quick)) {
      connect(alice, aliceLog, bob, bobLog);
      Path file = randomFile("no.bin", 1000, 1);
      alice.execute("send file bob " + file);
      bobLog.await("alice offers no.bin", WAIT);
      bob.execute("no");
      bobLog.await("refused no.bin from alice", WAIT);
      aliceLog.await("bob refused no.bin", WAIT);

      alice.execute("send file bob " + file);
      bobLog.await("alice offers no.bin", WAIT);
      bobLog.await("file offer no.bin from alice", WAIT);
      String refused = aliceLog.await("bob refused no.bin", WAIT);
      assertTrue(refused.endsWith("the offer expired unanswered"), refused);
      bob.execute("yes");
      bobLog.await("no chat request is pending", WAIT);
      assertFalse(Files.exists(downloads.resolve("no.bin")));
    }
  }

  @Test
  void cancelOnEitherSideKeepsThePartialFileAndAnOfferAgainResumes() throws Exception {
    LineLog aliceLog = new LineLog("alice");
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    // 2 MiB/s: slow enough to cancel mid-way, bounded test time.
    FileTransferLimits slow = FileTransferLimits.builder().bytesPerSecondPerPeer(2L << 20).build();
    try (ChatPeer alice = peer("alice", aliceLog, tmp.resolve("a"), slow);
        ChatPeer bob = peer("bob", bobLog, downloads, FileTransferLimits.defaults())) {
      connect(alice, aliceLog, bob, bobLog);
      Path file = randomFile("big.bin", 6L << 20, 7);

      alice.execute("send file bob " + file);
      String id = transferId(aliceLog.await("offering big.bin", WAIT));
      bobLog.await("alice offers big.bin", WAIT);
      bob.execute("yes alice");
      bobLog.await("big.bin 10 % ", WAIT);
      alice.execute("cancel transfer " + id);
      aliceLog.await("cancelled transfer " + id, WAIT);
      String bobSide = bobLog.await("cancelled receiving big.bin from alice", WAIT);
      assertTrue(bobSide.contains("(by alice)") && bobSide.contains("partial file kept"), bobSide);

      alice.execute("send file bob " + file);
      String again = bobLog.await("alice offers big.bin", WAIT);
      assertTrue(again.contains("already here, resumes"), again);
      bob.execute("accept file " + transferId(again));
      bobLog.await("big.bin ", WAIT);
      bob.execute("cancel transfer " + transferId(again));
      bobLog.await("cancelled transfer " + transferId(again), WAIT);
      aliceLog.await(l -> l.startsWith("cancelled sending big.bin to bob") && l.contains("(by bob)"),
          "the cancel by bob", WAIT);
      assertFalse(Files.exists(downloads.resolve("big.bin")), "a cancelled file never appears under its name");

      alice.execute("send file bob " + file);
      bobLog.await("already here, resumes", WAIT);
      bob.execute("yes");
      String resumed = aliceLog.await("bob accepted big.bin", WAIT);
      assertTrue(resumed.contains("resuming at chunk "), resumed);
      bobLog.await("received big.bin from alice", LONG);
      assertEquals(-1L, Files.mismatch(file, downloads.resolve("big.bin")));
    }
  }

  @Test
  void senderRestartedMidTransferResumesFromTheLastVerifiedChunk() throws Exception {
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    FileTransferLimits slow = FileTransferLimits.builder().bytesPerSecondPerPeer(2L << 20).build();
    Path file = randomFile("restart.bin", 6L << 20, 11);
    try (ChatPeer bob = peer("bob", bobLog, downloads, FileTransferLimits.defaults())) {
      LineLog aliceLog = new LineLog("alice");
      try (ChatPeer alice = peer("alice", aliceLog, tmp.resolve("a"), slow)) {
        connect(alice, aliceLog, bob, bobLog);
        alice.execute("send file bob " + file);
        bobLog.await("alice offers restart.bin", WAIT);
        bob.execute("yes");
        bobLog.await("restart.bin 20 % ", WAIT);
        // The sender's progress lines, from the acks.
        aliceLog.await(l -> l.matches("restart\\.bin 10 % [0-9.]+ [kMG]?B/s to bob"), "the sender's 10 % line",
            WAIT);
      } // alice quits mid-transfer
      String bobSide = bobLog.await("cancelled receiving restart.bin from alice", WAIT);
      assertTrue(bobSide.contains("partial file kept"), bobSide);
      assertFalse(Files.exists(downloads.resolve("restart.bin")));

      LineLog alice2Log = new LineLog("alice again");
      try (ChatPeer alice2 = peer("alice", alice2Log, tmp.resolve("a2"), FileTransferLimits.defaults())) {
        connect(alice2, alice2Log, bob, bobLog);
        alice2.execute("send file bob " + file);
        String offer = bobLog.await("alice offers restart.bin", WAIT);
        assertTrue(offer.contains("already here, resumes"), offer);
        bob.execute("yes");
        String resumed = alice2Log.await("bob accepted restart.bin", WAIT);
        Matcher at = Pattern.compile("resuming at chunk (\\d+) of (\\d+)").matcher(resumed);
        assertTrue(at.find(), resumed);
        assertTrue(Integer.parseInt(at.group(1)) >= 9, "20 % of 48 chunks were verified before: " + resumed);
        String received = bobLog.await("received restart.bin from alice", LONG);
        assertTrue(received.contains("resumed"), received);
        alice2Log.await("sent restart.bin to bob", WAIT);
        assertEquals(-1L, Files.mismatch(file, downloads.resolve("restart.bin")));
      }
    }
  }

  @Test
  void receiverKilledMidTransferResumesFromTheLastVerifiedChunk() throws Exception {
    LineLog aliceLog = new LineLog("alice");
    Path downloads = tmp.resolve("bob-downloads");
    FileTransferLimits slow = FileTransferLimits.builder().bytesPerSecondPerPeer(2L << 20)
        .stallTimeout(Duration.ofSeconds(3)).build();
    Path file = randomFile("kill.bin", 6L << 20, 9);
    try (ChatPeer alice = peer("alice", aliceLog, tmp.resolve("a"), slow)) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process bob = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "org.p2pchat.peer.PeerMain", "peer", "--plain",
          "--name", "bob", "--port", "0", "--server", Peers.deadAddress().toString(), "--downloads",
          downloads.toString(), "--identity", tmp.resolve("bob-id").resolve("identity").toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try {
        LineLog bobLog = new LineLog("bob process");
        Thread reader = new Thread(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(bob.getInputStream(), UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              bobLog.line(line);
            }
          } catch (java.io.IOException e) {
            bobLog.line("(stdout failed: " + e + ")");
          }
        }, "bob-stdout");
        reader.setDaemon(true);
        reader.start();
        // A JVM start can take several seconds on a loaded machine: a longer deadline for the process's first line.
        HostPort bobAt = HostPort.parse(bobLog.await("listening on ", LONG).substring("listening on ".length()));
        OutputStream stdin = bob.getOutputStream();
        alice.execute("chat request 127.0.0.1 " + bobAt.port());
        bobLog.await("Please enter", WAIT);
        stdin.write("yes\n".getBytes(UTF_8));
        stdin.flush();
        aliceLog.await("chat accept: bob", WAIT);
        alice.execute("send file bob " + file);
        bobLog.await("alice offers kill.bin", WAIT);
        stdin.write("yes\n".getBytes(UTF_8));
        stdin.flush();
        bobLog.await("kill.bin 30 % ", WAIT);

        bob.destroyForcibly(); // kill -9: no goodbye, no flush
        assertTrue(bob.waitFor(10, TimeUnit.SECONDS));
        aliceLog.await(l -> l.startsWith("failed sending kill.bin to bob"), "the sender's verdict", WAIT);
      } finally {
        bob.destroyForcibly();
      }

      LineLog bob2Log = new LineLog("bob again");
      try (ChatPeer bob2 = peer("bob", bob2Log, downloads, FileTransferLimits.defaults())) {
        connect(alice, aliceLog, bob2, bob2Log);
        alice.execute("send file bob " + file);
        String offer = bob2Log.await("alice offers kill.bin", WAIT);
        assertTrue(offer.contains("already here, resumes"), offer);
        bob2.execute("yes");
        String resumed = aliceLog.await("bob accepted kill.bin", WAIT);
        Matcher at = Pattern.compile("resuming at chunk (\\d+) of (\\d+)").matcher(resumed);
        assertTrue(at.find(), resumed);
        assertTrue(Integer.parseInt(at.group(1)) >= 14, "30 % of 48 chunks were verified before the kill: " + resumed);
        bob2Log.await("received kill.bin from alice", LONG);
        assertEquals(-1L, Files.mismatch(file, downloads.resolve("kill.bin")));
      }
    }
  }

  /** A raw-socket peer that advertised files, connected to {@code bob}. */
  private static FakePeer connectedFake(String name, ChatPeer bob, LineLog bobLog) throws Exception {
    FakePeer fake = FakePeer.start();
    fake.send(bob.address(), new ChatRequest().withPeername(name).withHost("127.0.0.1")
        .withPort(fake.address().port()).withFeatures(new java.util.LinkedHashSet<>(List.of("files"))));
    bobLog.await("Please enter", WAIT);
    bob.execute("yes " + name);
    ChatAccept accept = fake.expect(ChatAccept.class, WAIT);
    assertTrue(accept.getFeatures().contains("files"), "we advertise files");
    return fake;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static FileTransferRequest offer(String from, String id, String name, byte[] content, int chunkSize)
      throws Exception {
    return new FileTransferRequest().withPeername(from).withFilename(name).withTransfer(id)
        .withSize((long) content.length).withSha256(sha256(content)).withChunksize(chunkSize)
        .withChunks((long) ((content.length + chunkSize - 1) / chunkSize)).withWindow(8);
  }

  private static FileChunk chunk(String from, String id, int index, byte[] bytes) {
    Chunk c = Chunk.of(id, index, bytes);
    return new FileChunk().withPeername(from).withTransfer(id).withIndex((long) index).withCrc32c(c.crc32c())
        .withData(c.base64());
  }

  @Test
  void tamperedAndDamagedChunksFailOnBothSidesAndNothingAppears() throws Exception {
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    try (ChatPeer bob = peer("bob", bobLog, downloads, FileTransferLimits.defaults());
        FakePeer mallory = connectedFake("mallory", bob, bobLog)) {
      byte[] content = "0123456789abcdef".getBytes(UTF_8);
      mallory.send(bob.address(), offer("mallory", "t1", "report.txt", content, 8));
      bobLog.await("mallory offers report.txt", WAIT);
      bob.execute("yes");
      assertEquals(0L, mallory.expect(FileTransferAccept.class, WAIT).getNext());
      mallory.send(bob.address(), chunk("mallory", "t1", 0, "01234567".getBytes(UTF_8)));
      // The second chunk altered, with a CRC that matches the altered bytes: only the SHA-256 can tell.
      mallory.send(bob.address(), chunk("mallory", "t1", 1, "89abcdeX".getBytes(UTF_8)));
      String verdict = bobLog.await("failed receiving report.txt from mallory", WAIT);
      assertTrue(verdict.contains("does not match its SHA-256"), verdict);
      assertEquals("checksum-mismatch", mallory.expect(FileCancel.class, WAIT).getReason());
      assertFalse(Files.exists(downloads.resolve("report.txt")));

      mallory.send(bob.address(), offer("mallory", "t2", "damaged.txt", content, 8));
      bobLog.await("mallory offers damaged.txt", WAIT);
      bob.execute("yes");
      mallory.expect(FileTransferAccept.class, WAIT);
      FileChunk bad = chunk("mallory", "t2", 0, "01234567".getBytes(UTF_8));
      bad.setCrc32c(bad.getCrc32c() ^ 1);
      mallory.send(bob.address(), bad);
      String damaged = bobLog.await("failed receiving damaged.txt from mallory", WAIT);
      assertTrue(damaged.contains("a chunk was damaged"), damaged);
      assertEquals("corrupt-chunk", mallory.expect(FileCancel.class, WAIT).getReason());

      // The peer still serves the next valid message.
      mallory.send(bob.address(), new org.p2pchat.protocol.model.ChatMessage().withPeername("mallory")
          .withMessage("still there?"));
      bobLog.await("mallory: still there?", WAIT);
    }
  }

  @Test
  void hostileNamesAreSavedUnderSafeNamesInsideTheDownloads() throws Exception {
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    try (ChatPeer bob = peer("bob", bobLog, downloads, FileTransferLimits.defaults());
        FakePeer mallory = connectedFake("mallory", bob, bobLog)) {
      String[][] cases = {
          {"../../etc/passwd", "passwd"},
          {"/etc/passwd", "passwd (1)"},
          {"C:\\Windows\\evil.exe", "evil.exe"},
          {"a\u0000b.txt", "ab.txt"},
          {"CON", "_CON"},
          {"..", "file"},
      };
      int n = 0;
      for (String[] c : cases) {
        String id = "h" + n++;
        byte[] content = {(byte) n};
        mallory.send(bob.address(), offer("mallory", id, c[0], content, 8));
        bobLog.await("as transfer " + id, WAIT);
        bob.execute("accept file " + id);
        mallory.expect(FileTransferAccept.class, WAIT);
        mallory.send(bob.address(), chunk("mallory", id, 0, content));
        String saved = bobLog.await("received ", WAIT);
        assertEquals(Boolean.TRUE, mallory.expect(FileAck.class, WAIT).getComplete());
        assertTrue(saved.endsWith("saved as " + downloads.resolve(c[1])), saved);
        assertEquals(-1L, Files.mismatch(downloads.resolve(c[1]), writeTemp(content)));
      }
      assertFalse(Files.exists(tmp.resolve("etc")));
    }
  }

  private Path writeTemp(byte[] content) throws Exception {
    return Files.write(Files.createTempFile(tmp, "expected", ".bin"), content);
  }

  @Test
  void a2018TextFileTransferIsSavedAndA2018PeerIsNeverSentAFileMessage() throws Exception {
    LineLog bobLog = new LineLog("bob");
    Path downloads = tmp.resolve("bob-downloads");
    try (ChatPeer bob = peer("bob", bobLog, downloads, FileTransferLimits.defaults());
        FakePeer patchouli = FakePeer.start()) {
      // A 2018 program: no features.
      patchouli.sendRaw(bob.address(), ("{\"msgtype\": \"CHAT_REQUEST\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"host\": \"127.0.0.1\", \"port\": " + patchouli.address().port() + "}}").getBytes(UTF_8));
      bobLog.await("Please enter", WAIT);
      bob.execute("yes");
      patchouli.expect(ChatAccept.class, WAIT);
      patchouli.sendRaw(bob.address(), ("{\"msgtype\": \"FILE_TRANSFER\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"filename\": \"../notes.txt\", \"filenum\": 2, \"curnum\": 1, \"filedata\": \"second part\\n\"}}")
          .getBytes(UTF_8));
      patchouli.sendRaw(bob.address(), ("{\"msgtype\": \"FILE_TRANSFER\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"filename\": \"../notes.txt\", \"filenum\": 2, \"curnum\": 0, \"filedata\": \"first \\u4f60\\u597d, \"}}")
          .getBytes(UTF_8));
      String saved = bobLog.await("received text file notes.txt from patchouli (2018 FILE_TRANSFER", WAIT);
      assertEquals("first 你好, second part\n", Files.readString(downloads.resolve("notes.txt"), UTF_8), saved);

      Path file = randomFile("photo.jpg", 10, 3);
      bob.execute("send file patchouli " + file);
      bobLog.await("patchouli cannot receive files", WAIT);
      // A file message from a peer that did not advertise files is dropped, and chat goes on.
      patchouli.send(bob.address(), chunk("patchouli", "x1", 0, new byte[] {1}));
      patchouli.sendRaw(bob.address(), ("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"patchouli\", "
          + "\"message\": \"hi\"}}").getBytes(UTF_8));
      bobLog.await("patchouli: hi", WAIT);
      patchouli.expectNothing(QUIET);
    }
  }
}
