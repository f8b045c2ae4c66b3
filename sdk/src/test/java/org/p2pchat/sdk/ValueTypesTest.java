package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.Violation;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.sdk.internal.NamedThreads;

/** The small value types and helpers: what each accessor returns and how each prints. No sockets. */
class ValueTypesTest {
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 4242);

  @Test
  void addressesConvertWithoutLookingAnythingUp() {
    assertEquals("unknown", Addresses.describe(null));
    assertEquals("127.0.0.1:4242", Addresses.describe(FROM));
    InetSocketAddress unresolved = Addresses.toSocketAddress(new HostPort("peer.example", 4000));
    assertTrue(unresolved.isUnresolved(), "no DNS lookup when converting");
    assertEquals("peer.example", unresolved.getHostString());
    assertEquals(4000, unresolved.getPort());
    assertEquals(new HostPort("127.0.0.1", 4242), Addresses.of(FROM));
  }

  @Test
  void aRejectionPrintsItsReasonOriginMsgtypeAndEscapedDetail() {
    IOException cause = new IOException("reset");
    Rejection withType = new Rejection(RejectReason.IO_ERROR, FROM, "CHAT_MESSAGE", "line\nbreak", cause);
    assertSame(cause, withType.cause());
    assertSame(FROM, withType.remote());
    assertEquals("CHAT_MESSAGE", withType.msgtype());
    String text = withType.toString();
    assertTrue(text.startsWith("rejected IO_ERROR from 127.0.0.1:4242 msgtype=CHAT_MESSAGE: "), text);
    assertFalse(text.contains("\n"), "the detail's newline is escaped: " + text);

    Rejection noType = new Rejection(RejectReason.EMPTY, null, null, "nothing", null);
    assertEquals("rejected EMPTY from unknown: nothing", noType.toString());
    assertNull(noType.cause());
    assertThrows(NullPointerException.class, () -> new Rejection(null, FROM, null, "x", null));
    assertThrows(NullPointerException.class, () -> new Rejection(RejectReason.EMPTY, FROM, null, null, null));
  }

  @Test
  void aProtocolExceptionListsEveryViolationSeparatedBySemicolons() {
    Violation first = Violation.tooLarge(10, 5);
    Violation second = Violation.tooLarge(20, 5);
    ProtocolException e = new ProtocolException(RejectReason.TOO_LARGE, "REGISTER", List.of(first, second));
    assertEquals(first + "; " + second, e.getMessage());
    assertEquals("REGISTER", e.msgtype());
    assertEquals(RejectReason.TOO_LARGE, e.reason());
    assertEquals(List.of(first, second), e.violations());
    ProtocolException one = new ProtocolException(RejectReason.INVALID, null, List.of(first));
    assertEquals(first.toString(), one.getMessage(), "one violation: no separator");
    assertNull(one.msgtype());
  }

  @Test
  void aSendExceptionCarriesItsReasonAndTarget() {
    HostPort target = new HostPort("127.0.0.1", 9);
    IOException cause = new IOException("refused");
    SendException e = new SendException(SendException.Reason.REFUSED, target, "cannot send", cause);
    assertEquals(SendException.Reason.REFUSED, e.reason());
    assertSame(target, e.target());
    assertSame(cause, e.getCause());
    assertEquals("cannot send", e.getMessage());
  }

  @Test
  void namedThreadsAreNumberedDaemons() {
    NamedThreads threads = new NamedThreads("p2pchat-test");
    Thread a = threads.newThread(() -> { });
    Thread b = threads.newThread(() -> { });
    assertEquals("p2pchat-test-1", a.getName());
    assertEquals("p2pchat-test-2", b.getName());
    assertTrue(a.isDaemon(), "a worker never keeps the JVM alive");
    assertTrue(b.isDaemon());
  }

  @Test
  void countersCountEachKindApartAndPrintOnlyNonZeroRejections() {
    Counters counters = new Counters();
    counters.received();
    counters.received();
    counters.dispatched();
    counters.sent();
    counters.sent();
    counters.sent();
    counters.sendFailed();
    counters.rejected(RejectReason.EMPTY);
    counters.rejected(RejectReason.EMPTY);
    counters.rejected(RejectReason.HANDLER_ERROR);
    Counters.Snapshot s = counters.snapshot();
    assertEquals(2, s.received());
    assertEquals(1, s.dispatched());
    assertEquals(3, s.sent());
    assertEquals(1, s.sendFailures());
    assertEquals(2, s.rejected(RejectReason.EMPTY));
    assertEquals(1, s.handlerErrors());
    assertEquals(3, s.rejectedTotal());
    assertEquals(0, s.rejected(RejectReason.TOO_LARGE));
    String text = s.toString();
    assertTrue(text.startsWith("received=2 dispatched=1 sent=3 sendFailures=1"), text);
    assertTrue(text.contains(" rejected.empty=2"), text);
    assertTrue(text.contains(" rejected.handler_error=1"), text);
    assertFalse(text.contains("too_large"), text);
    // A snapshot is a copy: later counts do not change it.
    counters.sent();
    assertEquals(3, s.sent());
    assertEquals(4, counters.snapshot().sent());
  }

  @Test
  void theEncodedSizeCapIsInclusive() throws Exception {
    ChatMessage message = new ChatMessage().withPeername("alice").withMessage("x".repeat(100));
    int size = new Codec(MessageValidator.create(), true, WireJson.Style.PYTHON).encode(message).length;
    Codec exact = new Codec(MessageValidator.withMaxBytes(size), true, WireJson.Style.PYTHON);
    assertEquals(size, exact.encode(message).length, "a message of exactly the cap is encoded");
    Codec under = new Codec(MessageValidator.withMaxBytes(size - 1), true, WireJson.Style.PYTHON);
    ProtocolException e = assertThrows(ProtocolException.class, () -> under.encode(message));
    assertEquals(RejectReason.TOO_LARGE, e.reason());
    assertEquals("CHAT_MESSAGE", e.msgtype());
    // Without outgoing validation the cap is not applied either.
    Codec unchecked = new Codec(MessageValidator.withMaxBytes(size - 1), false, WireJson.Style.PYTHON);
    assertEquals(size, unchecked.encode(message).length);
  }
}
