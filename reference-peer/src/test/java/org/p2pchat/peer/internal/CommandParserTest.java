package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

class CommandParserTest {
  @Test
  void parsesEvery2018Command() {
    assertEquals(new Command.Register(), CommandParser.parse("register"));
    assertEquals(new Command.ListPeers(), CommandParser.parse("listpeer"));
    assertEquals(new Command.ExitNetwork(), CommandParser.parse("exit network"));
    assertEquals(new Command.RequestChatAt(new HostPort("localhost", 4000)),
        CommandParser.parse("chat request localhost 4000"));
    assertEquals(new Command.SendMessage("alice", "Hello, alice."), CommandParser.parse("chat message alice Hello, alice."));
    assertEquals(new Command.ListConnected(), CommandParser.parse("list connected peer"));
    assertEquals(new Command.Help(), CommandParser.parse("help"));
    assertEquals(new Command.Disconnect("alice"), CommandParser.parse("disconnect alice"));
    assertEquals(new Command.Exit(), CommandParser.parse("exit"));
    assertEquals(new Command.Answer(true, null), CommandParser.parse("yes"));
    assertEquals(new Command.Answer(false, null), CommandParser.parse("no"));
  }

  @Test
  void parsesOurAdditions() {
    assertEquals(new Command.RequestChatWith("alice"), CommandParser.parse("chat request alice"));
    assertEquals(new Command.Answer(true, "alice"), CommandParser.parse("yes alice"));
    assertEquals(new Command.Answer(false, "marisa"), CommandParser.parse("no marisa"));
    assertEquals(new Command.ListPending(), CommandParser.parse("pending"));
  }

  @Test
  void aChatMessageIsTheRestOfTheLineWithInnerSpacesKept() {
    assertEquals(new Command.SendMessage("alice", "a  b\tc \"d\" it's"),
        CommandParser.parse("  chat   message alice   a  b\tc \"d\" it's  \n"));
    assertEquals(new Command.SendMessage("Alice", "chat message x y"),
        CommandParser.parse("chat message Alice chat message x y"));
  }

  @Test
  void commandWordsIgnoreCaseButNamesDoNot() {
    assertEquals(new Command.Disconnect("Alice"), CommandParser.parse("DISCONNECT Alice"));
    assertEquals(new Command.ListConnected(), CommandParser.parse("List Connected Peer"));
  }

  @Test
  void anEmptyLineIsNothing() {
    assertEquals(new Command.Nothing(), CommandParser.parse(""));
    assertEquals(new Command.Nothing(), CommandParser.parse(" \t "));
    assertEquals(new Command.Nothing(), CommandParser.parse(null));
  }

  @Test
  void badLinesSayWhatIsWrong() {
    assertProblem("usage: chat message PEERNAME MESSAGE", "chat message alice");
    assertProblem("port is not a number: x (usage: chat request HOST PORT)", "chat request localhost x");
    assertProblem("port out of range 1-65535: 70000", "chat request localhost 70000");
    assertProblem("usage: disconnect PEERNAME", "disconnect");
    assertProblem("usage: register", "register now");
    assertProblem("usage: yes [PEERNAME]", "yes a b");
    assertProblem("unknown command: hello world (type \"help\" for the command list)", "hello world");
    assertTrue(((Command.Invalid) CommandParser.parse("chat")).problem().startsWith("usage: chat request"));
  }

  private static void assertProblem(String problem, String line) {
    Command command = CommandParser.parse(line);
    assertInstanceOf(Command.Invalid.class, command);
    assertEquals(problem, ((Command.Invalid) command).problem());
  }
}
