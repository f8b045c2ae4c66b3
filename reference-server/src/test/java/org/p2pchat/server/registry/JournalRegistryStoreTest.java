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
  void writesTodaysStateFileFormat() throws Exception {
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      store.register("alice", at(4000), new byte[] {1, 2, 3}, T0.plusSeconds(90));
      store.register("bob", at(4001), null, null);
      store.remove("bob");
      store.register("carol", at(4002), null, T0);
      store.expire(T0);
      String journal = Files.readString(file(), StandardCharsets.UTF_8);
      assertEquals(String.join("\n",
          "{\"format\":\"p2pchat-server-state\",\"version\":1}",
          "{\"op\":\"register\",\"peername\":\"alice\",\"host\":\"127.0.0.1\",\"port\":4000}",
          "{\"op\":\"register\",\"peername\":\"bob\",\"host\":\"127.0.0.1\",\"port\":4001}",
          "{\"op\":\"remove\",\"peername\":\"bob\",\"why\":\"exit\"}",
          "{\"op\":\"register\",\"peername\":\"carol\",\"host\":\"127.0.0.1\",\"port\":4002}",
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
  void keysAndLeasesAreNotKeptAcrossARestartButARenewalRestoresTheLease() throws Exception {
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      store.register("alice", at(4000), new byte[] {1}, T0.plusSeconds(90));
    }
    try (RegistryStore store = open(Integer.MAX_VALUE)) {
      Registration alice = store.lookup("alice").orElseThrow();
      assertTrue(alice.publicKey().isEmpty() && alice.leaseExpiry().isEmpty(), alice.toString());
      assertEquals(List.of(), store.expire(T0.plusSeconds(1000)));
      assertTrue(store.renew("alice", T0.plusSeconds(1090)));
      assertEquals(List.of("alice"), names(store.expire(T0.plusSeconds(1090))));
    }
  }
}
