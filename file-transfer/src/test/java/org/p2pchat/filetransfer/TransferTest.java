package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-side state machine, progress and the transfer table, with a simulated clock. */
class TransferTest {
  private static final long SECOND = 1_000_000_000L;
  private static final FileTransferLimits LIMITS = FileTransferLimits.builder()
      .offerTimeout(Duration.ofSeconds(60)).stallTimeout(Duration.ofSeconds(30)).maxTransfersPerPeer(2).build();
  private static final Offer OFFER = new Offer("abc", "photo.jpg", 1000, "f".repeat(64), 100);

  private static Transfer receiving() {
    Transfer t = Transfer.offered(Transfer.Side.RECEIVE, "alice", OFFER, 0, LIMITS);
    assertTrue(t.accept(SECOND));
    assertTrue(t.start(0, SECOND));
    return t;
  }

  @Test
  void happyPathOnBothSides() {
    Transfer send = Transfer.offered(Transfer.Side.SEND, "bob", OFFER, 0, LIMITS);
    assertEquals(TransferState.OFFERED, send.state());
    assertTrue(send.accept(SECOND));
    assertEquals(TransferState.ACCEPTED, send.state());
    assertTrue(send.start(0, SECOND));
    assertEquals(TransferState.SENDING, send.state());
    assertTrue(send.complete(2 * SECOND));
    assertEquals(TransferState.COMPLETED, send.state());
    assertEquals(100, send.percent());
    assertEquals(TransferState.RECEIVING, receiving().state());
  }

  @Test
  void refusedOfferEndsAndIgnoresLateEvents() {
    Transfer t = Transfer.offered(Transfer.Side.SEND, "bob", OFFER, 0, LIMITS);
    assertTrue(t.refuse(FailureReason.REFUSED, SECOND));
    assertEquals(TransferState.REFUSED, t.state());
    assertFalse(t.accept(2 * SECOND), "a late yes changes nothing");
    assertFalse(t.cancel(false, 2 * SECOND));
    assertEquals(FailureReason.REFUSED, t.reason());
  }

  @Test
  void unansweredOfferExpiresAtItsDeadline() {
    Transfer t = Transfer.offered(Transfer.Side.RECEIVE, "alice", OFFER, 5 * SECOND, LIMITS);
    assertEquals(65 * SECOND, t.offerDeadline());
    assertFalse(t.tick(65 * SECOND - 1));
    assertTrue(t.tick(65 * SECOND));
    assertEquals(TransferState.EXPIRED, t.state());
    assertFalse(t.accept(66 * SECOND), "yes after expiry does nothing");
  }

  @Test
  void runningTransferWithoutProgressStalls() {
    Transfer t = receiving();
    t.progress(100, 10 * SECOND);
    assertFalse(t.tick(39 * SECOND));
    t.progress(100, 39 * SECOND); // the same bytes again are no progress
    assertTrue(t.tick(40 * SECOND));
    assertEquals(TransferState.FAILED, t.state());
    assertEquals(FailureReason.STALLED, t.reason());
  }

  @Test
  void cancelFromEitherSide() {
    Transfer mine = receiving();
    assertTrue(mine.cancel(false, 2 * SECOND));
    assertEquals(TransferState.CANCELLED, mine.state());
    assertFalse(mine.endedByPeer());
    Transfer theirs = Transfer.offered(Transfer.Side.SEND, "bob", OFFER, 0, LIMITS);
    assertTrue(theirs.cancel(true, SECOND));
    assertTrue(theirs.endedByPeer());
    assertTrue(theirs.describe().contains("cancelled (by bob)"), theirs.describe());
  }

  @Test
  void failureCarriesReasonAndDetail() {
    Transfer t = receiving();
    assertTrue(t.fail(FailureReason.CHECKSUM_MISMATCH, "got 0123…", false));
    assertFalse(t.fail(FailureReason.IO_ERROR, "later", false));
    assertEquals(FailureReason.CHECKSUM_MISMATCH, t.reason());
    assertTrue(t.describe().endsWith("the file does not match its SHA-256: got 0123…"), t.describe());
  }

  @Test
  void plainProgressReportsEveryTenPercentOnce() {
    Transfer t = receiving();
    List<Integer> steps = new ArrayList<>();
    for (long b = 0; b <= 1000; b += 30) {
      OptionalInt step = t.progress(b, SECOND + b * 1_000_000);
      step.ifPresent(steps::add);
    }
    t.progress(1000, 3 * SECOND).ifPresent(steps::add);
    assertEquals(List.of(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), steps);
  }

  @Test
  void resumedTransferStartsItsProgressAtTheVerifiedBytes() {
    Transfer t = Transfer.offered(Transfer.Side.RECEIVE, "alice", OFFER, 0, LIMITS);
    t.accept(0);
    assertTrue(t.start(4, 0));
    assertEquals(400, t.bytesDone());
    assertEquals(40, t.percent());
    assertFalse(t.progress(450, SECOND).isPresent());
    assertEquals(OptionalInt.of(50), t.progress(500, SECOND));
  }

  @Test
  void speedIsMeasuredOverARecentWindow() {
    Progress p = new Progress(1_000_000_000, 0, 5 * SECOND, 0);
    for (int s = 1; s <= 10; s++) {
      p.update(s * (s <= 5 ? 1_000_000L : 3_000_000L) - (s > 5 ? 10_000_000L : 0), s * SECOND);
    }
    // Last 5 s went at 3 MB/s; the slow start no longer counts.
    assertEquals(3_000_000, p.bytesPerSecond(), 1);
    assertTrue(p.secondsLeft() > 0);
  }

  @Test
  void emptyFileIsAtOneHundredPercent() {
    Progress p = new Progress(0, 0, SECOND, 0);
    assertEquals(100, p.percent());
  }

  @Test
  void sendWindowBoundsUnackedChunks() {
    SendWindow w = new SendWindow(10, 2, 3);
    assertEquals(2, w.take());
    assertEquals(3, w.take());
    assertEquals(4, w.take());
    assertFalse(w.canSend());
    assertEquals(SendWindow.Ack.IMPOSSIBLE, w.onAck(6), "ack beyond what was sent");
    assertEquals(SendWindow.Ack.STALE, w.onAck(1), "ack below the start: says nothing new");
    assertEquals(SendWindow.Ack.STALE, w.onAck(2), "ack at the start: says nothing new");
    assertFalse(w.canSend(), "a stale ack does not open the window");
    assertEquals(SendWindow.Ack.ADVANCED, w.onAck(4));
    assertEquals(5, w.take());
    assertEquals(6, w.take());
    assertFalse(w.canSend());
    assertThrows(IllegalStateException.class, w::take);
    assertEquals(SendWindow.Ack.ADVANCED, w.onAck(7));
    assertEquals(SendWindow.Ack.STALE, w.onAck(4), "an older ack overtaken by a newer one is ignored");
    assertEquals(7, w.take(), "the window stays where the newest ack put it");
    while (w.canSend()) {
      w.take();
    }
    assertEquals(SendWindow.Ack.ADVANCED, w.onAck(10));
    assertTrue(w.allAcked());
  }

  @Test
  void tableLimitsConcurrentTransfersPerPeer() {
    TransferTable table = new TransferTable(LIMITS);
    Transfer a = Transfer.offered(Transfer.Side.RECEIVE, "alice", OFFER, 0, LIMITS);
    Transfer b = Transfer.offered(Transfer.Side.SEND, "alice", new Offer("b", "x", 1, "f".repeat(64), 1), 0, LIMITS);
    Transfer c = Transfer.offered(Transfer.Side.RECEIVE, "alice", new Offer("c", "y", 1, "c".repeat(64), 1), 0,
        LIMITS);
    Transfer d = Transfer.offered(Transfer.Side.RECEIVE, "bob", new Offer("d", "y", 1, "d".repeat(64), 1), 0,
        LIMITS);
    assertEquals(Optional.empty(), table.admit(a));
    assertEquals(Optional.empty(), table.admit(b));
    assertEquals(Optional.of(FailureReason.BUSY), table.admit(c));
    assertEquals(Optional.empty(), table.admit(d), "another peer has its own allowance");
    assertEquals(Optional.of(FailureReason.PROTOCOL), table.admit(a), "ids are unique");
    a.refuse(FailureReason.REFUSED, 0);
    assertEquals(Optional.empty(), table.admit(c), "an ended transfer frees its slot");
    assertEquals(List.of(a, b, d, c), table.list());
    table.prune(0);
    assertEquals(List.of(b, d, c), table.list());
    assertEquals(16, TransferTable.newId(new SplittableRandom(1)).length());
  }

  @Test
  void tableRefusesASecondConcurrentDownloadOfTheSameFile() {
    TransferTable table = new TransferTable(LIMITS);
    Transfer first = Transfer.offered(Transfer.Side.RECEIVE, "alice", OFFER, 0, LIMITS);
    Offer same = new Offer("other", "copy.jpg", OFFER.size(), OFFER.sha256(), 50);
    Transfer second = Transfer.offered(Transfer.Side.RECEIVE, "bob", same, 0, LIMITS);
    assertEquals(Optional.empty(), table.admit(first));
    assertEquals(Optional.of(FailureReason.BUSY), table.admit(second));
    first.cancel(false, 0);
    assertEquals(Optional.empty(), table.admit(second));
  }

  @Test
  void failureReasonsRoundTripTheirWireTokens() {
    for (FailureReason r : FailureReason.values()) {
      assertEquals(r, FailureReason.fromWire(r.wire()));
    }
    assertEquals(FailureReason.PROTOCOL, FailureReason.fromWire("no-such-reason"));
  }
}
