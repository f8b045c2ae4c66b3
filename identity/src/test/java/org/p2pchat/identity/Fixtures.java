package org.p2pchat.identity;

import java.security.SecureRandom;
import java.time.Instant;

/** Shared test parties. */
final class Fixtures {
    static final SecureRandom RANDOM = new SecureRandom();
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final IdentityKeyPair ALICE = IdentityKeyPair.generate(RANDOM);
    static final IdentityKeyPair BOB = IdentityKeyPair.generate(RANDOM);
    static final IdentityKeyPair MALLORY = IdentityKeyPair.generate(RANDOM);
    static final Endpoint ALICE_AT = new Endpoint("alice", "localhost", 30001);
    static final Endpoint BOB_AT = new Endpoint("bob", "localhost", 30002);
    static final Endpoint MALLORY_AT = new Endpoint("mallory", "localhost", 30666);

    private Fixtures() {
    }

    /** A full honest handshake alice → bob. */
    static Session[] sessions() throws IdentityException {
        InitiatorHandshake a = InitiatorHandshake.start(ALICE, ALICE_AT, null, HandshakeConfig.DEFAULTS, RANDOM, T0);
        ResponderHandshake b = ResponderHandshake.receive(BOB, BOB_AT, ALICE_AT, a.requestFields(),
                HandshakeConfig.DEFAULTS, RANDOM);
        HandshakeFields accept = b.accept(T0);
        Handshake.InitiatorResult ar = a.onAccept(BOB_AT, accept, T0);
        Handshake.Result br = b.onConfirm("alice", ar.confirmSig(), null, T0);
        return new Session[] {ar.session(), br.session()};
    }
}
