package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import java.util.List;

class CommandsTest {
  @Test
  void parsesEvery2018Command() {
    assertRuns("register", List.of(), Commands.parse("register"));
    assertRuns("listpeer", List.of(), Commands.parse("listpeer"));
    assertRuns("exit network", List.of(), Commands.parse("exit network"));
    assertRuns("chat request", List.of("localhost", "4000"),
        Commands.parse("chat request localhost 4000"));
    assertRuns("chat message", List.of("alice", "Hello, alice."), Commands.parse("chat message alice Hello, alice."));
    assertRuns("list connected peer|peers", List.of(), Commands.parse("list connected peer"));
    assertRuns("help", List.of(), Commands.parse("help"));
    assertRuns("disconnect", List.of("alice"), Commands.parse("disconnect alice"));
    assertRuns("exit", List.of(), Commands.parse("exit"));
    assertRuns("yes|no", List.of(), Commands.parse("yes"));
    assertRuns("yes|no", List.of(), Commands.parse("no"));
  }

  @Test
  void parsesOurAdditions() {
    assertRuns("chat request", List.of("alice"), Commands.parse("chat request alice"));
    assertRuns("yes|no", List.of("alice"), Commands.parse("yes alice"));
    assertRuns("yes|no", List.of("marisa"), Commands.parse("no marisa"));
    assertRuns("pending", List.of(), Commands.parse("pending"));
  }

  @Test
  void aChatMessageIsTheRestOfTheLineWithInnerSpacesKept() {
    assertRuns("chat message", List.of("alice", "a  b\tc \"d\" it's"),
        Commands.parse("  chat   message alice   a  b\tc \"d\" it's  \n"));
    assertRuns("chat message", List.of("Alice", "chat message x y"),
        Commands.parse("chat message Alice chat message x y"));
  }

  @Test
  void commandWordsIgnoreCaseButNamesDoNot() {
    assertRuns("disconnect", List.of("Alice"), Commands.parse("DISCONNECT Alice"));
    assertRuns("list connected peer|peers", List.of(), Commands.parse("List Connected Peer"));
  }

  @Test
  void anEmptyLineIsNothing() {
    assertEquals(new Commands.Parsed.Nothing(), Commands.parse(""));
    assertEquals(new Commands.Parsed.Nothing(), Commands.parse(" \t "));
    assertEquals(new Commands.Parsed.Nothing(), Commands.parse(null));
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
    assertTrue(((Commands.Parsed.Invalid) Commands.parse("chat")).problem().startsWith("usage: chat request"));
  }

  private static void assertProblem(String problem, String line) {
    Commands.Parsed parsed = Commands.parse(line);
    assertInstanceOf(Commands.Parsed.Invalid.class, parsed);
    assertEquals(problem, ((Commands.Parsed.Invalid) parsed).problem());
  }

  private static void assertRuns(String words, List<String> args, Commands.Parsed parsed) {
    Commands.Parsed.Run run = assertInstanceOf(Commands.Parsed.Run.class, parsed, () -> String.valueOf(parsed));
    assertEquals(words, String.join(" ", run.spec().words()));
    assertEquals(args, run.args().values());
  }

  @Test
  void yesAndNoKeepTheWordTyped() {
    assertEquals("yes", ((Commands.Parsed.Run) Commands.parse("YES")).args().word());
    assertEquals("no", ((Commands.Parsed.Run) Commands.parse("no alice")).args().word());
  }

  @Test
  void help2018IsThe2018ListWordForWord() {
    assertEquals(List.of(
        "command list:",
        "    register                            注册",
        "    listpeer                            查看P2P网络内所有Peer",
        "    exit network                        退出P2P网络",
        "    chat request [host] [port]          发出聊天请求",
        "    chat message [peername] [message]   发送聊天消息",
        "    list connected peer                 查看已连接Peer",
        "    help                                查看帮助",
        "    disconnect                          断开与Peer的连接",
        "    exit                                退出程序"),
        Commands.HELP_2018);
    Commands.Parsed parsed = Commands.parse("help 2018");
    assertEquals("2018", ((Commands.Parsed.Run) parsed).args().get(0));
    assertEquals(null, ((Commands.Parsed.Run) Commands.parse("help")).args().get(0));
  }

  @Test
  void helpIsEnglishAndNamesEveryCommandOnce() {
    List<String> help = Commands.helpLines();
    assertEquals("command list:", help.get(0));
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String line : help.subList(1, help.size() - 1)) {
      String command = line.strip().split("  ")[0];
      assertTrue(seen.add(command), "listed twice: " + command);
      assertTrue(line.chars().allMatch(c -> c < 128), "not English: " + line);
    }
    for (String word : Commands.firstWords()) {
      assertTrue(help.stream().anyMatch(l -> l.matches("    (.* )?" + word + " .*")), "no help for " + word);
    }
  }

  @Test
  void everyCommandWordInTheTableParsesAndCompletes() {
    for (Commands.Spec spec : Commands.TABLE) {
      String first = spec.words().get(0).split("\\|")[0];
      assertTrue(Commands.firstWords().contains(first), first);
      assertTrue(spec.help().size() >= 1, "a command without help: " + spec.words());
    }
  }
}
