package org.p2pchat.mesh;

import java.util.Objects;

/** What the driver must do after an event: send a frame, show a message, tell the user an outcome. */
public sealed interface MeshAction {

  /** Send frame to the direct neighbour. */
  record Send(String neighbour, MeshFrame frame) implements MeshAction {
    public Send {
      Objects.requireNonNull(neighbour, "neighbour");
      Objects.requireNonNull(frame, "frame");
    }
  }

  /** Show payload (already opened by {@link EndToEnd}) to the local user, from origin. Emitted once per message. */
  record Deliver(String origin, String messageId, byte[] payload, String lastHop) implements MeshAction {
    public Deliver {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** The destination acknowledged our message end to end. */
  record Delivered(String messageId, String destination) implements MeshAction {}

  /** Our message was not acknowledged before its deadline (or could not be sent at all). */
  record NotDelivered(String messageId, String destination, Reason reason) implements MeshAction {}

  /** A neighbour stopped answering (no frame for the dead interval): treat the link as gone. */
  record NeighbourDead(String neighbour) implements MeshAction {}

  /** A frame from a neighbour was dropped; the driver logs it (sanitised, rate-limited). */
  record Dropped(String neighbour, DropReason reason) implements MeshAction {}

  /** Why a message was not delivered. */
  enum Reason {
    /** No route was ever known and the bounded flood brought no acknowledgement. */
    NO_ROUTE,
    /** A route was known but no acknowledgement came back before the deadline. */
    NO_ACK,
    /** Too many of our messages are awaiting acknowledgement; this one was not sent. */
    TOO_MANY_PENDING,
    /** The destination name is not a valid peer name (or is ourselves). */
    BAD_DESTINATION
  }

  /** Why a frame was dropped. */
  enum DropReason {
    RATE_LIMITED,
    DUPLICATE,
    HOP_LIMIT,
    NO_ROUTE,
    MALFORMED,
    NOT_A_NEIGHBOUR,
    TABLE_FULL,
    UNFEASIBLE,
    FORGED,
    /** A route reply for a request this node never handled. */
    UNSOLICITED
  }
}
