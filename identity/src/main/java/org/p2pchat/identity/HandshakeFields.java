package org.p2pchat.identity;

import java.util.List;

/**
 * The optional identity fields of CHAT_REQUEST (no {@code sig}) and CHAT_ACCEPT, as the JSON strings they are on the
 * wire: {@code features} (list of strings), {@code idkey}, {@code ephkey}, {@code nonce}, {@code sig} (unpadded
 * base64url). A 2018 reader ignores them. Any component may be null when absent.
 */
public record HandshakeFields(List<String> features, String idkey, String ephkey, String nonce, String sig) {
    public HandshakeFields {
        // a null element (not a string on the wire) becomes "": never a crash, and never identity-v1
        features = features == null ? null : features.stream().map(f -> f == null ? "" : f).toList();
    }

    /** True when the counterpart advertised {@link Handshake#FEATURE}: only then may CHAT_CONFIRM and sealed messages go to it. */
    public boolean advertisesIdentity() {
        return features != null && features.contains(Handshake.FEATURE) && idkey != null;
    }
}
