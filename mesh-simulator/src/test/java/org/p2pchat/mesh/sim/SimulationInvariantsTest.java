package org.p2pchat.mesh.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.p2pchat.mesh.MeshConfig;

/** A 200-node simulation: the invariants that must hold in every run (goals live in the simulator's report). */
class SimulationInvariantsTest {
  private static final long SEED = 42;

  private static Scenario twoHundred() {
    return new Scenario("static", Scenario.Topology.RANDOM, 200, 4.0, 0.0, false, 400, 10_000, 10_000,
        MeshConfig.defaults());
  }

  private static void assertInvariants(Result r) {
    assertEquals(0, r.duplicates(), "a message was delivered twice (seed " + r.seed() + ")");
    assertEquals(0, r.routedLoops(), "a routed frame visited a node twice (seed " + r.seed() + ")");
    assertEquals(0, r.silent(), "a sender was told nothing (seed " + r.seed() + ")");
    assertEquals(0, r.falseAcks(), "a message was acknowledged but never delivered (seed " + r.seed() + ")");
  }

  @Test
  void staticMeshDeliversEveryMessageExactlyOnceWithoutLoops() {
    Result r = new Simulation(twoHundred(), SEED).run();
    assertInvariants(r);
    assertEquals(400, r.sent());
    assertEquals(r.sent(), r.connected(), "a random graph built on a spanning tree is connected");
    assertTrue(r.delivered() >= r.connected() * 99 / 100, "delivered " + r.delivered() + " of " + r.connected());
    assertTrue(r.hopsP99() <= MeshConfig.defaults().hopLimit());
    assertTrue(r.routeStateMax() <= MeshConfig.defaults().maxRoutes());
  }

  @Test
  void churnAndAHealingPartitionKeepTheInvariants() {
    Result churn = new Simulation(twoHundred().withChurn(0.10), SEED).run();
    assertInvariants(churn);
    assertTrue(churn.delivered() > 0);
    Result partition = new Simulation(twoHundred().withPartition(), SEED).run();
    assertInvariants(partition);
    assertTrue(partition.mergeMillis() >= 0, "the two halves merged");
  }

  @Test
  void beyondAFullTableDiscoveryKeepsTheInvariantsAndShortPaths() {
    // 32 routes per node on 200: most destinations are found on demand.
    MeshConfig small = MeshConfig.builder().maxRoutes(32).build();
    Scenario s = new Scenario("static", Scenario.Topology.RANDOM, 200, 4.0, 0.0, false, 400, 10_000, 10_000, small);
    Result r = new Simulation(s, SEED).run();
    assertInvariants(r);
    assertTrue(r.delivered() >= r.connected() * 99 / 100, "delivered " + r.delivered() + " of " + r.connected());
    assertTrue(r.discoveryFramesPerDelivery() > 0, "discovery was used");
    assertTrue(r.amplification() <= 1.5, "data sends / shortest path: " + r.amplification());
    Result churn = new Simulation(s.withChurn(0.10), SEED).run();
    assertInvariants(churn);
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    Scenario small = new Scenario("churn", Scenario.Topology.RANDOM, 60, 4.0, 0.10, false, 100, 5_000, 10_000,
        MeshConfig.defaults());
    Result a = new Simulation(small, 7).run();
    Result b = new Simulation(small, 7).run();
    assertEquals(a.delivered(), b.delivered());
    assertEquals(a.latencyP99(), b.latencyP99());
    assertEquals(a.dataSendsPerDelivery(), b.dataSendsPerDelivery());
    assertEquals(a.controlFramesPerNodeSecond(), b.controlFramesPerNodeSecond());
  }

  @Test
  void theSeedsChainConverges() {
    Scenario chain = new Scenario("chain", Scenario.Topology.CHAIN, 3, 2, 0, false, 0, 5_000, 0,
        MeshConfig.defaults());
    int[] rounds = new Simulation(chain, SEED).chainConvergence();
    assertTrue(rounds[0] >= 0 && rounds[1] >= 0, "converged after the cut and after the rejoin");
  }
}
