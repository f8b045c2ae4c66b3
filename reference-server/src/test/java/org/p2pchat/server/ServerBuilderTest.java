package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder's bounds (each refused just below, accepted at), and what a started server says of its registry. */
class ServerBuilderTest {
  @TempDir
  Path dir;

  @Test
  void everyBoundIsRefusedJustBelowAndAcceptedAtIt() {
    RendezvousServer.Builder b = RendezvousServer.builder();
    assertThrows(IllegalArgumentException.class, () -> b.lease(Duration.ofMillis(2_999)));
    assertSame(b, b.lease(Duration.ofSeconds(3)));
    assertThrows(IllegalArgumentException.class, () -> b.port(-1));
    assertThrows(IllegalArgumentException.class, () -> b.port(65_536));
    assertSame(b, b.port(65_535));
    assertSame(b, b.port(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxMessageBytes(1));
    assertSame(b, b.maxMessageBytes(2));
    assertThrows(IllegalArgumentException.class, () -> b.maxReplyBytes(1));
    assertSame(b, b.maxReplyBytes(2));
    assertThrows(IllegalArgumentException.class, () -> b.workerThreads(0));
    assertSame(b, b.workerThreads(1));
    assertThrows(IllegalArgumentException.class, () -> b.maxConnectionsPerSource(0));
    assertSame(b, b.maxConnectionsPerSource(1));
    assertSame(b, b.registry(null));
    assertSame(b, b.registryOptions(org.p2pchat.server.registry.RegistryOptions.defaults()));
    assertSame(b, b.identity(org.p2pchat.identity.IdentityKeyPair.generate(new java.security.SecureRandom())));
  }

  @Test
  void aStartedServerNamesItsStateFileAndSavesItOnStop() throws Exception {
    Path state = dir.resolve("state.jsonl");
    RendezvousServer server = RendezvousServer.builder().host("127.0.0.1").port(0).stateFile(state)
        .workerThreads(1).maxReplyBytes(64 * 1024).build().start();
    try {
      assertEquals(state.toRealPath(), server.stateFile());
      assertTrue(server.registryDescription().contains(state.getFileName().toString()),
          server.registryDescription());
      assertFalse(server.sharedRegistry());
      assertFalse(server.temporaryState());
      assertEquals(0, server.limited());
      assertEquals("127.0.0.1", server.address().host());
    } finally {
      assertTrue(server.stop(Duration.ofSeconds(5)), "nothing in hand: a clean stop");
    }
    assertTrue(server.stop(Duration.ofSeconds(5)), "stopping twice is harmless");
    assertTrue(Files.exists(state), "kept");
  }

  @Test
  void withoutAStateFileOnPortZeroTheStateIsTemporaryAndDeletedOnStop() throws Exception {
    RendezvousServer server = RendezvousServer.builder().host("127.0.0.1").port(0).build().start();
    Path state;
    try {
      assertTrue(server.temporaryState());
      state = server.stateFile();
      assertTrue(Files.exists(state), state.toString());
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
    assertFalse(Files.exists(state), "deleted on stop");
  }
}
