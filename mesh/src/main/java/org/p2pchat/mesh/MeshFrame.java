package org.p2pchat.mesh;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A frame one mesh node sends to a direct neighbour. Each record maps 1:1 to one JSON message
 * ({@code MESH_HELLO}, {@code MESH_ROUTES}, {@code MESH_SEQNO_REQUEST}, {@code MESH_ROUTE_REQUEST},
 * {@code MESH_ROUTE_REPLY}, {@code MESH_DATA}, {@code MESH_ACK}; see docs/mesh.md). The neighbour that sent a frame is known to the driver (the authenticated link), so no
 * frame names its sender. Frames are immutable; byte arrays are copied in and out.
 */
public sealed interface MeshFrame {

  /** The metric that means "unreachable": an entry with it is a retraction. */
  int INFINITY = 0xFFFF;

  /** How a data or acknowledgement frame travels. */
  enum Mode {
    /** Along each relay's selected next hop. */
    ROUTED,
    /** To every neighbour but the one it came from; each node forwards a given frame at most once. */
    FLOOD
  }

  /** {@code MESH_HELLO}: "I am alive, my sequence number is seqno, I say hello every intervalMillis". */
  record Hello(long seqno, int intervalMillis) implements MeshFrame {}

  /**
   * One advertised route: the sender reaches destination at this metric (hops), with that origin seqno, and the
   * destination's key card as the sender last heard it (opaque here; null when unknown or not used).
   */
  record Route(String destination, long seqno, int metric, byte[] card) {
    /** The largest card a route may carry (a key card is 128 bytes). */
    public static final int MAX_CARD = 256;

    public Route {
      Objects.requireNonNull(destination, "destination");
      card = card == null ? null : card.clone();
    }

    public Route(String destination, long seqno, int metric) {
      this(destination, seqno, metric, null);
    }

    @Override
    public byte[] card() {
      return card == null ? null : card.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Route r && r.destination.equals(destination) && r.seqno == seqno && r.metric == metric
          && Arrays.equals(r.card, card);
    }

    @Override
    public int hashCode() {
      return Objects.hash(destination, seqno, metric, Arrays.hashCode(card));
    }

    public boolean isRetraction() {
      return metric >= INFINITY;
    }
  }

  /** {@code MESH_ROUTES}: route updates; {@code full} when it is the whole table (periodic or on link up). */
  record Routes(boolean full, List<Route> routes) implements MeshFrame {
    public Routes {
      routes = List.copyOf(routes);
    }
  }

  /**
   * {@code MESH_SEQNO_REQUEST}: "please make destination raise its seqno to at least seqno" — forwarded
   * towards the destination along selected routes; it breaks route starvation (Babel's seqno request).
   */
  record SeqnoRequest(String destination, long seqno, int hopLimit) implements MeshFrame {
    public SeqnoRequest {
      Objects.requireNonNull(destination, "destination");
    }
  }

  /**
   * {@code MESH_ROUTE_REQUEST}: "origin looks for a route to destination" (on-demand discovery, after AODV's
   * RREQ), for a destination beyond the proactive table. Flooded while hopLimit lasts, or unicast along a
   * proactive route by a node that has one; every node handles (origin, reqid) once. hops counts the hops
   * travelled so far (0 when the origin sends it); hopLimit the hops it may still be flooded. card is origin's
   * key card (null when unknown), so the destination can seal its answers to origin without a discovery of its own.
   */
  record RouteRequest(String origin, String destination, long reqid, int hopLimit, int hops, byte[] card)
      implements MeshFrame {
    public RouteRequest {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(destination, "destination");
      card = card == null ? null : card.clone();
    }

    public RouteRequest(String origin, String destination, long reqid, int hopLimit, int hops) {
      this(origin, destination, reqid, hopLimit, hops, null);
    }

    @Override
    public byte[] card() {
      return card == null ? null : card.clone();
    }

    /** The same request passed on, with a new hop limit and hop count. */
    RouteRequest on(int newHopLimit, int newHops) {
      return new RouteRequest(origin, destination, reqid, newHopLimit, newHops, card);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RouteRequest r && origin.equals(r.origin) && destination.equals(r.destination)
          && reqid == r.reqid && hopLimit == r.hopLimit && hops == r.hops && Arrays.equals(card, r.card);
    }

    @Override
    public int hashCode() {
      return Objects.hash(origin, destination, reqid, hopLimit, hops, Arrays.hashCode(card));
    }

    @Override
    public String toString() {
      return "RouteRequest[" + origin + "->" + destination + " reqid=" + reqid + " hopLimit=" + hopLimit + " hops="
          + hops + (card == null ? "" : " card") + "]";
    }
  }

  /**
   * {@code MESH_ROUTE_REPLY}: the answer of origin (the destination that was looked for) to destination (the
   * node that asked) for request reqid, unicast back along the reverse path; hops counts the hops from origin
   * so far. seqno is origin's sequence number (-1 when absent) and card its key card (null when unknown), so
   * the asker can seal for a destination it has no proactive route to.
   */
  record RouteReply(String origin, String destination, long reqid, int hopLimit, int hops, long seqno, byte[] card)
      implements MeshFrame {
    public RouteReply {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(destination, "destination");
      card = card == null ? null : card.clone();
    }

    @Override
    public byte[] card() {
      return card == null ? null : card.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RouteReply r && origin.equals(r.origin) && destination.equals(r.destination)
          && reqid == r.reqid && hopLimit == r.hopLimit && hops == r.hops && seqno == r.seqno
          && Arrays.equals(card, r.card);
    }

    @Override
    public int hashCode() {
      return Objects.hash(origin, destination, reqid, hopLimit, hops, seqno, Arrays.hashCode(card));
    }

    @Override
    public String toString() {
      return "RouteReply[" + origin + "->" + destination + " reqid=" + reqid + " hopLimit=" + hopLimit + " hops="
          + hops + " seqno=" + seqno + (card == null ? "" : " card") + "]";
    }
  }

  /**
   * {@code MESH_DATA}: an end-to-end sealed payload from origin to destination. attempt counts the origin's
   * re-sends of the same message id (0 first); relays suppress duplicates per (origin, id, attempt, mode).
   */
  record Data(String origin, String destination, String id, int attempt, int hopLimit, Mode mode, byte[] payload)
      implements MeshFrame {
    public Data {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(mode, "mode");
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    /** The payload's length, without copying it. */
    public int payloadLength() {
      return payload.length;
    }

    Data relayed() {
      return new Data(origin, destination, id, attempt, hopLimit - 1, mode, payload);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Data d && origin.equals(d.origin) && destination.equals(d.destination)
          && id.equals(d.id) && attempt == d.attempt && hopLimit == d.hopLimit && mode == d.mode && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(origin, destination, id, attempt, hopLimit, mode, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
      return "Data[" + origin + "->" + destination + " id=" + id + " attempt=" + attempt + " hopLimit=" + hopLimit + " " + mode
          + " " + payload.length + " bytes]";
    }
  }

  /**
   * {@code MESH_ACK}: the destination's end-to-end acknowledgement of message id, travelling back from
   * origin (the acknowledging node) to destination (the message's origin); attempt is the attempt it answers.
   */
  record Ack(String origin, String destination, String id, int attempt, int hopLimit, Mode mode, byte[] proof)
      implements MeshFrame {
    public Ack {
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(mode, "mode");
      proof = proof.clone();
    }

    @Override
    public byte[] proof() {
      return proof.clone();
    }

    Ack relayed() {
      return new Ack(origin, destination, id, attempt, hopLimit - 1, mode, proof);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ack a && origin.equals(a.origin) && destination.equals(a.destination)
          && id.equals(a.id) && attempt == a.attempt && hopLimit == a.hopLimit && mode == a.mode && Arrays.equals(proof, a.proof);
    }

    @Override
    public int hashCode() {
      return Objects.hash(origin, destination, id, attempt, hopLimit, mode, Arrays.hashCode(proof));
    }

    @Override
    public String toString() {
      return "Ack[" + origin + "->" + destination + " id=" + id + " hopLimit=" + hopLimit + " " + mode + "]";
    }
  }
}
