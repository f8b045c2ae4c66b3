package org.p2pchat.sdk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;

/** The handler table and the dispatching a node runs, without sockets: what runs, what is counted, what is reported. */
class DispatcherTest {
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 4242);
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void aValidMessageRunsItsHandlerWithItsContextAndIsCounted() {
    List<ChatMessage> got = new ArrayList<>();
    List<MessageContext> contexts = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    Dispatcher d = new Dispatcher().on(ChatMessage.class, (msg, ctx) -> {
      got.add(msg);
      contexts.add(ctx);
    }).onError(rejected::add);
    assertTrue(d.handles(MessageType.CHAT_MESSAGE));
    assertFalse(d.handles(MessageType.DISCONNECT));
    d.dispatch(bytes(Recorder.chat("alice", "hi")), FROM, AT);
    assertEquals(1, got.size());
    assertEquals("alice", got.get(0).getPeername());
    assertEquals("hi", got.get(0).getMessage());
    MessageContext ctx = contexts.get(0);
    assertEquals(FROM, ctx.remote());
    assertEquals(AT, ctx.receivedAt());
    assertEquals(MessageType.CHAT_MESSAGE, ctx.type());
    assertEquals("hi", ctx.tree().get("msgdata").get("message").asText());
    assertEquals(List.of(), rejected);
    Counters.Snapshot c = d.counters().snapshot();
    assertEquals(1, c.received());
    assertEquals(1, c.dispatched());
    assertEquals(0, c.rejectedTotal());
    assertEquals("received=1 dispatched=1 sent=0 sendFailures=0", c.toString());
  }

  @Test
  void eachKindOfBadInputIsRejectedWithItsReasonCountedAndReported() {
    List<Rejection> rejected = new ArrayList<>();
    Dispatcher d = new Dispatcher().on(ChatMessage.class, (msg, ctx) -> { }).onError(rejected::add);
    d.dispatch(bytes("{not json"), FROM, AT);
    d.dispatch(new byte[] {'"', (byte) 0xff, '"'}, FROM, AT);
    d.dispatch(bytes("{\"msgtype\": \"NO_SUCH_TYPE\", \"msgdata\": {}}"), FROM, AT);
    d.dispatch(bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {}}"), FROM, AT);
    d.dispatch(bytes("{\"msgtype\": \"DISCONNECT\", \"msgdata\": {\"peername\": \"bob\"}}"), FROM, AT);
    List<RejectReason> reasons = rejected.stream().map(Rejection::reason).toList();
    assertEquals(List.of(RejectReason.MALFORMED_JSON, RejectReason.NOT_UTF8, RejectReason.UNKNOWN_TYPE,
        RejectReason.INVALID, RejectReason.UNHANDLED), reasons);
    assertTrue(rejected.stream().allMatch(r -> FROM.equals(r.remote())));
    assertEquals("CHAT_MESSAGE", rejected.get(3).msgtype());
    assertEquals("DISCONNECT", rejected.get(4).msgtype());
    assertNull(rejected.get(0).msgtype());
    Counters.Snapshot c = d.counters().snapshot();
    assertEquals(5, c.received());
    assertEquals(0, c.dispatched());
    assertEquals(5, c.rejectedTotal());
    assertEquals(1, c.rejected(RejectReason.UNHANDLED));
    assertEquals(1, c.rejected(RejectReason.INVALID));
    assertEquals(0, c.handlerErrors());
    assertTrue(c.toString().contains(" rejected.unhandled=1"), c.toString());
    assertTrue(c.toString().contains(" rejected.malformed_json=1"), c.toString());
    assertFalse(c.toString().contains("rejected.too_large"), "zero counts are left out: " + c);
  }

  @Test
  void aHandlerThatThrowsIsAHandlerErrorAndTheNextMessageIsServed() {
    List<Rejection> rejected = new ArrayList<>();
    List<String> served = new ArrayList<>();
    Dispatcher d = new Dispatcher().on(ChatMessage.class, (msg, ctx) -> {
      if (msg.getMessage().equals("boom")) {
        throw new IllegalStateException("boom");
      }
      served.add(msg.getMessage());
    }).onError(rejected::add);
    d.dispatch(bytes(Recorder.chat("a", "boom")), FROM, AT);
    d.dispatch(bytes(Recorder.chat("a", "next")), FROM, AT);
    assertEquals(List.of("next"), served);
    assertEquals(1, rejected.size());
    Rejection r = rejected.get(0);
    assertEquals(RejectReason.HANDLER_ERROR, r.reason());
    assertEquals("CHAT_MESSAGE", r.msgtype());
    assertTrue(r.cause() instanceof IllegalStateException);
    assertTrue(r.detail().contains("boom"), r.detail());
    Counters.Snapshot c = d.counters().snapshot();
    assertEquals(1, c.handlerErrors());
    assertEquals(1, c.dispatched(), "only the handler that returned counts as dispatched");
    assertEquals(2, c.received());
  }

  @Test
  void anErrorListenerThatThrowsChangesNothing() {
    Dispatcher d = new Dispatcher().onError(r -> {
      throw new IllegalStateException("listener broke");
    });
    d.dispatch(bytes("nonsense"), FROM, AT);
    d.reject(new Rejection(RejectReason.EMPTY, FROM, null, "empty", null));
    assertEquals(2, d.counters().snapshot().rejectedTotal());
    assertEquals(1, d.counters().snapshot().rejected(RejectReason.EMPTY));
  }

  @Test
  void theTableIsCheckedAndFixedOnceUsed() {
    Dispatcher d = new Dispatcher();
    assertThrows(IllegalArgumentException.class, () -> d.on(String.class, (msg, ctx) -> { }));
    assertThrows(NullPointerException.class, () -> d.on(ChatMessage.class, null));
    assertThrows(NullPointerException.class, () -> d.onError(null));
    d.on(ChatMessage.class, (msg, ctx) -> { });
    assertThrows(IllegalStateException.class, () -> d.on(ChatMessage.class, (msg, ctx) -> { }));
    d.dispatch(bytes(Recorder.chat("a", "b")), FROM, AT);
    assertThrows(IllegalStateException.class, () -> d.on(Disconnect.class, (msg, ctx) -> { }));
  }

  @Test
  void aNodeCopiesTheTableWhenBuilt() {
    List<String> later = new ArrayList<>();
    Dispatcher d = new Dispatcher();
    FrameDispatcher built = d.build(Codec.standard(), new Counters());
    d.on(ChatMessage.class, (msg, ctx) -> later.add(msg.getMessage()));
    assertFalse(built.handles(MessageType.CHAT_MESSAGE), "registered after build: not in the built table");
    built.dispatch(bytes(Recorder.chat("a", "b")), FROM, AT);
    assertEquals(List.of(), later);
    assertEquals(1, built.counters().snapshot().rejected(RejectReason.UNHANDLED));
  }

  @Test
  void codecEncodesThe2018FormAndRefusesInvalidOrOversizedMessages() throws Exception {
    Codec codec = Codec.standard();
    byte[] wire = codec.encode(new ChatMessage().withPeername("alice").withMessage("hi"));
    Codec.Decoded back = codec.decode(wire);
    assertEquals(MessageType.CHAT_MESSAGE, back.type());
    assertEquals("hi", ((ChatMessage) back.message()).getMessage());
    assertEquals("alice", back.tree().get("msgdata").get("peername").asText());
    assertArrayEquals(WireJson.write(WireJson.toTree(new ChatMessage().withPeername("alice").withMessage("hi")),
        WireJson.Style.PYTHON), wire);

    ProtocolException invalid = assertThrows(ProtocolException.class, () -> codec.encode(new ChatMessage()));
    assertEquals(RejectReason.INVALID, invalid.reason());
    assertEquals("CHAT_MESSAGE", invalid.msgtype());
    // Not validating, the same message goes out as it is.
    assertTrue(new Codec(MessageValidator.create(), false, WireJson.Style.PYTHON).encode(new ChatMessage()).length > 0);

    Codec small = new Codec(MessageValidator.withMaxBytes(60), true, WireJson.Style.PYTHON);
    ProtocolException tooLarge = assertThrows(ProtocolException.class,
        () -> small.encode(new ChatMessage().withPeername("alice").withMessage("x".repeat(100))));
    assertEquals(RejectReason.TOO_LARGE, tooLarge.reason());
    ProtocolException tooLargeIn = assertThrows(ProtocolException.class,
        () -> small.decode(bytes(Recorder.chat("alice", "x".repeat(100)))));
    assertEquals(RejectReason.TOO_LARGE, tooLargeIn.reason());
    assertSame(small.validator(), small.validator());
    assertEquals(60, small.validator().maxBytes());

    ProtocolException trailing = assertThrows(ProtocolException.class,
        () -> codec.decode(bytes(Recorder.chat("a", "b") + " {}")));
    assertEquals(RejectReason.TRAILING_DATA, trailing.reason());
    ProtocolException notObject = assertThrows(ProtocolException.class, () -> codec.decode(bytes("[1]")));
    assertNull(notObject.msgtype());
    ProtocolException numberType = assertThrows(ProtocolException.class,
        () -> codec.decode(bytes("{\"msgtype\": 7, \"msgdata\": {}}")));
    assertNull(numberType.msgtype(), "a msgtype that is not text is not reported as one");
  }

  @Test
  void withoutIncomingValidationOnlyTheEnvelopeIsChecked() throws Exception {
    Codec lax = new Codec(MessageValidator.create(), false, true, WireJson.Style.PYTHON);
    Codec.Decoded d = lax.decode(bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\"}}"));
    assertEquals(MessageType.CHAT_MESSAGE, d.type());
    assertNull(((ChatMessage) d.message()).getMessage());
    assertThrows(ProtocolException.class, () -> Codec.standard()
        .decode(bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\"}}")));
  }
}
