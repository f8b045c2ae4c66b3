package org.p2pchat.conformance.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peer names for one run of the suite, all under a random prefix, so that names a target still holds from
 * an earlier run (or an earlier case) never collide with this one's. Thread-safe.
 */
public final class Names {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final String prefix;
  private final AtomicInteger next = new AtomicInteger();

  public Names(String prefix) {
    this.prefix = prefix;
  }

  /** A prefix like {@code k3x9q-}: five random characters and a dash. */
  public static Names random() {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return new Names(sb.append('-').toString());
  }

  public String prefix() {
    return prefix;
  }

  /** A name never handed out before in this run: prefix, stem and a counter. */
  public String fresh(String stem) {
    return prefix + stem + next.incrementAndGet();
  }

  /** A nested scope for one generated-sequence run, such as {@code k3x9q-s4-}. */
  public Names scope() {
    return new Names(prefix + "s" + next.incrementAndGet() + "-");
  }
}
