package org.p2pchat.server.registry;

import java.util.Objects;

/** What {@link RegistryStore#register} did: registered, name taken, or registry full. Immutable. */
public sealed interface RegisterOutcome {
  /** The name was free and is now registered, durably. */
  record Registered(Registration registration) implements RegisterOutcome {
    public Registered {
      Objects.requireNonNull(registration, "registration");
    }
  }

  /** The name is registered already; {@code holder} is that registration. Nothing changed. */
  record Taken(Registration holder) implements RegisterOutcome {
    public Taken {
      Objects.requireNonNull(holder, "holder");
    }
  }

  /** The name was free but the registry holds its maximum number of registrations. Nothing changed. */
  record Full(int cap) implements RegisterOutcome {}

  default boolean registered() {
    return this instanceof Registered;
  }
}
