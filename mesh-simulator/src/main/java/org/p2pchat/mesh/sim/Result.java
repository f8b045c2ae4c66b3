package org.p2pchat.mesh.sim;

/**
 * What one run measured. Ratios are of messages sent between nodes connected (through live nodes and links)
 * at the moment of sending.
 *
 * @param seed the run's seed; the same seed and scenario give the same result
 * @param sent messages sent in all
 * @param connected of them, between connected nodes
 * @param delivered connected messages shown to their destination (exactly once)
 * @param duplicates deliveries beyond the first of any message (an invariant: 0)
 * @param routedLoops routed data frames that reached a node a second time (an invariant: 0)
 * @param silent messages whose sender (alive to the end) got neither "delivered" nor "not delivered" (invariant: 0)
 * @param falseAcks messages reported delivered that never reached their destination (invariant: 0)
 * @param latencyP50 median latency send to delivery, ms
 * @param latencyP99 99th percentile, ms
 * @param hopsP50 median hops of the delivered copy
 * @param hopsP99 99th percentile hops
 * @param dataSendsPerDelivery data frames sent per delivered message
 * @param shortestPathMean mean shortest-path hops of the delivered messages at send time
 * @param discoveryFramesPerDelivery route request and reply frames sent (after warm-up) per delivered message;
 *     they are counted in the control frames too
 * @param ackSendsPerDelivery acknowledgement frames sent (after warm-up) per delivered message: routed, one per
 *     hop back; a flooded one costs about two per link
 * @param routeStateMean routing-table entries per live node at the end, mean
 * @param routeStateMax and maximum
 * @param controlFramesPerNodeSecond hello, route, seqno-request, route-request and route-reply frames sent per node per second after warm-up
 * @param routeEntriesPerNodeSecond route entries inside those frames per node per second
 * @param floodedNoRoute connected messages that went by flood at once, no route being known
 * @param floodedRetry connected messages whose routed attempts brought no ack, so the last attempt flooded
 * @param mergeMillis partitioned runs: time from the joining link until 99 % of sampled cross pairs had a route
 *     (-1 if not partitioned or never)
 * @param wallMillis how long the run took on this machine
 */
public record Result(long seed, int sent, int connected, int delivered, int duplicates, int routedLoops, int silent,
    int falseAcks, long latencyP50, long latencyP99, int hopsP50, int hopsP99, double dataSendsPerDelivery,
    double shortestPathMean, double discoveryFramesPerDelivery, double ackSendsPerDelivery,
    double routeStateMean, int routeStateMax, double controlFramesPerNodeSecond,
    double routeEntriesPerNodeSecond, int floodedNoRoute, int floodedRetry, long mergeMillis, long wallMillis) {

  public double deliveryRatio() {
    return connected == 0 ? 1.0 : (double) delivered / connected;
  }

  /** Data frames per delivery divided by the shortest path: 1.0 means every message took a shortest path once. */
  public double amplification() {
    return shortestPathMean == 0 ? 0 : dataSendsPerDelivery / shortestPathMean;
  }
}
