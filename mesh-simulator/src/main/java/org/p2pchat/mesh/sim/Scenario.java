package org.p2pchat.mesh.sim;

import org.p2pchat.mesh.MeshConfig;

/**
 * One simulated run: the topology, what happens during it and how much traffic it carries. Immutable.
 *
 * @param name shown in the report
 * @param topology a random connected graph or a chain
 * @param nodes how many nodes
 * @param averageDegree links per node on average (random graphs)
 * @param churnFraction the share of nodes that leave (half silently, half saying goodbye) and join again
 * @param partitioned two halves that are joined by one link a third of the way into the traffic window
 * @param messages chat messages between random pairs, spread over the traffic window
 * @param warmupMillis simulated time before the first message
 * @param trafficMillis the window the messages are sent in
 * @param config the mesh configuration every node runs
 */
public record Scenario(String name, Topology topology, int nodes, double averageDegree, double churnFraction,
    boolean partitioned, int messages, long warmupMillis, long trafficMillis, MeshConfig config) {

  /** How the nodes are linked. */
  public enum Topology {
    RANDOM,
    CHAIN
  }

  public static Scenario random(String name, int nodes, int messages) {
    return new Scenario(name, Topology.RANDOM, nodes, 4.0, 0.0, false, messages, 15_000, 30_000,
        MeshConfig.defaults());
  }

  public Scenario withChurn(double fraction) {
    return new Scenario(name, topology, nodes, averageDegree, fraction, partitioned, messages, warmupMillis,
        trafficMillis, config);
  }

  public Scenario withPartition() {
    return new Scenario(name, topology, nodes, averageDegree, churnFraction, true, messages, warmupMillis,
        trafficMillis, config);
  }

  public Scenario named(String newName) {
    return new Scenario(newName, topology, nodes, averageDegree, churnFraction, partitioned, messages, warmupMillis,
        trafficMillis, config);
  }
}
