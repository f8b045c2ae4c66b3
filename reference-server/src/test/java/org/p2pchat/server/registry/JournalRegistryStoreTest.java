package org.p2pchat.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded journal, plus what only the file store does. */
class JournalRegistryStoreTest extends RegistryStoreContract {
  @TempDir
  Path dir;

  Path file() {
    return dir.resolve("state.jsonl");
  }

  @Override
  RegistryStore open(int cap) throws Exception {
    return RegistryStores.open(RegistryUrl.parse("file:" + file(), java.util.Map.of()),
        RegistryOptions.defaults().withCap(cap));
  }

  @Test
  void writesTodaysStateFileFormatForRegistrationsWithoutKeyOrLease() throws Exception {
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      store.register("alice", at(4000), new byte[] {1, 2, 3}, T0.plusSeconds(90));
      store.register("bob", at(4001), null, null);
      store.remove("bob");
      store.register("carol", at(4002), null, T0);
      store.expire(T0);
      String journal = Files.readString(file(), StandardCharsets.UTF_8);
      assertEquals(String.join("\n",
          "{\"format\":\"p2pchat-server-state\",\"version\":1}",
          "{\"op\":\"register\",\"peername\":\"alice\",\"host\":\"127.0.0.1\",\"port\":4000,"
              + "\"idkey\":\"AQID\",\"lease\":\"2026-01-01T00:01:30Z\"}",
          "{\"op\":\"register\",\"peername\":\"bob\",\"host\":\"127.0.0.1\",\"port\":4001}",
          "{\"op\":\"remove\",\"peername\":\"bob\",\"why\":\"exit\"}",
          "{\"op\":\"register\",\"peername\":\"carol\",\"host\":\"127.0.0.1\",\"port\":4002,"
              + "\"lease\":\"2026-01-01T00:00:00Z\"}",
          "{\"op\":\"remove\",\"peername\":\"carol\",\"why\":\"expired\"}", ""), journal);
    }
  }

  @Test
  void aSecondServerOnTheSameFileIsRefusedWithOneLine() throws Exception {
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      RegistryOpenException e = assertThrows(RegistryOpenException.class, () -> open(Integer.MAX_VALUE));
      assertTrue(e.getMessage().contains("in use by another running server"), e.getMessage());
      assertTrue(!e.getMessage().contains("\n"));
      assertEquals("file:" + file().toAbsolutePath(), store.describe());
    }
  }

  @Test
  void keysAndLeasesAreKeptAcrossARestartAndAfterACompaction() throws Exception {
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      store.register("alice", at(4000), new byte[] {1}, T0.plusSeconds(90));
      store.register("bob", at(4001), null, null);
      assertTrue(store.renew("alice", T0.plusSeconds(120)));
    }
    // Closing compacted the file: the snapshot has no place for leases, so they follow it.
    String compacted = Files.readString(file(), StandardCharsets.UTF_8);
    assertTrue(compacted.contains("{\"op\":\"lease\",\"peername\":\"alice\",\"lease\":\"2026-01-01T00:02:00Z\"}"),
        compacted);
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      Registration alice = store.lookup("alice").orElseThrow();
      assertEquals(T0.plusSeconds(120), alice.leaseExpiry().orElseThrow());
      assertEquals(1, alice.publicKey().orElseThrow()[0]);
      assertTrue(store.lookup("bob").orElseThrow().leaseExpiry().isEmpty());
      assertEquals(List.of(), store.expire(T0.plusSeconds(119)));
      assertEquals(List.of("alice"), names(store.expire(T0.plusSeconds(120))));
    }
  }
}
