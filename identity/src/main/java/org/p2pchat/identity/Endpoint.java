package org.p2pchat.identity;

import java.util.Objects;

/** A party as its handshake message names it: {@code peername} and the advertised {@code host}/{@code port}. */
public record Endpoint(String name, String host, int port) {
    public Endpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }
}
