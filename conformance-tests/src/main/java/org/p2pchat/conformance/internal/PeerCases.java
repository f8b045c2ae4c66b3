package org.p2pchat.conformance.internal;

import static org.p2pchat.conformance.internal.Messages.chatMessage;
import static org.p2pchat.conformance.internal.Messages.chatRequest;
import static org.p2pchat.conformance.internal.Messages.disconnect;

import java.util.EnumSet;
import java.util.List;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;
import org.p2pchat.conformance.Verdict;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatAccept;

/**
 * The chat peer's rules, one case each. A peer prints what it receives, which the wire cannot show, so
 * these cases check what the wire can: the CHAT_ACCEPT, silence where the 2018 peer is silent, and that
 * the peer keeps serving.
 */
final class PeerCases {
  static final String AUTO_ACCEPT_HINT = " (in peer mode the target must accept chat requests by itself, "
      + "e.g. the reference peer's --auto-accept)";

  private PeerCases() {}

  static List<Case> all() {
    return List.of(
        Case.of(info("peer.chat-request.accept", "A CHAT_REQUEST is answered by CHAT_ACCEPT at the requester's "
            + "advertised address, carrying the target's name, host and port", Rules.CHAT_REQUEST),
            PeerCases::accept),
        Case.of(info("peer.chat-message.connected", "A CHAT_MESSAGE from a connected peer gets no reply on the wire "
            + "and the peer keeps serving", Rules.CHAT_MESSAGE), PeerCases::messageConnected),
        Case.of(info("peer.chat-message.unconnected", "A CHAT_MESSAGE from a peer that never connected is dropped "
            + "silently and the peer keeps serving", Rules.CHAT_MESSAGE), PeerCases::messageUnconnected),
        Case.of(info("peer.disconnect", "DISCONNECT gets no reply; the same peer can connect again afterwards",
            Rules.DISCONNECT), PeerCases::disconnectThenReconnect));
  }

  static Case finalCheck() {
    return Case.of(info("peer.final.still-serving", "After every other case, a new chat request is still accepted",
        Rules.STILL_SERVING), PeerCases::accept);
  }

  private static CaseInfo info(String id, String description, Rules.Rule rule) {
    return new CaseInfo(id, description, rule.anchor(), rule.text(), EnumSet.of(Role.PEER));
  }

  /** Sends a CHAT_REQUEST from {@code from} as {@code name} and checks the CHAT_ACCEPT; returns the target's name. */
  static ChatAccept connect(CaseRun run, Endpoint from, String name) throws Exception {
    run.send(chatRequest(name, from.advertised()));
    Arrival reply;
    try {
      reply = run.expectReply(from, MessageType.CHAT_ACCEPT);
    } catch (CaseFailure failure) {
      throw CaseFailure.fail(failure.expected(), failure.actual() + AUTO_ACCEPT_HINT);
    }
    ChatAccept accept = reply.as(ChatAccept.class);
    int port = run.settings().target().port();
    if (accept.getPort() != port) {
      throw CaseFailure.fail("CHAT_ACCEPT with the target's own port " + port,
          "CHAT_ACCEPT names " + accept.getHost() + ":" + accept.getPort());
    }
    return accept;
  }

  private static String accept(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    ChatAccept accept = connect(run, a, run.name("a"));
    String targetHost = run.settings().target().host();
    if (!Hosts.same(accept.getHost(), targetHost)) {
      throw new CaseFailure(Verdict.NON_STRICT, "CHAT_ACCEPT with the host the target is reached at (" + targetHost
          + ")", "it advertises host " + accept.getHost() + ", which may not be reachable by the requester");
    }
    return "CHAT_ACCEPT from " + accept.getPeername() + " at " + accept.getHost() + ":" + accept.getPort();
  }

  private static String messageConnected(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    String name = run.name("a");
    connect(run, a, name);
    run.send(chatMessage(name, "Hello, 你好, \uD83D\uDE42 from the conformance suite."));
    run.expectSilence("a CHAT_MESSAGE has no reply");
    run.expectStillServing("a CHAT_MESSAGE from a connected peer");
    return "no reply to the message; the peer still accepts chat requests";
  }

  private static String messageUnconnected(CaseRun run) throws Exception {
    run.send(chatMessage(run.name("stranger"), "Nobody asked me to chat."));
    run.expectSilence("a CHAT_MESSAGE from an unconnected peer is dropped");
    run.expectStillServing("a CHAT_MESSAGE from an unconnected peer");
    return "dropped silently; the peer still accepts chat requests";
  }

  private static String disconnectThenReconnect(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    String name = run.name("a");
    connect(run, a, name);
    run.send(disconnect(name));
    run.expectSilence("DISCONNECT has no reply");
    run.send(chatMessage(name, "Still there?"));
    run.expectSilence("a CHAT_MESSAGE from a disconnected peer is dropped");
    connect(run, a, name);
    return "no reply to DISCONNECT; the same peer connected again";
  }
}
