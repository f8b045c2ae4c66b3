package org.p2pchat.peer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.Session;
import java.util.function.Function;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chatting with connected peers: sending and showing messages, the current conversation ({@code talk}),
 * listing ({@code list connected peer}, {@code who}) and disconnecting. With a verified identity-v1 session,
 * CHAT_MESSAGE and DISCONNECT are sealed both ways, and nothing unsealed, unopenable or replayed in that peer's
 * name is acted on; a plaintext message naming a pinned peer is never shown as its words.
 */
public final class Conversations {
  private static final Logger log = LoggerFactory.getLogger(Conversations.class);
  static final String CHAT_MESSAGE = "CHAT_MESSAGE";
  static final String DISCONNECT = "DISCONNECT";
  /** What {@code who} shows in its identity column until something verifies peers. */
  public static final Function<String, String> NOT_VERIFIED = name -> "-";
  /** The schema's limit on a message's text (characters), kept for sealed text too. */
  static final int MAX_MESSAGE_CHARS = 65_536;

  private final Identity me;
  private final Outbox outbox;
  private final PeerOutput out;
  private final ConnectedPeers connected;
  private final PeerTrust trust;
  private final AwaitingConfirm awaiting;
  private final Capabilities capabilities;
  /** The identity column of {@code who}: a peer name to its verification state (the identity feature's hook). */
  private final Function<String, String> verification;
  /** Relays to peers reachable only through others; null without a mesh. */
  private volatile MeshLink mesh;
  /** The peer that lines without a leading {@code /} go to, or null. */
  private volatile String current;

  public Conversations(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected,
      Capabilities capabilities, Function<String, String> verification) {
    this(me, outbox, out, connected, capabilities, verification, null, new AwaitingConfirm());
  }

  Conversations(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected, Capabilities capabilities,
      Function<String, String> verification, PeerTrust trust, AwaitingConfirm awaiting) {
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
    this.trust = trust;
    this.awaiting = awaiting;
    this.capabilities = capabilities;
    this.verification = verification;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatMessage.class, this::onMessage);
    dispatcher.on(Disconnect.class, this::onDisconnect);
  }

  /**
   * {@code chat message PEERNAME MESSAGE}. A peer that advertised {@code eof} gets up to the schema's
   * limit in raw UTF-8; any other is treated as a 2018 program (at most 1,024 bytes, one read).
   */
  public void send(String peername, String message) {
    HostPort address = connected.get(peername);
    if (address == null) {
      MeshLink relay = mesh;
      if (relay == null || !relay.relay(peername, message)) {
        out.line(notConnected(peername));
      }
      return;
    }
    // A peer that advertised eof reads to end of stream: long text, raw UTF-8 (sealed or not).
    boolean eof = capabilities.has(peername, Capabilities.EOF);
    Session session = connected.session(peername);
    ChatMessage chat;
    if (session == null) {
      chat = new ChatMessage().withPeername(me.name()).withMessage(message);
    } else {
      if (message.codePointCount(0, message.length()) > MAX_MESSAGE_CHARS) {
        out.line("not sent to " + Lines.printable(peername) + ": message is over " + MAX_MESSAGE_CHARS
            + " characters");
        return;
      }
      ObjectNode plain = PeerTrust.json().createObjectNode().put("message", message);
      Session.Sealed sealed = seal(session, CHAT_MESSAGE, plain);
      if (sealed == null) {
        return;
      }
      chat = new ChatMessage().withPeername(me.name()).withSeq(sealed.seq()).withBox(sealed.boxBase64url());
    }
    boolean sent = eof ? outbox.sendUtf8(address, chat) : outbox.send(address, chat);
    if (sent) {
      connected.touch(peername);
    }
  }

  /** Chat messages to peers that are not connected go through this mesh. */
  void attachMesh(MeshLink mesh) {
    this.mesh = mesh;
  }

  /** {@code list network}: the peers reachable through the mesh. */
  public void listNetwork() {
    MeshLink m = mesh;
    if (m == null) {
      out.line("no mesh: it needs an identity (this peer runs in 2018 mode or with the mesh off)");
    } else {
      m.list();
    }
  }

  /** {@code talk PEERNAME}: lines not starting with {@code /} go to that peer; {@code talk} alone leaves. */
  public void talk(String peername) {
    if (peername == null) {
      String was = current;
      current = null;
      out.line(was == null ? "not in a conversation (\"talk PEERNAME\" starts one)"
          : "left the conversation with " + Lines.printable(was));
      return;
    }
    if (!connected.contains(peername)) {
      out.line(notConnected(peername));
      return;
    }
    current = peername;
    out.line("talking to " + Lines.printable(peername) + ": plain lines go to " + Lines.printable(peername)
        + "; /talk leaves, /help lists commands");
  }

  /** The current conversation's peer, or null. */
  public String current() {
    return current;
  }

  /** {@code list connected peer}. */
  public void list() {
    Map<String, HostPort> peers = connected.snapshot();
    if (peers.isEmpty()) {
      out.line("no connected peers");
      return;
    }
    out.line("connected peers:");
    peers.forEach((name, address) -> out.line(Lines.peer(name, address)));
  }

  /** {@code who}: connected peers with their idle time and identity state. */
  public void who() {
    Map<String, HostPort> peers = connected.snapshot();
    if (peers.isEmpty()) {
      out.line("no connected peers");
      return;
    }
    out.line(String.format(Locale.ROOT, "    %-16s %-24s %-8s %s", "PEER", "ADDRESS", "IDLE", "IDENTITY"));
    peers.forEach((name, address) -> {
      Duration idle = connected.idle(name);
      out.line(String.format(Locale.ROOT, "    %-16s %-24s %-8s %s", Lines.printable(name),
          Lines.printable(address.toString()), idle == null ? "-" : idle(idle),
          Lines.printable(verification.apply(name))));
    });
  }

  /** {@code disconnect PEERNAME}; says so, since the other side is the one that prints the 2018 line. */
  public void disconnect(String peername) {
    Session session = connected.session(peername);
    HostPort address = connected.remove(peername);
    if (address == null) {
      out.line(notConnected(peername));
      return;
    }
    capabilities.forget(peername);
    Disconnect d = disconnectFor(session);
    boolean told = d != null && outbox.send(address, d);
    out.line("disconnected from " + Lines.named(peername, address) + (told ? "" : " (it could not be told)"));
    endConversationWith(peername);
  }

  /** Disconnects from everyone, for exit; the futures complete once each is sent or failed. */
  public List<CompletableFuture<Boolean>> disconnectAll() {
    List<CompletableFuture<Boolean>> sends = new ArrayList<>();
    current = null;
    Map<String, Session> sessions = connected.sessions();
    connected.takeAll().forEach((name, address) -> {
      Disconnect d = disconnectFor(sessions.get(name));
      if (d != null) {
        sends.add(outbox.sendInBackground(address, d));
      }
    });
    return sends;
  }

  /** Shows what a session opened (a sealed message that overtook CHAT_CONFIRM, opened once it verified). */
  void deliverOpened(String peername, Handshake.Opened opened) {
    JsonNode plain = parse(opened.plaintext());
    if (plain == null) {
      trust.refused("sealed " + opened.msgtype() + " from " + peername + " opens to no JSON object");
    } else if (CHAT_MESSAGE.equals(opened.msgtype())) {
      showMessage(peername, plain);
    } else if (DISCONNECT.equals(opened.msgtype())) {
      if (connected.remove(peername) != null) {
        peerLeft(peername);
      }
    }
  }

  /** Idle time as {@code 12 s}, {@code 5 min}, {@code 2 h 5 min}. */
  static String idle(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  /** {@code name} left (its DISCONNECT was acted on): its capabilities and conversation end with it. */
  private void peerLeft(String name) {
    capabilities.forget(name);
    out.line(Lines.disconnectedFrom(name));
    endConversationWith(name);
  }

  private Disconnect disconnectFor(Session session) {
    Disconnect d = new Disconnect().withPeername(me.name());
    if (session == null) {
      return d;
    }
    Session.Sealed sealed = seal(session, DISCONNECT, PeerTrust.json().createObjectNode());
    return sealed == null ? null : d.withSeq(sealed.seq()).withBox(sealed.boxBase64url());
  }

  private Session.Sealed seal(Session session, String msgtype, ObjectNode plaintext) {
    try {
      return session.seal(msgtype, PeerTrust.json().writeValueAsBytes(plaintext));
    } catch (IdentityException e) {
      out.line("not sent to " + Lines.printable(session.peer()) + ": " + e.getMessage());
      return null;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void onMessage(ChatMessage message, MessageContext ctx) {
    String name = message.getPeername();
    if (message.getBox() != null || message.getSeq() != null) {
      JsonNode plain = open(CHAT_MESSAGE, name, message.getSeq(), message.getBox(), ctx);
      if (plain != null) {
        showMessage(name, plain);
      }
      return;
    }
    if (unauthenticated(CHAT_MESSAGE, name, ctx)) {
      return;
    }
    if (connected.contains(name)) {
      connected.touch(name);
      out.line(Lines.message(name, message.getMessage()));
    } else {
      log.info("dropped CHAT_MESSAGE from {}: {} is not a connected peer", ctx.remote(), Lines.printable(name));
    }
  }

  private void onDisconnect(Disconnect disconnect, MessageContext ctx) {
    String name = disconnect.getPeername();
    if (disconnect.getBox() != null || disconnect.getSeq() != null) {
      if (open(DISCONNECT, name, disconnect.getSeq(), disconnect.getBox(), ctx) != null
          && connected.remove(name) != null) {
        peerLeft(name);
      }
      return;
    }
    if (unauthenticated(DISCONNECT, name, ctx)) {
      return;
    }
    if (connected.remove(name) != null) {
      peerLeft(name);
    } else {
      log.info("ignored DISCONNECT from {}: {} is not a connected peer", ctx.remote(), Lines.printable(name));
    }
  }

  /**
   * True (after one refusal line) when a plaintext message names a peer that must authenticate: one with a
   * verified session, one whose handshake is under way, or any pinned name.
   */
  private boolean unauthenticated(String msgtype, String name, MessageContext ctx) {
    if (trust == null) {
      return false;
    }
    boolean mustSeal = connected.session(name) != null || awaiting.get(name) != null;
    if (mustSeal || trust.isPinned(name)) {
      trust.refused("unauthenticated " + msgtype + " in the name of " + name + " from " + ctx.remote()
          + " (not shown: " + name + " is a verified peer)");
      return true;
    }
    return false;
  }

  /** Opens a sealed message from {@code name}; null (after one refusal line, or once held) when not to be shown. */
  private JsonNode open(String msgtype, String name, Long seq, String box, MessageContext ctx) {
    Session session = connected.session(name);
    if (trust == null || seq == null || box == null) {
      if (trust != null) {
        trust.refused("sealed " + msgtype + " from " + name + " at " + ctx.remote() + " lacks seq or box");
      }
      return null;
    }
    if (session == null) {
      byte[] raw = decode(box);
      if (raw != null && awaiting.holdEarly(name, msgtype, seq, raw)) {
        return null; // opened once CHAT_CONFIRM verifies
      }
      trust.refused("sealed " + msgtype + " in the name of " + name + " from " + ctx.remote()
          + ": no verified session with " + name);
      return null;
    }
    byte[] plain;
    try {
      plain = session.open(msgtype, seq, box);
    } catch (IdentityException e) {
      trust.refused(msgtype + " in the name of " + name + " from " + ctx.remote() + " (" + e.reason() + "): "
          + e.getMessage());
      return null;
    }
    JsonNode node = parse(plain);
    if (node == null) {
      trust.refused("sealed " + msgtype + " from " + name + " opens to no JSON object");
    }
    return node;
  }

  private void showMessage(String name, JsonNode plain) {
    JsonNode text = plain.get("message");
    if (text == null || !text.isTextual()) {
      trust.refused("sealed CHAT_MESSAGE from " + name + " has no message text");
      return;
    }
    connected.touch(name);
    out.line(Lines.message(name, text.asText()));
  }

  private static JsonNode parse(byte[] plaintext) {
    try {
      JsonNode node = PeerTrust.json().readTree(new String(plaintext, StandardCharsets.UTF_8));
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] decode(String box) {
    try {
      return java.util.Base64.getUrlDecoder().decode(box);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void endConversationWith(String peername) {
    if (peername.equals(current)) {
      current = null;
      out.line("conversation with " + Lines.printable(peername) + " ended");
    }
  }

  private static String notConnected(String peername) {
    return "not connected to " + Lines.printable(peername) + " (\"list connected peer\" shows who is)";
  }
}
