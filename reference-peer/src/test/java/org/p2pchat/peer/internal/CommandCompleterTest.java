package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandCompleterTest {
  private final CommandCompleter completer = new CommandCompleter(() -> List.of("alice", "patchouli"));

  @Test
  void completesCommandWordsThenKnownPeerNames() {
    assertEquals(CommandCompleter.FIRST_WORDS, completer.suggestions(List.of()));
    assertEquals(List.of("request", "message"), completer.suggestions(List.of("chat")));
    assertEquals(List.of("alice", "patchouli"), completer.suggestions(List.of("chat", "message")));
    assertEquals(List.of("alice", "patchouli"), completer.suggestions(List.of("Disconnect")));
    assertEquals(List.of("alice", "patchouli"), completer.suggestions(List.of("yes")));
    assertEquals(List.of("peer"), completer.suggestions(List.of("list", "connected")));
    assertEquals(List.of("network"), completer.suggestions(List.of("exit")));
    assertEquals(List.of(), completer.suggestions(List.of("chat", "message", "alice")));
  }
}
