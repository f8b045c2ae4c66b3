package org.p2pchat.conformance.internal;

import static org.p2pchat.conformance.internal.Messages.chatRequest;
import static org.p2pchat.conformance.internal.Messages.listpeer;
import static org.p2pchat.conformance.internal.Messages.register2018;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;
import org.p2pchat.conformance.internal.IdentityWire.Initiator;
import org.p2pchat.conformance.internal.IdentityWire.KeyedClient;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerRequest;

/**
 * The identity-v1 rules (docs/identity.md), for both roles. Each case first sends an identity-v1 message; a
 * target whose answer does not advertise identity-v1 gets N/A for the case, never FAIL, so a 2018-style
 * implementation is judged only by the rules it claims. A peer shows what it receives, which the wire cannot see:
 * the peer cases judge what the wire can show (an answer, or none; the pin a completed handshake leaves, seen as a
 * refused plaintext CHAT_REQUEST in the pinned name) and that the target keeps serving.
 */
final class IdentityCases {
  /**
   * The identity fields a 2018 reader must never be sent (docs/identity.md section 4). {@code features} is not
   * among them: it is how capabilities are advertised, to anyone (docs/protocol.md#rule-v2-capabilities).
   */
  static final List<String> NEW_FIELDS = List.of("idkey", "ephkey", "nonce", "sig", "ts", "to", "re", "keys", "seq",
      "box");

  private IdentityCases() {}

  static List<Case> server() {
    return List.of(
        Case.of(server("identity.server.keyed-register", "A keyed, signed REGISTER binds the name to the key: the "
            + "signed REGISTER_SUCCESS and LISTPEER reply verify, the reply's keys list it, and the name cannot be "
            + "registered by another key or by a 2018 REGISTER", Rules.ID_SERVER_NAMES),
            IdentityCases::keyedRegister),
        Case.of(server("identity.server.forged-exit-network", "An unsigned or wrongly signed EXIT_NETWORK for a "
            + "keyed name is ignored (the name stays listed and bound); the signed one frees it",
            Rules.ID_SERVER_NAMES), IdentityCases::forgedExit),
        Case.of(server("identity.server.forged-listpeer", "An unsigned or wrongly signed LISTPEER for a keyed name "
            + "gets no reply anywhere; the signed one gets a signed reply", Rules.ID_SERVER_NAMES),
            IdentityCases::forgedListpeer),
        Case.of(server("identity.server.replayed-request", "A replayed signed LISTPEER gets no reply; a signed "
            + "EXIT_NETWORK replayed after the name registered again does not remove it", Rules.ID_FRESHNESS),
            IdentityCases::replayedRequest),
        Case.of(server("identity.server.stale-request", "A signed LISTPEER or EXIT_NETWORK stamped 2 minutes in the "
            + "past or future is ignored; a fresh one is served", Rules.ID_FRESHNESS), IdentityCases::staleRequest),
        Case.of(server("identity.server.2018-client", "Beside keyed peers, a 2018 REGISTER and LISTPEER get "
            + "replies with none of the identity fields", Rules.ID_2018), IdentityCases::serverFor2018));
  }

  static List<Case> peer() {
    return List.of(
        Case.of(peer("identity.peer.handshake", "A CHAT_REQUEST with identity-v1 gets a CHAT_ACCEPT whose "
            + "signature verifies over the transcript; after CHAT_CONFIRM the name is pinned: a plaintext "
            + "CHAT_REQUEST in that name is not accepted", Rules.ID_HANDSHAKE), IdentityCases::handshake),
        Case.of(peer("identity.peer.forged-confirm", "A CHAT_CONFIRM with a bad signature pins nothing (a plaintext "
            + "CHAT_REQUEST in that name is still accepted) and the genuine confirm after it is still served",
            Rules.ID_HANDSHAKE), IdentityCases::forgedConfirm),
        Case.of(peer("identity.peer.bad-handshake", "A CHAT_REQUEST with a low-order X25519 key, a small-order "
            + "identity key or a 31-byte key gets no CHAT_ACCEPT; the next good one does", Rules.ID_HANDSHAKE),
            IdentityCases::badHandshake),
        Case.of(peer("identity.peer.forged-chat-message", "In a sealed session, a plaintext CHAT_MESSAGE or "
            + "DISCONNECT in the peer's name and a box sealed with another key get no reply; the pin holds and the "
            + "peer keeps serving", Rules.ID_SEALED), IdentityCases::forgedChatMessage),
        Case.of(peer("identity.peer.forged-chat-accept", "Unsolicited CHAT_ACCEPTs (plaintext, and signed by "
            + "another key) and a CHAT_REFUSE in a pinned peer's name get no reply (no CHAT_CONFIRM); the pin holds",
            Rules.ID_SEALED), IdentityCases::forgedChatAccept),
        Case.of(peer("identity.peer.tampered-sealed", "A bit-flipped, truncated, re-typed or replayed sealed message "
            + "gets no reply; the pin holds and the peer keeps serving", Rules.ID_SEALED),
            IdentityCases::tamperedSealed),
        Case.of(peer("identity.peer.2018-requester", "Beside identity-v1 chats, a plaintext CHAT_REQUEST from a "
            + "new name gets a CHAT_ACCEPT with none of the identity fields", Rules.ID_2018),
            IdentityCases::peerFor2018));
  }

  private static CaseInfo server(String id, String description, Rules.Rule rule) {
    return new CaseInfo(id, description, rule.anchor(), rule.text(), EnumSet.of(Role.SERVER));
  }

  private static CaseInfo peer(String id, String description, Rules.Rule rule) {
    return new CaseInfo(id, description, rule.anchor(), rule.text(), EnumSet.of(Role.PEER));
  }

  // ---- server ----

  /** Registers a fresh keyed client; N/A if the target's REGISTER_SUCCESS is not signed. */
  private static KeyedClient registered(CaseRun run, String stem) throws Exception {
    KeyedClient client = new KeyedClient(run.name(stem), run.endpoint("peer " + stem));
    run.sendBytes(client.register(Instant.now()));
    try {
      client.verify(run.expectReply(client.at, MessageType.REGISTER_SUCCESS), true);
    } catch (CaseFailure notApplicable) {
      if (notApplicable.verdict() == org.p2pchat.conformance.Verdict.NOT_APPLICABLE) {
        // A 2018 server registered the name without a key: free it the 2018 way.
        run.send(new ExitNetwork().withPeername(client.name));
      }
      throw notApplicable;
    }
    return client;
  }

  /** A signed LISTPEER from {@code client}: the reply must verify; returns it. */
  private static Arrival signedList(CaseRun run, KeyedClient client) throws Exception {
    run.sendBytes(client.listpeer(Instant.now()));
    Arrival reply = run.expectReply(client.at, MessageType.LISTPEER_REPLY);
    client.verify(reply, false);
    return reply;
  }

  private static void expectListed(Arrival reply, String name, HostPort at, String because) throws CaseFailure {
    Map<String, HostPort> listed = Peerlists.ours(reply, name::equals);
    if (!at.equals(listed.get(name))) {
      throw CaseFailure.fail(name + " still listed at " + at + " (" + because + ")",
          listed.isEmpty() ? name + " is not listed" : "it lists " + Peerlists.show(listed));
    }
  }

  private static String keyedRegister(CaseRun run) throws Exception {
    KeyedClient a = registered(run, "a");
    Arrival list = signedList(run, a);
    expectListed(list, a.name, a.at.advertised(), "it registered");
    Object key = IdentityWire.msgdata(list).get("keys") instanceof Map<?, ?> keys ? keys.get(a.name) : null;
    if (!a.key.publicKey().base64url().equals(key)) {
      throw CaseFailure.fail("the signed LISTPEER reply's keys give " + a.name + " its key "
          + a.key.publicKey().base64url(), "keys." + a.name + " is " + key + ": " + list.describe());
    }
    KeyedClient other = new KeyedClient(a.name, run.endpoint("peer with another key"));
    other.serverKey = a.serverKey;
    run.sendBytes(other.register(Instant.now()));
    other.verify(run.expectReply(other.at, MessageType.REGISTER_ERROR), false);
    Endpoint old = run.endpoint("2018 client");
    run.send(register2018(a.name, old.advertised()));
    Arrival error = run.expectReply(old, MessageType.REGISTER_ERROR);
    expectNoNewFields(error, "a REGISTER_ERROR to a 2018 REGISTER");
    expectListed(signedList(run, a), a.name, a.at.advertised(), "the other REGISTERs were refused");
    leave(run, a);
    return "signed replies verify with key " + a.serverKey.fingerprint() + "; keys lists " + a.name
        + "; another key and a 2018 REGISTER got REGISTER_ERROR";
  }

  /** The signed EXIT_NETWORK that frees a keyed name, so a run leaves the server's list as it found it. */
  private static void leave(CaseRun run, KeyedClient client) throws Exception {
    run.sendBytes(client.exit(Instant.now()));
    run.expectSilence("EXIT_NETWORK has no reply");
  }

  private static String forgedExit(CaseRun run) throws Exception {
    KeyedClient a = registered(run, "a");
    run.send(new ExitNetwork().withPeername(a.name));
    run.expectSilence("an unsigned EXIT_NETWORK has no reply");
    KeyedClient forger = new KeyedClient(a.name, run.endpoint("forger"));
    run.sendBytes(forger.exit(Instant.now()));
    run.expectSilence("an EXIT_NETWORK signed by another key has no reply");
    expectListed(signedList(run, a), a.name, a.at.advertised(), "the forged EXIT_NETWORKs must be ignored");
    run.send(register2018(a.name, forger.at.advertised()));
    run.expectReply(forger.at, MessageType.REGISTER_ERROR);
    run.sendBytes(a.exit(Instant.now()));
    run.expectSilence("EXIT_NETWORK has no reply");
    run.send(register2018(a.name, forger.at.advertised()));
    run.expectReply(forger.at, MessageType.REGISTER_SUCCESS);
    run.send(new ExitNetwork().withPeername(a.name));
    run.expectSilence("EXIT_NETWORK has no reply");
    return "unsigned and wrongly signed EXIT_NETWORK ignored (" + a.name + " stayed listed and bound); the signed "
        + "one freed the name";
  }

  private static String forgedListpeer(CaseRun run) throws Exception {
    KeyedClient a = registered(run, "a");
    run.send(new ListpeerRequest().withPeername(a.name));
    run.expectSilence("an unsigned LISTPEER for a keyed name is ignored");
    KeyedClient forger = new KeyedClient(a.name, run.endpoint("forger"));
    run.sendBytes(forger.listpeer(Instant.now()));
    run.expectSilence("a LISTPEER signed by another key is ignored");
    expectListed(signedList(run, a), a.name, a.at.advertised(), "it registered");
    leave(run, a);
    return "no reply to the unsigned and the wrongly signed LISTPEER; the signed one got a signed reply";
  }

  private static String replayedRequest(CaseRun run) throws Exception {
    KeyedClient a = registered(run, "a");
    byte[] list = a.listpeer(Instant.now());
    run.sendBytes(list);
    a.verify(run.expectReply(a.at, MessageType.LISTPEER_REPLY), false);
    run.sendBytes(list);
    run.expectSilence("a replayed signed LISTPEER is ignored");
    byte[] exit = a.exit(Instant.now());
    run.sendBytes(exit);
    run.expectSilence("EXIT_NETWORK has no reply");
    run.sendBytes(a.register(Instant.now()));
    a.verify(run.expectReply(a.at, MessageType.REGISTER_SUCCESS), false);
    run.sendBytes(exit);
    run.expectSilence("a replayed EXIT_NETWORK has no reply");
    expectListed(signedList(run, a), a.name, a.at.advertised(), "a replayed EXIT_NETWORK must be ignored");
    run.sendBytes(a.exit(Instant.now()));
    run.expectSilence("EXIT_NETWORK has no reply");
    return "the replayed LISTPEER got no reply; the replayed EXIT_NETWORK left " + a.name + " registered";
  }

  private static String staleRequest(CaseRun run) throws Exception {
    KeyedClient a = registered(run, "a");
    for (long seconds : new long[] {-120, 120}) {
      String when = seconds < 0 ? "2 minutes old" : "2 minutes in the future";
      run.sendBytes(a.listpeer(Instant.now().plusSeconds(seconds)));
      run.expectSilence("a LISTPEER stamped " + when + " is ignored");
      run.sendBytes(a.exit(Instant.now().plusSeconds(seconds)));
      run.expectSilence("EXIT_NETWORK has no reply");
    }
    expectListed(signedList(run, a), a.name, a.at.advertised(), "stale EXIT_NETWORKs must be ignored");
    run.sendBytes(a.exit(Instant.now()));
    run.expectSilence("EXIT_NETWORK has no reply");
    return "stale and future LISTPEER and EXIT_NETWORK ignored; a fresh LISTPEER served";
  }

  private static String serverFor2018(CaseRun run) throws Exception {
    KeyedClient keyed = registered(run, "keyed");
    Endpoint old = run.endpoint("2018 client");
    String name = run.name("old");
    run.send(register2018(name, old.advertised()));
    expectNoNewFields(run.expectReply(old, MessageType.REGISTER_SUCCESS), "a REGISTER_SUCCESS to a 2018 REGISTER");
    run.send(listpeer(name));
    Arrival list = run.expectReply(old, MessageType.LISTPEER_REPLY);
    expectNoNewFields(list, "a LISTPEER reply to a 2018 name");
    // Not checked: that the keyed peer is in it. A server may cut a 2018 reply to the oldest peers that fit in
    // 1,024 bytes (the 2018 reader's single read), and this case runs late in a run.
    run.send(new ExitNetwork().withPeername(name));
    run.expectSilence("EXIT_NETWORK has no reply");
    leave(run, keyed);
    return "the 2018 client's REGISTER_SUCCESS and LISTPEER reply carry no identity field";
  }

  private static void expectNoNewFields(Arrival reply, String what) throws CaseFailure {
    Map<String, Object> data = IdentityWire.msgdata(reply);
    for (String field : NEW_FIELDS) {
      if (data.containsKey(field)) {
        throw CaseFailure.fail(what + " with none of the identity fields " + NEW_FIELDS, "it carries \"" + field
            + "\": " + reply.describe());
      }
    }
  }

  // ---- peer ----

  /** Sends {@code who}'s CHAT_REQUEST and checks the CHAT_ACCEPT (N/A without identity-v1). */
  private static Handshake.InitiatorResult accepted(CaseRun run, Initiator who) throws Exception {
    run.sendBytes(who.request());
    Arrival accept;
    try {
      accept = run.expectReply(who.at, MessageType.CHAT_ACCEPT);
    } catch (CaseFailure failure) {
      throw CaseFailure.fail(failure.expected(), failure.actual() + PeerCases.AUTO_ACCEPT_HINT);
    }
    return who.onAccept(accept);
  }

  /** A completed handshake: request, verified accept, confirm, silence. */
  private static Session connected(CaseRun run, Initiator who) throws Exception {
    Handshake.InitiatorResult result = accepted(run, who);
    run.sendBytes(who.confirm(result.confirmSig()));
    run.expectSilence("CHAT_CONFIRM has no reply");
    return result.session();
  }

  /** The pin a verified handshake leaves: a plaintext CHAT_REQUEST in {@code name} gets no CHAT_ACCEPT. */
  private static void expectPinned(CaseRun run, String name, String because) throws Exception {
    Endpoint downgrade = run.endpoint("plaintext " + name);
    run.send(chatRequest(name, downgrade.advertised()));
    List<Arrival> arrived = run.watch();
    if (!arrived.isEmpty()) {
      throw CaseFailure.fail("no answer to a plaintext CHAT_REQUEST in the name of " + name + ", pinned by "
          + because + " (docs/protocol.md#rule-identity-pin)", "got " + arrived.get(0).describe());
    }
  }

  private static String handshake(CaseRun run) throws Exception {
    Initiator a = new Initiator(run.name("a"), run.endpoint("peer A"));
    Session session = connected(run, a);
    Session.Sealed m = IdentityWire.seal(session, "CHAT_MESSAGE", "{\"message\":\"Hello, sealed 你好.\"}");
    run.sendBytes(IdentityWire.sealed("CHAT_MESSAGE", a.name, m.seq(), m.boxBase64url()));
    run.expectSilence("a sealed CHAT_MESSAGE has no reply");
    expectPinned(run, a.name, "its verified CHAT_CONFIRM");
    run.expectStillServing("an identity-v1 handshake and a sealed message");
    return "CHAT_ACCEPT signature verified (session " + session.id() + "); after CHAT_CONFIRM a plaintext "
        + "CHAT_REQUEST as " + a.name + " was not accepted";
  }

  private static String forgedConfirm(CaseRun run) throws Exception {
    String badSig = IdentityWire.base64url(new byte[64]);
    Initiator x = new Initiator(run.name("x"), run.endpoint("peer X"));
    accepted(run, x);
    run.sendBytes(x.confirm(badSig));
    run.expectSilence("a forged CHAT_CONFIRM has no reply");
    Endpoint plain = run.endpoint("plaintext X");
    run.send(chatRequest(x.name, plain.advertised()));
    try {
      run.expectReply(plain, MessageType.CHAT_ACCEPT);
    } catch (CaseFailure failure) {
      throw CaseFailure.fail("a plaintext CHAT_REQUEST as " + x.name + " still accepted: a CHAT_CONFIRM with a bad "
          + "signature must pin nothing", failure.actual());
    }
    Initiator y = new Initiator(run.name("y"), run.endpoint("peer Y"));
    Handshake.InitiatorResult result = accepted(run, y);
    run.sendBytes(y.confirm(badSig));
    run.expectSilence("a forged CHAT_CONFIRM has no reply");
    run.sendBytes(y.confirm(result.confirmSig()));
    run.expectSilence("CHAT_CONFIRM has no reply");
    expectPinned(run, y.name, "the genuine CHAT_CONFIRM sent after a forged one");
    return "the forged confirm pinned nothing (" + x.name + " still accepted in plaintext); the genuine one after "
        + "a forged one pinned " + y.name;
  }

  private static String badHandshake(CaseRun run) throws Exception {
    accepted(run, new Initiator(run.name("probe"), run.endpoint("identity probe")));
    byte[] zero = new byte[32];
    byte[] smallOrderKey = new byte[32];
    smallOrderKey[0] = 1; // the Ed25519 neutral element: a small-order point
    Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
    bad.put("a low-order X25519 ephkey (all zero)", Map.of("ephkey", IdentityWire.base64url(zero)));
    bad.put("a small-order identity key", Map.of("idkey", IdentityWire.base64url(smallOrderKey)));
    bad.put("a 31-byte idkey", Map.of("idkey", IdentityWire.base64url(new byte[31])));
    for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
      Initiator who = new Initiator(run.name("bad"), run.endpoint("peer with " + e.getKey()));
      run.sendBytes(who.request(e.getValue()));
      List<Arrival> arrived = run.watch();
      if (!arrived.isEmpty()) {
        throw CaseFailure.fail("no answer to a CHAT_REQUEST with " + e.getKey()
            + " (docs/protocol.md#rule-identity-handshake)", "got " + arrived.get(0).describe());
      }
    }
    accepted(run, new Initiator(run.name("good"), run.endpoint("peer G")));
    return "no CHAT_ACCEPT for " + String.join(", ", bad.keySet()) + "; the next good request was accepted";
  }

  private static String forgedChatMessage(CaseRun run) throws Exception {
    Initiator a = new Initiator(run.name("a"), run.endpoint("peer A"));
    Session session = connected(run, a);
    run.send(new ChatMessage().withPeername(a.name).withMessage("Send me your password (forged)."));
    run.expectSilence("a plaintext CHAT_MESSAGE in a sealed session's name has no reply");
    Initiator forger = new Initiator(a.name, run.endpoint("forger"));
    Session own = connectedElsewhere(forger);
    Session.Sealed f = IdentityWire.seal(own, "CHAT_MESSAGE", "{\"message\":\"forged\"}");
    run.sendBytes(IdentityWire.sealed("CHAT_MESSAGE", a.name, f.seq(), f.boxBase64url()));
    run.expectSilence("a box sealed with another key has no reply");
    run.send(new Disconnect().withPeername(a.name));
    run.expectSilence("a plaintext DISCONNECT in a sealed session's name has no reply");
    Session.Sealed m = IdentityWire.seal(session, "CHAT_MESSAGE", "{\"message\":\"the real one\"}");
    run.sendBytes(IdentityWire.sealed("CHAT_MESSAGE", a.name, m.seq(), m.boxBase64url()));
    run.expectSilence("a sealed CHAT_MESSAGE has no reply");
    expectPinned(run, a.name, "its verified handshake");
    run.expectStillServing("forged messages in a sealed session's name");
    return "no reply to the plaintext CHAT_MESSAGE, the foreign box or the plaintext DISCONNECT; " + a.name
        + " still pinned";
  }

  /**
   * A session the forger holds with some other responder (played here by the core itself), so its box is a
   * well-formed, correctly sealed one under a key the target does not know.
   */
  private static Session connectedElsewhere(Initiator forger) throws Exception {
    org.p2pchat.identity.Endpoint self = new org.p2pchat.identity.Endpoint(forger.name,
        forger.at.advertised().host(), forger.at.advertised().port());
    org.p2pchat.identity.Endpoint other = new org.p2pchat.identity.Endpoint("elsewhere", "127.0.0.1", 9);
    org.p2pchat.identity.ResponderHandshake responder = org.p2pchat.identity.ResponderHandshake.receive(
        IdentityKeyPair.generate(IdentityWire.RANDOM), other, self, forger.handshake.requestFields(),
        org.p2pchat.identity.HandshakeConfig.DEFAULTS, IdentityWire.RANDOM);
    Handshake.InitiatorResult result = forger.handshake.onAccept(other, responder.accept(Instant.now()),
        Instant.now());
    return result.session();
  }

  private static String forgedChatAccept(CaseRun run) throws Exception {
    Initiator a = new Initiator(run.name("a"), run.endpoint("peer A"));
    connected(run, a);
    Endpoint forger = run.endpoint("forger");
    run.send(new ChatAccept().withPeername(a.name).withHost(forger.advertised().host())
        .withPort(forger.advertised().port()));
    run.expectSilence("an unsolicited plaintext CHAT_ACCEPT has no reply");
    Initiator signer = new Initiator(a.name, forger);
    Map<String, Object> signed = new LinkedHashMap<>();
    signed.put("peername", a.name);
    signed.put("host", forger.advertised().host());
    signed.put("port", forger.advertised().port());
    signed.put("features", Handshake.FEATURES);
    signed.put("idkey", signer.key.publicKey().base64url());
    signed.put("ephkey", signer.handshake.requestFields().ephkey());
    signed.put("nonce", signer.handshake.requestFields().nonce());
    signed.put("sig", IdentityWire.base64url(signer.key.sign(new byte[] {1, 2, 3})));
    run.sendBytes(IdentityWire.message("CHAT_ACCEPT", signed));
    run.expectSilence("an unsolicited signed CHAT_ACCEPT has no reply (no CHAT_CONFIRM)");
    Map<String, Object> refuse = new LinkedHashMap<>();
    refuse.put("peername", a.name);
    refuse.put("features", Handshake.FEATURES);
    refuse.put("idkey", signer.key.publicKey().base64url());
    refuse.put("sig", IdentityWire.base64url(signer.key.sign(new byte[] {4, 5, 6})));
    run.sendBytes(IdentityWire.message("CHAT_REFUSE", refuse));
    run.expectSilence("an unsolicited signed CHAT_REFUSE has no reply");
    expectPinned(run, a.name, "its verified handshake");
    run.expectStillServing("forged CHAT_ACCEPTs in a pinned name");
    return "no reply to the unsolicited plaintext and signed CHAT_ACCEPT or the CHAT_REFUSE; " + a.name
        + " still pinned";
  }

  private static String tamperedSealed(CaseRun run) throws Exception {
    Initiator a = new Initiator(run.name("a"), run.endpoint("peer A"));
    Session session = connected(run, a);
    Session.Sealed m = IdentityWire.seal(session, "CHAT_MESSAGE", "{\"message\":\"once only\"}");
    byte[] flipped = m.box().clone();
    flipped[flipped.length / 2] ^= 0x01;
    Map<String, byte[]> bad = new LinkedHashMap<>();
    bad.put("CHAT_MESSAGE with one bit flipped", IdentityWire.sealed("CHAT_MESSAGE", a.name, m.seq(),
        IdentityWire.base64url(flipped)));
    bad.put("CHAT_MESSAGE cut to 8 bytes", IdentityWire.sealed("CHAT_MESSAGE", a.name, m.seq(),
        IdentityWire.base64url(java.util.Arrays.copyOf(m.box(), 8))));
    bad.put("the box as a DISCONNECT", IdentityWire.sealed("DISCONNECT", a.name, m.seq(), m.boxBase64url()));
    bad.put("the box under another counter", IdentityWire.sealed("CHAT_MESSAGE", a.name, m.seq() + 1,
        m.boxBase64url()));
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      run.sendBytes(e.getValue());
      run.expectSilence("a tampered sealed message (" + e.getKey() + ") has no reply");
    }
    byte[] genuine = IdentityWire.sealed("CHAT_MESSAGE", a.name, m.seq(), m.boxBase64url());
    run.sendBytes(genuine);
    run.expectSilence("a sealed CHAT_MESSAGE has no reply");
    run.sendBytes(genuine);
    run.expectSilence("a replayed sealed CHAT_MESSAGE has no reply");
    expectPinned(run, a.name, "its verified handshake");
    run.expectStillServing("tampered sealed messages");
    return "no reply to " + String.join(", ", bad.keySet()) + " or the replay; " + a.name + " still pinned";
  }

  private static String peerFor2018(CaseRun run) throws Exception {
    connected(run, new Initiator(run.name("keyed"), run.endpoint("peer K")));
    Endpoint old = run.endpoint("2018 peer");
    run.send(chatRequest(run.name("old"), old.advertised()));
    Arrival accept = run.expectReply(old, MessageType.CHAT_ACCEPT);
    expectNoNewFields(accept, "a CHAT_ACCEPT to a 2018 CHAT_REQUEST");
    return "the 2018 requester's CHAT_ACCEPT carries no identity field: " + accept.describe();
  }
}
