package org.p2pchat.mesh;

/**
 * The mesh core's tuning, immutable; build with {@link #builder()}. Defaults are documented per field and in
 * docs/mesh.md. All durations are milliseconds of the driver's clock (the core never reads a clock).
 *
 * @param helloIntervalMillis a MESH_HELLO to every neighbour this often (default 2,000)
 * @param deadAfterHellos a neighbour silent for this many hello intervals is dead (default 3)
 * @param updateIntervalMillis the whole table to every neighbour this often (default 16,000); changes go out
 *     at the next tick
 * @param routeExpiryMillis a route not refreshed by its next hop for this long is dropped (default 56,000)
 * @param hopLimit the hop limit our messages start with; also the largest usable metric (default 16)
 * @param maxRoutes routing-table entries at most; when full the farthest is evicted for a nearer one (default 1,024)
 * @param maxNeighbours direct mesh neighbours at most (default 64)
 * @param seenCacheSize frame ids remembered for duplicate suppression, at most (default 16,384)
 * @param seenTtlMillis how long a frame id is remembered (default 120,000: longer than a message can live)
 * @param ackTimeoutMillis a routed message unacknowledged this long is re-sent once by bounded flood (default 3,000)
 * @param deliveryDeadlineMillis a message unacknowledged this long is reported not delivered (default 10,000)
 * @param maxPending our own messages awaiting acknowledgement, at most (default 1,024)
 * @param relayPerNeighbourPerSecond data and ack frames accepted from one neighbour per second, all origins
 *     together (default 400, burst twice that)
 * @param relayPerOriginPerSecond data and ack frames accepted per origin per second, all neighbours together
 *     (default 100, burst twice that): a flooder behind a shared relay cannot crowd out the others
 * @param controlPerNeighbourPerSecond control frames accepted from one neighbour per second (default 50, burst
 *     twice that)
 * @param maxPayloadBytes largest sealed payload relayed (default 65,536)
 * @param discoveredRoutes on-demand routes (found by route discovery, for destinations beyond the proactive
 *     table) kept at most, least recently used out (default 1,024)
 * @param discoveredRouteMillis an on-demand route unused for this long is forgotten; each use renews it
 *     (default 30,000)
 * @param discoveryWaitMillis how long the asker waits for a route reply to a wide ring before asking again with a
 *     wider one (default 1,000; rings of 2, 4, 8 hops, then the hop limit; a ring of 2 hops waits half of it, 4
 *     hops three quarters, as the wait grows with the ring's radius)
 * @param discoveryPerNeighbourPerSecond route requests and replies accepted from one neighbour per second
 *     (default 100, burst twice that)
 * @param discoveryPerOriginPerSecond route requests handled per asking origin per second, all neighbours
 *     together (default 5, burst twice that); our own requests keep to the same rate
 * @param initialSeqno our first sequence number; a restarted node should start above what it used before
 *     (default 1; it also jumps above any seqno it hears for itself)
 */
public record MeshConfig(
    int helloIntervalMillis,
    int deadAfterHellos,
    int updateIntervalMillis,
    int routeExpiryMillis,
    int hopLimit,
    int maxRoutes,
    int maxNeighbours,
    int seenCacheSize,
    int seenTtlMillis,
    int ackTimeoutMillis,
    int deliveryDeadlineMillis,
    int maxPending,
    int relayPerNeighbourPerSecond,
    int relayPerOriginPerSecond,
    int controlPerNeighbourPerSecond,
    int maxPayloadBytes,
    int discoveredRoutes,
    int discoveredRouteMillis,
    int discoveryWaitMillis,
    int discoveryPerNeighbourPerSecond,
    int discoveryPerOriginPerSecond,
    long initialSeqno) {

  public MeshConfig {
    positive(helloIntervalMillis, "helloIntervalMillis");
    positive(deadAfterHellos, "deadAfterHellos");
    positive(updateIntervalMillis, "updateIntervalMillis");
    positive(routeExpiryMillis, "routeExpiryMillis");
    if (hopLimit < 2 || hopLimit > 255) {
      throw new IllegalArgumentException("hopLimit must be 2..255: " + hopLimit);
    }
    positive(maxRoutes, "maxRoutes");
    positive(maxNeighbours, "maxNeighbours");
    positive(seenCacheSize, "seenCacheSize");
    positive(seenTtlMillis, "seenTtlMillis");
    positive(ackTimeoutMillis, "ackTimeoutMillis");
    if (deliveryDeadlineMillis <= ackTimeoutMillis) {
      throw new IllegalArgumentException("deliveryDeadlineMillis must exceed ackTimeoutMillis");
    }
    positive(maxPending, "maxPending");
    positive(relayPerNeighbourPerSecond, "relayPerNeighbourPerSecond");
    positive(relayPerOriginPerSecond, "relayPerOriginPerSecond");
    positive(controlPerNeighbourPerSecond, "controlPerNeighbourPerSecond");
    positive(maxPayloadBytes, "maxPayloadBytes");
    positive(discoveredRoutes, "discoveredRoutes");
    positive(discoveredRouteMillis, "discoveredRouteMillis");
    positive(discoveryWaitMillis, "discoveryWaitMillis");
    positive(discoveryPerNeighbourPerSecond, "discoveryPerNeighbourPerSecond");
    positive(discoveryPerOriginPerSecond, "discoveryPerOriginPerSecond");
    if (initialSeqno < 0) {
      throw new IllegalArgumentException("initialSeqno must be >= 0");
    }
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /** The longest a dead neighbour goes unnoticed, given ticks at most tickMillis apart. */
  public long deadDetectionBoundMillis(long tickMillis) {
    return (long) helloIntervalMillis * deadAfterHellos + tickMillis;
  }

  public static MeshConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from the defaults. */
  public static final class Builder {
    private int helloIntervalMillis = 2_000;
    private int deadAfterHellos = 3;
    private int updateIntervalMillis = 16_000;
    private int routeExpiryMillis = 56_000;
    private int hopLimit = 16;
    private int maxRoutes = 1_024;
    private int maxNeighbours = 64;
    private int seenCacheSize = 16_384;
    private int seenTtlMillis = 120_000;
    private int ackTimeoutMillis = 3_000;
    private int deliveryDeadlineMillis = 10_000;
    private int maxPending = 1_024;
    private int relayPerNeighbourPerSecond = 400;
    private int relayPerOriginPerSecond = 100;
    private int controlPerNeighbourPerSecond = 50;
    private int maxPayloadBytes = 65_536;
    private int discoveredRoutes = 1_024;
    private int discoveredRouteMillis = 30_000;
    private int discoveryWaitMillis = 1_000;
    private int discoveryPerNeighbourPerSecond = 100;
    private int discoveryPerOriginPerSecond = 5;
    private long initialSeqno = 1;

    private Builder() {}

    public Builder helloIntervalMillis(int v) { helloIntervalMillis = v; return this; }
    public Builder deadAfterHellos(int v) { deadAfterHellos = v; return this; }
    public Builder updateIntervalMillis(int v) { updateIntervalMillis = v; return this; }
    public Builder routeExpiryMillis(int v) { routeExpiryMillis = v; return this; }
    public Builder hopLimit(int v) { hopLimit = v; return this; }
    public Builder maxRoutes(int v) { maxRoutes = v; return this; }
    public Builder maxNeighbours(int v) { maxNeighbours = v; return this; }
    public Builder seenCacheSize(int v) { seenCacheSize = v; return this; }
    public Builder seenTtlMillis(int v) { seenTtlMillis = v; return this; }
    public Builder ackTimeoutMillis(int v) { ackTimeoutMillis = v; return this; }
    public Builder deliveryDeadlineMillis(int v) { deliveryDeadlineMillis = v; return this; }
    public Builder maxPending(int v) { maxPending = v; return this; }
    public Builder relayPerNeighbourPerSecond(int v) { relayPerNeighbourPerSecond = v; return this; }
    public Builder relayPerOriginPerSecond(int v) { relayPerOriginPerSecond = v; return this; }
    public Builder controlPerNeighbourPerSecond(int v) { controlPerNeighbourPerSecond = v; return this; }
    public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
    public Builder discoveredRoutes(int v) { discoveredRoutes = v; return this; }
    public Builder discoveredRouteMillis(int v) { discoveredRouteMillis = v; return this; }
    public Builder discoveryWaitMillis(int v) { discoveryWaitMillis = v; return this; }
    public Builder discoveryPerNeighbourPerSecond(int v) { discoveryPerNeighbourPerSecond = v; return this; }
    public Builder discoveryPerOriginPerSecond(int v) { discoveryPerOriginPerSecond = v; return this; }
    public Builder initialSeqno(long v) { initialSeqno = v; return this; }

    public MeshConfig build() {
      return new MeshConfig(helloIntervalMillis, deadAfterHellos, updateIntervalMillis, routeExpiryMillis, hopLimit,
          maxRoutes, maxNeighbours, seenCacheSize, seenTtlMillis, ackTimeoutMillis, deliveryDeadlineMillis,
          maxPending, relayPerNeighbourPerSecond, relayPerOriginPerSecond, controlPerNeighbourPerSecond, maxPayloadBytes,
          discoveredRoutes, discoveredRouteMillis, discoveryWaitMillis, discoveryPerNeighbourPerSecond,
          discoveryPerOriginPerSecond, initialSeqno);
    }
  }
}
