package org.p2pchat.mesh;

/** What a {@link MeshNode} counts (see {@link MeshNode#count(MeshCounter)}): frames it sent, by type, and more. */
public enum MeshCounter {
  SENT_HELLO,
  SENT_ROUTES,
  /** Route entries inside the MESH_ROUTES frames sent. */
  SENT_ROUTE_ENTRIES,
  SENT_SEQNO_REQUEST,
  /** MESH_ROUTE_REQUEST frames sent, our own and relayed (each copy counts). */
  SENT_ROUTE_REQUEST,
  /** MESH_ROUTE_REPLY frames sent, our own and relayed. */
  SENT_ROUTE_REPLY,
  /** Route requests we started (one per ring asked). */
  DISCOVERIES,
  /** Our searches that got a reply. */
  ROUTES_DISCOVERED,
  /** Our searches that asked every ring without a reply. */
  DISCOVERIES_FAILED,
  /** MESH_DATA frames sent, our own and relayed. */
  SENT_DATA,
  SENT_ACK,
  /** MESH_DATA frames we relayed for others. */
  RELAYED_DATA,
  DELIVERED_TO_USER,
  /** Our own messages re-sent by bounded flood after no acknowledgement in time. */
  FLOOD_RETRIES,
  /** Our own messages sent by bounded flood because no route was known (after a short wait). */
  FLOODS_WITHOUT_ROUTE,
  NEIGHBOURS_DECLARED_DEAD,
  SEQNO_BUMPS
}
