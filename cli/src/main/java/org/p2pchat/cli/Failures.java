package org.p2pchat.cli;

import java.util.concurrent.CompletionException;

/** What went wrong, with the wrappers of asynchronous code taken off. */
public final class Failures {
  private Failures() {}

  /** The cause a CompletionException wraps, or {@code error} itself. */
  public static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
