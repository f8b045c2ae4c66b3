package org.p2pchat.peer.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.p2pchat.mesh.MeshFrame;
import org.p2pchat.protocol.model.MeshAck;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.protocol.model.MeshHello;
import org.p2pchat.protocol.model.MeshRoute;
import org.p2pchat.protocol.model.MeshRouteReply;
import org.p2pchat.protocol.model.MeshRouteRequest;
import org.p2pchat.protocol.model.MeshRoutes;
import org.p2pchat.protocol.model.MeshSeqnoRequest;

/**
 * The mesh core's frames to and from the MESH_* messages (docs/mesh.md section 2), one to one. Bytes go out as
 * unpadded base64url; both base64 alphabets are read. Messages arrive already schema-checked by the SDK.
 */
public final class MeshCodec {
  /** A key card's size on the wire (docs/mesh.md section 8). */
  static final int CARD_BYTES = 128;

  private MeshCodec() {}

  /** The message for {@code frame}, sent by {@code me}. */
  public static Object encode(String me, MeshFrame frame) {
    if (frame instanceof MeshFrame.Hello h) {
      return new MeshHello().withPeername(me).withSeqno(h.seqno()).withInterval(h.intervalMillis());
    }
    if (frame instanceof MeshFrame.Routes r) {
      List<MeshRoute> routes = new ArrayList<>(r.routes().size());
      for (MeshFrame.Route route : r.routes()) {
        MeshRoute m = new MeshRoute().withDestination(route.destination()).withSeqno(route.seqno())
            .withMetric(route.metric());
        byte[] card = route.card();
        if (card != null && card.length == CARD_BYTES) {
          m.setCard(b64(card)); // the schema's only card shape; anything else is not sent
        }
        routes.add(m);
      }
      return new MeshRoutes().withPeername(me).withFull(r.full()).withRoutes(routes);
    }
    if (frame instanceof MeshFrame.SeqnoRequest q) {
      return new MeshSeqnoRequest().withPeername(me).withDestination(q.destination()).withSeqno(q.seqno())
          .withHoplimit(q.hopLimit());
    }
    if (frame instanceof MeshFrame.RouteRequest q) {
      MeshRouteRequest m = new MeshRouteRequest().withPeername(me).withOrigin(q.origin())
          .withDestination(q.destination()).withReqid(q.reqid()).withHoplimit(q.hopLimit()).withHops(q.hops());
      byte[] card = q.card();
      if (card != null && card.length == CARD_BYTES) {
        m.setCard(b64(card));
      }
      return m;
    }
    if (frame instanceof MeshFrame.RouteReply p) {
      MeshRouteReply m = new MeshRouteReply().withPeername(me).withOrigin(p.origin()).withDestination(p.destination())
          .withReqid(p.reqid()).withHoplimit(p.hopLimit()).withHops(p.hops());
      if (p.seqno() >= 0) {
        m.setSeqno(p.seqno());
      }
      byte[] card = p.card();
      if (card != null && card.length == CARD_BYTES) {
        m.setCard(b64(card)); // as in MESH_ROUTES: the schema's only card shape
      }
      return m;
    }
    if (frame instanceof MeshFrame.Data d) {
      return new MeshData().withPeername(me).withOrigin(d.origin()).withDestination(d.destination()).withId(d.id())
          .withAttempt(d.attempt()).withHoplimit(d.hopLimit()).withMode(dataMode(d.mode()))
          .withPayload(b64(d.payload()));
    }
    if (frame instanceof MeshFrame.Ack a) {
      return new MeshAck().withPeername(me).withOrigin(a.origin()).withDestination(a.destination()).withId(a.id())
          .withAttempt(a.attempt()).withHoplimit(a.hopLimit()).withMode(ackMode(a.mode()))
          .withProof(b64(a.proof()));
    }
    throw new IllegalArgumentException("not a mesh frame: " + frame);
  }

  /** The frame a MESH_* message carries; empty if {@code message} is no mesh message or its bytes are not base64. */
  public static Optional<MeshFrame> decode(Object message) {
    try {
      if (message instanceof MeshHello h) {
        return Optional.of(new MeshFrame.Hello(h.getSeqno(), h.getInterval()));
      }
      if (message instanceof MeshRoutes r) {
        List<MeshFrame.Route> routes = new ArrayList<>();
        for (MeshRoute route : r.getRoutes()) {
          routes.add(new MeshFrame.Route(route.getDestination(), route.getSeqno(), route.getMetric(),
              route.getCard() == null ? null : unb64(route.getCard())));
        }
        return Optional.of(new MeshFrame.Routes(r.getFull(), routes));
      }
      if (message instanceof MeshSeqnoRequest q) {
        return Optional.of(new MeshFrame.SeqnoRequest(q.getDestination(), q.getSeqno(), q.getHoplimit()));
      }
      if (message instanceof MeshRouteRequest q) {
        return Optional.of(new MeshFrame.RouteRequest(q.getOrigin(), q.getDestination(), q.getReqid(),
            q.getHoplimit(), q.getHops(), q.getCard() == null ? null : unb64(q.getCard())));
      }
      if (message instanceof MeshRouteReply p) {
        return Optional.of(new MeshFrame.RouteReply(p.getOrigin(), p.getDestination(), p.getReqid(), p.getHoplimit(),
            p.getHops(), p.getSeqno() == null ? -1 : p.getSeqno(), p.getCard() == null ? null : unb64(p.getCard())));
      }
      if (message instanceof MeshData d) {
        return Optional.of(new MeshFrame.Data(d.getOrigin(), d.getDestination(), d.getId(), d.getAttempt(),
            d.getHoplimit(), d.getMode() == MeshData.Mode.FLOOD ? MeshFrame.Mode.FLOOD : MeshFrame.Mode.ROUTED,
            unb64(d.getPayload())));
      }
      if (message instanceof MeshAck a) {
        return Optional.of(new MeshFrame.Ack(a.getOrigin(), a.getDestination(), a.getId(), a.getAttempt(),
            a.getHoplimit(), a.getMode() == MeshAck.Mode.FLOOD ? MeshFrame.Mode.FLOOD : MeshFrame.Mode.ROUTED,
            unb64(a.getProof())));
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // Bad base64 or a field the schema should have required: the caller drops it as MALFORMED.
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static MeshData.Mode dataMode(MeshFrame.Mode mode) {
    return mode == MeshFrame.Mode.FLOOD ? MeshData.Mode.FLOOD : MeshData.Mode.ROUTED;
  }

  private static MeshAck.Mode ackMode(MeshFrame.Mode mode) {
    return mode == MeshFrame.Mode.FLOOD ? MeshAck.Mode.FLOOD : MeshAck.Mode.ROUTED;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unb64(String text) {
    return Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_').replace("=", ""));
  }
}
