package org.p2pchat.server.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How a store is opened. Immutable; start from {@link #defaults()}.
 *
 * @param cap the largest number of registrations accepted; {@link Integer#MAX_VALUE} for none
 * @param poolSize PostgreSQL connections per server (ignored for the file store)
 * @param connectTimeout how long a PostgreSQL call waits for a connection before the store reports
 *     {@link RegistryUnavailable} (and the first connection at start before it fails)
 */
public record RegistryOptions(int cap, int poolSize, Duration connectTimeout) {
  public static final int DEFAULT_POOL_SIZE = 4;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public RegistryOptions {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, got " + cap);
    }
    if (poolSize < 1 || poolSize > 64) {
      throw new IllegalArgumentException("pool size must be 1-64, got " + poolSize);
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connect timeout must be at least 250 ms, got " + connectTimeout);
    }
  }

  /** No cap, {@value #DEFAULT_POOL_SIZE} connections, 5 s connect timeout. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(Integer.MAX_VALUE, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
  }

  public RegistryOptions withCap(int newCap) {
    return new RegistryOptions(newCap, poolSize, connectTimeout);
  }

  public RegistryOptions withPoolSize(int newPoolSize) {
    return new RegistryOptions(cap, newPoolSize, connectTimeout);
  }

  public RegistryOptions withConnectTimeout(Duration newTimeout) {
    return new RegistryOptions(cap, poolSize, newTimeout);
  }
}
