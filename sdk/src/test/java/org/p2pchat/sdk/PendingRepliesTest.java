package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRequest;

class PendingRepliesTest {
  @Test
  void aReplyCompletesTheQuestionItAnswers() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> alice = pending.expect("alice", Duration.ofSeconds(10));
    CompletableFuture<String> bob = pending.expect("bob", Duration.ofSeconds(10));
    assertTrue(pending.complete("bob", "accepted"));
    assertEquals("accepted", bob.get(1, TimeUnit.SECONDS));
    assertFalse(alice.isDone(), "bob's reply does not answer alice's question");
    assertEquals(1, pending.size());
  }

  @Test
  void aReplyFromSomeoneNobodyAskedCompletesNothing() {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> alice = pending.expect("alice", Duration.ofSeconds(10));
    assertFalse(pending.complete("mallory", "accepted"));
    assertFalse(alice.isDone());
  }

  @Test
  void aDeadlineExpiresCleanly() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> f = pending.expect("alice", Duration.ofMillis(50));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    // Forgotten once expired: a late reply completes nothing and the key can be asked again.
    assertFalse(pending.complete("alice", "late"));
    assertEquals(0, pending.size());
    pending.expect("alice", Duration.ofSeconds(1));
  }

  @Test
  void askingTheSameQuestionTwiceIsAnError() {
    PendingReplies<String, String> pending = new PendingReplies<>();
    pending.expect("alice", Duration.ofSeconds(10));
    assertThrows(IllegalStateException.class, () -> pending.expect("alice", Duration.ofSeconds(10)));
  }

  @Test
  void anAnswerWithNoFieldsGoesToTheOldestMatchingQuestion() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> first = pending.expect("a:1", Duration.ofSeconds(10));
    CompletableFuture<String> second = pending.expect("b:2", Duration.ofSeconds(10));
    assertTrue(pending.completeOldest(k -> true, "refused"));
    assertEquals("refused", first.get(1, TimeUnit.SECONDS));
    assertFalse(second.isDone());
  }

  @Test
  void chatRequestRoundTripCompletesOnlyFromTheRightPeer() throws Exception {
    // A requester node waits for CHAT_ACCEPT keyed by the address it asked; answers arrive on new connections.
    PendingReplies<HostPort, ChatAccept> pending = new PendingReplies<>();
    Dispatcher dispatcher = new Dispatcher().on(ChatAccept.class, (accept, ctx) ->
        pending.complete(new HostPort(accept.getHost(), accept.getPort()), accept));
    try (Node requester = Node.builder().dispatcher(dispatcher).build().start();
        AcceptingPeer other = AcceptingPeer.start(requester.address())) {
      CompletableFuture<ChatAccept> answer = pending.expect(other.address(), Duration.ofSeconds(10));
      // A stranger accepts first: it must not complete the question.
      other.sendAccept("mallory", new HostPort("127.0.0.1", 1));
      requester.send(other.address(), new ChatRequest().withPeername("patchouli")
          .withHost(requester.address().host()).withPort(requester.address().port()));
      ChatAccept accept = answer.get(10, TimeUnit.SECONDS);
      assertEquals("alice", accept.getPeername());
      assertEquals(other.address().port(), accept.getPort().intValue());
    }
  }
}
