package org.p2pchat.sdk;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Questions waiting for an answer that arrives on another connection: each is a key (a peer's name or
 * address), a deadline and a future. No global flags: an answer completes only the question it is for.
 *
 * <p>The protocol sends replies as new messages to the asker's advertised address, so "register and
 * wait for REGISTER_SUCCESS" or "chat request and wait for CHAT_ACCEPT from that peer" is
 * {@link #expect}, and the handler of the reply calls {@link #complete}. Thread-safe.
 *
 * @param <K> what identifies a question
 * @param <R> the answer
 */
public final class PendingReplies<K, R> {
  /** Insertion order, so the oldest question is found first. */
  private final Map<K, CompletableFuture<R>> pending = new LinkedHashMap<>();

  /**
   * Starts waiting for the answer to {@code key}. The future fails with a {@link TimeoutException} after
   * {@code timeout}, and the question is then forgotten. Throws if {@code key} is already awaited.
   */
  public CompletableFuture<R> expect(K key, Duration timeout) {
    Objects.requireNonNull(key, "key");
    CompletableFuture<R> future = new CompletableFuture<>();
    synchronized (pending) {
      if (pending.containsKey(key)) {
        throw new IllegalStateException("already waiting for an answer from " + key);
      }
      pending.put(key, future);
    }
    future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> {
          synchronized (pending) {
            pending.remove(key, future);
          }
        });
    return future;
  }

  /** Answers the question {@code key}; false if nobody was waiting for it (a stray or late answer). */
  public boolean complete(K key, R answer) {
    CompletableFuture<R> future;
    synchronized (pending) {
      future = pending.remove(key);
    }
    return future != null && future.complete(answer);
  }

  /**
   * Answers the oldest question whose key matches, for answers that do not say who they are from
   * (CHAT_REFUSE and REGISTER_SUCCESS carry no fields). False if none matches.
   */
  public boolean completeOldest(Predicate<? super K> matches, R answer) {
    CompletableFuture<R> future = null;
    synchronized (pending) {
      Iterator<Map.Entry<K, CompletableFuture<R>>> it = pending.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<K, CompletableFuture<R>> entry = it.next();
        if (matches.test(entry.getKey())) {
          future = entry.getValue();
          it.remove();
          break;
        }
      }
    }
    return future != null && future.complete(answer);
  }

  /** Fails the question {@code key}; false if nobody was waiting. */
  public boolean fail(K key, Throwable cause) {
    CompletableFuture<R> future;
    synchronized (pending) {
      future = pending.remove(key);
    }
    return future != null && future.completeExceptionally(cause);
  }

  public boolean isPending(K key) {
    synchronized (pending) {
      return pending.containsKey(key);
    }
  }

  public int size() {
    synchronized (pending) {
      return pending.size();
    }
  }
}
