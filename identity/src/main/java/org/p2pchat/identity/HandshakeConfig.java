package org.p2pchat.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * Handshake deadlines. {@code acceptTimeout}: how long an initiator waits for CHAT_ACCEPT (a person must type yes;
 * default 10 min). {@code confirmTimeout}: how long a responder waits for CHAT_CONFIRM after sending CHAT_ACCEPT
 * (default 60 s).
 */
public record HandshakeConfig(Duration acceptTimeout, Duration confirmTimeout) {
    public static final HandshakeConfig DEFAULTS = new HandshakeConfig(Duration.ofMinutes(10), Duration.ofSeconds(60));

    public HandshakeConfig {
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
    }
}
