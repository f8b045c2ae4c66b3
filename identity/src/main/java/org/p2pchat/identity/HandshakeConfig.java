package org.p2pchat.identity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Handshake deadlines and advertised features. {@code acceptTimeout}: how long an initiator waits for CHAT_ACCEPT
 * (a person must type yes; default 10 min). {@code confirmTimeout}: how long a responder waits for CHAT_CONFIRM
 * after sending CHAT_ACCEPT (default 60 s). {@code features}: the whole {@code features} list this side sends in
 * CHAT_REQUEST / CHAT_ACCEPT / CHAT_REFUSE (it is signed as sent, so other capabilities of the program, such as
 * {@code eof} or {@code files}, belong in it); default {@link Handshake#FEATURES}; must contain
 * {@link Handshake#FEATURE}.
 */
public record HandshakeConfig(Duration acceptTimeout, Duration confirmTimeout, List<String> features) {
    public static final HandshakeConfig DEFAULTS = new HandshakeConfig(Duration.ofMinutes(10), Duration.ofSeconds(60));

    public HandshakeConfig {
        Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        Objects.requireNonNull(confirmTimeout, "confirmTimeout");
        features = List.copyOf(features);
        if (!features.contains(Handshake.FEATURE)) {
            throw new IllegalArgumentException("features must contain " + Handshake.FEATURE + ": " + features);
        }
    }

    public HandshakeConfig(Duration acceptTimeout, Duration confirmTimeout) {
        this(acceptTimeout, confirmTimeout, Handshake.FEATURES);
    }

    /** The same deadlines, advertising {@code features} (which must contain {@link Handshake#FEATURE}). */
    public HandshakeConfig withFeatures(List<String> features) {
        return new HandshakeConfig(acceptTimeout, confirmTimeout, features);
    }
}
