package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** completeOldest, complete and fail forget the question they answer, so each answer goes to the next one. */
class PendingRepliesOldestTest {
  @Test
  void successiveAnswersWithNoFieldsGoToSuccessiveQuestions() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> first = pending.expect("a:1", Duration.ofSeconds(10));
    CompletableFuture<String> second = pending.expect("b:2", Duration.ofSeconds(10));
    assertTrue(pending.completeOldest(k -> true, "one"));
    assertFalse(pending.isPending("a:1"), "the answered question is forgotten");
    assertTrue(pending.isPending("b:2"));
    assertEquals(1, pending.size());
    assertTrue(pending.completeOldest(k -> true, "two"), "the second answer goes to the second question");
    assertEquals("one", first.get(1, TimeUnit.SECONDS));
    assertEquals("two", second.get(1, TimeUnit.SECONDS));
    assertEquals(0, pending.size());
    assertFalse(pending.completeOldest(k -> true, "three"), "nobody is left to answer");
  }

  @Test
  void completeOldestSkipsQuestionsThatDoNotMatch() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> peer = pending.expect("peer:a", Duration.ofSeconds(10));
    CompletableFuture<String> server = pending.expect("server:x", Duration.ofSeconds(10));
    assertTrue(pending.completeOldest(k -> k.startsWith("server:"), "ok"));
    assertEquals("ok", server.get(1, TimeUnit.SECONDS));
    assertFalse(peer.isDone());
    assertTrue(pending.isPending("peer:a"));
    assertFalse(pending.completeOldest(k -> k.startsWith("server:"), "again"));
  }

  @Test
  void completeAndFailForgetTheQuestionSoItCanBeAskedAgain() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> a = pending.expect("alice", Duration.ofSeconds(10));
    assertTrue(pending.isPending("alice"));
    assertTrue(pending.complete("alice", "yes"));
    assertFalse(pending.isPending("alice"));
    assertFalse(pending.complete("alice", "again"));
    assertEquals("yes", a.get(1, TimeUnit.SECONDS));

    CompletableFuture<String> b = pending.expect("alice", Duration.ofSeconds(10));
    IllegalStateException boom = new IllegalStateException("gone");
    assertTrue(pending.fail("alice", boom));
    assertFalse(pending.isPending("alice"));
    assertFalse(pending.fail("alice", boom), "nobody is waiting any more");
    ExecutionException e = assertThrows(ExecutionException.class, () -> b.get(1, TimeUnit.SECONDS));
    assertEquals(boom, e.getCause());
    assertEquals(0, pending.size());
  }

  @Test
  void anAnsweredQuestionIsNotFailedLaterByItsDeadline() throws Exception {
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> a = pending.expect("alice", Duration.ofSeconds(10));
    pending.complete("alice", "yes");
    // Asking again at once: the old future's clean-up must not remove the new question.
    CompletableFuture<String> again = pending.expect("alice", Duration.ofSeconds(10));
    assertEquals("yes", a.get(1, TimeUnit.SECONDS));
    assertTrue(pending.isPending("alice"));
    assertFalse(again.isDone());
  }

  @Test
  void anAnswerGivenWhileTheOldestIsBeingAnsweredGoesToTheNextQuestion() throws Exception {
    // Whoever waits on the first question may answer the next one at once, from inside its callback (which
    // runs before the future's own bookkeeping): the entry being answered must already be gone by then.
    PendingReplies<String, String> pending = new PendingReplies<>();
    CompletableFuture<String> first = pending.expect("a:1", Duration.ofSeconds(10));
    CompletableFuture<String> second = pending.expect("b:2", Duration.ofSeconds(10));
    boolean[] nested = new boolean[1];
    first.thenRun(() -> nested[0] = pending.completeOldest(k -> true, "two"));
    assertTrue(pending.completeOldest(k -> true, "one"));
    assertTrue(nested[0], "the answer given from the callback found a question to answer");
    assertEquals("one", first.get(1, TimeUnit.SECONDS));
    assertEquals("two", second.get(1, TimeUnit.SECONDS), "and it was the next question, not the one being answered");
    assertEquals(0, pending.size());
  }
}
