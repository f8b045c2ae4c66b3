package org.p2pchat.mesh;

/** One reachable destination as {@code list network} shows it: next hop, metric (hops) and the origin's seqno. */
public record RouteView(String destination, String nextHop, int metric, long seqno) {}
