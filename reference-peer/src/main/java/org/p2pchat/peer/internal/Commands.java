package org.p2pchat.peer.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;

/**
 * The peer's commands, declared once: each row gives a command's words, its arguments, its {@code help}
 * line and what it does. Parsing, Tab completion and {@code help} are all derived from this table, so a
 * new command is one more row. Words match case-insensitively ({@code a|b} means either), peer names
 * exactly. The 2018 commands keep their words and their help lines word for word.
 */
public final class Commands {
  /** What a command acts on. */
  public record Parts(ServerSession server, OutgoingRequests outgoing, IncomingRequests incoming,
      Conversations conversations, PeerTrust trust, FileTransfers files, PeerOutput out) {}

  /** What a command does with its arguments. */
  @FunctionalInterface
  public interface Handler {
    void run(Parts parts, Args args);
  }

  /** The arguments of one typed command: the word it was typed with, then one value per parameter. */
  public record Args(String word, List<String> values) {
    public String get(int i) {
      return i < values.size() ? values.get(i) : null;
    }
  }

  /** A parameter: how it is shown in a usage line, whether it completes peer names, how it is checked. */
  public enum Param {
    HOST("HOST", false, false),
    PORT("PORT", false, false),
    PEERNAME("PEERNAME", true, false),
    OPTIONAL_PEERNAME("[PEERNAME]", true, true),
    /** A file transfer's id, as {@code list transfers} shows it. */
    TRANSFER_ID("ID", false, false),
    /** The rest of the line, inner spaces and all. */
    MESSAGE("MESSAGE", false, false),
    /** A help topic: only {@code 2018}. */
    OPTIONAL_TOPIC("[2018]", false, true);

    final String label;
    final boolean completesNames;
    final boolean optional;

    Param(String label, boolean completesNames, boolean optional) {
      this.label = label;
      this.completesNames = completesNames;
      this.optional = optional;
    }
  }

  /** Where a command's help line goes: the 2018 list, or what this peer adds. */
  public enum Since { V2018, ADDED }

  /** One row of the table. */
  public record Spec(List<String> words, List<Param> params, Since since, List<String> help, boolean quits,
      Handler handler) {
    boolean wordMatches(int i, String typed) {
      for (String alternative : words.get(i).split("\\|")) {
        if (alternative.equalsIgnoreCase(typed)) {
          return true;
        }
      }
      return false;
    }

    String usage(String typedFirstWord) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < words.size(); i++) {
        b.append(i > 0 ? " " : "").append(i == 0 && typedFirstWord != null ? typedFirstWord : words.get(i).split("\\|")[0]);
      }
      params.forEach(p -> b.append(' ').append(p.label));
      return b.toString();
    }
  }

  static final String NO_IDENTITY = "this peer runs without an identity (2018 mode): no keys to show";

  /** The table. Its order is the order of {@code help} and of completion. */
  public static final List<Spec> TABLE = List.of(
      spec("register", List.of(), Since.V2018, "    register                            register this peer with the server",
          (p, a) -> p.server().register()),
      spec("listpeer", List.of(), Since.V2018, "    listpeer                            list the peers the server knows",
          (p, a) -> p.server().listPeers()),
      spec("exit network", List.of(), Since.V2018, "    exit network                        leave the network (unregister)",
          (p, a) -> p.server().exitNetwork()),
      spec("chat request", List.of(Param.HOST, Param.PORT), Since.V2018,
          "    chat request [host] [port]          ask the peer at that address to chat",
          (p, a) -> p.outgoing().request(new HostPort(a.get(0), Integer.parseInt(a.get(1))),
              p.server().lastPeerList())),
      spec("chat message", List.of(Param.PEERNAME, Param.MESSAGE), Since.V2018,
          "    chat message [peername] [message]   send one message to a connected peer",
          (p, a) -> p.conversations().send(a.get(0), a.get(1))),
      spec("list connected peer|peers", List.of(), Since.V2018, "    list connected peer                 list the peers you chat with",
          (p, a) -> p.conversations().list()),
      spec("help", List.of(Param.OPTIONAL_TOPIC), Since.V2018,
          "    help / help 2018                    this list / the 2018 list (Chinese)",
          (p, a) -> help(p.out(), a.get(0))),
      spec("disconnect", List.of(Param.PEERNAME), Since.V2018, "    disconnect [peername]               end the chat with a connected peer",
          (p, a) -> p.conversations().disconnect(a.get(0))),
      new Spec(List.of("exit"), List.of(), Since.V2018, List.of("    exit                                leave the network and chats, and quit"), true,
          (p, a) -> { }),
      spec("chat request", List.of(Param.PEERNAME), Since.ADDED,
          "    chat request [peername]             ask a peer from the last listpeer",
          (p, a) -> p.outgoing().request(a.get(0), p.server().lastPeerList())),
      new Spec(List.of("yes|no"), List.of(Param.OPTIONAL_PEERNAME), Since.ADDED, List.of(
          "    yes / no                            answer the oldest chat request or file offer",
          "    yes [peername] / no [peername]      answer that peer's request or file offer"), false,
          (p, a) -> {
            boolean yes = a.word().equals("yes");
            if (!p.files().answerOldest(yes, a.get(0), p.incoming().oldestArrival(a.get(0)))) {
              p.incoming().answer(yes, a.get(0));
            }
          }),
      spec("pending", List.of(), Since.ADDED,
          "    pending                             chat requests waiting, theirs and yours",
          (p, a) -> pending(p)),
      spec("talk", List.of(Param.OPTIONAL_PEERNAME), Since.ADDED,
          "    talk [peername] / talk              talk to a peer (lines go to it) / stop",
          (p, a) -> p.conversations().talk(a.get(0))),
      spec("who", List.of(), Since.ADDED,
          "    who                                 connected peers, idle time, identity",
          (p, a) -> p.conversations().who()),
      spec("list network", List.of(), Since.ADDED,
          "    list network                        peers reachable through the mesh: hops, next hop",
          (p, a) -> p.conversations().listNetwork()),
      spec("whois", List.of(Param.PEERNAME), Since.ADDED,
          "    whois [peername]                    a peer's key fingerprint and state",
          (p, a) -> p.out().line(p.trust() == null ? NO_IDENTITY : p.trust().whois(a.get(0), p.server().name()))),
      spec("trust", List.of(Param.PEERNAME), Since.ADDED,
          "    trust [peername]                    accept the changed key a peer offered",
          (p, a) -> p.out().line(p.trust() == null ? NO_IDENTITY : p.trust().trust(a.get(0)))),
      spec("send file", List.of(Param.PEERNAME, Param.MESSAGE), Since.ADDED,
          "    send file [peername] [path]         offer a file to a connected peer",
          (p, a) -> p.files().send(a.get(0), a.get(1))),
      spec("accept|refuse file", List.of(Param.TRANSFER_ID), Since.ADDED,
          "    accept file [id] / refuse file [id] answer that file offer",
          (p, a) -> p.files().answer(a.get(0), a.word().equals("accept"))),
      spec("list transfers", List.of(), Since.ADDED,
          "    list transfers                      file transfers and their progress",
          (p, a) -> p.files().list()),
      spec("cancel transfer", List.of(Param.TRANSFER_ID), Since.ADDED,
          "    cancel transfer [id]                stop a transfer (partial file kept)",
          (p, a) -> p.files().cancel(a.get(0))));

  /** The 2018 program's {@code help}, word for word ({@code help 2018}). */
  public static final List<String> HELP_2018 = List.of(
      "command list:",
      "    register                            注册",
      "    listpeer                            查看P2P网络内所有Peer",
      "    exit network                        退出P2P网络",
      "    chat request [host] [port]          发出聊天请求",
      "    chat message [peername] [message]   发送聊天消息",
      "    list connected peer                 查看已连接Peer",
      "    help                                查看帮助",
      "    disconnect                          断开与Peer的连接",
      "    exit                                退出程序");

  private Commands() {}

  private static Spec spec(String words, List<Param> params, Since since, String help, Handler handler) {
    return new Spec(List.of(words.split(" ")), params, since, List.of(help), false, handler);
  }

  /** The {@code help} text: every command once, in English, in table order. */
  public static List<String> helpLines() {
    List<String> lines = new ArrayList<>();
    lines.add("command list:");
    TABLE.forEach(s -> lines.addAll(s.help()));
    lines.add("While talking, commands start with /: /talk OTHER, /talk, /help, /exit ...");
    return List.copyOf(lines);
  }

  private static void help(PeerOutput out, String topic) {
    if (topic == null) {
      helpLines().forEach(out::line);
    } else if (topic.equals("2018")) {
      HELP_2018.forEach(out::line);
    } else {
      out.line("usage: help  or  help 2018");
    }
  }

  /** {@code pending}: requests waiting for this user's answer, then this peer's own still unanswered. */
  private static void pending(Parts p) {
    List<String> theirs = p.incoming().pendingLines();
    List<String> ours = p.outgoing().pendingLines();
    if (theirs.isEmpty() && ours.isEmpty()) {
      p.out().line("no chat request is pending");
      return;
    }
    p.out().line("pending chat requests:");
    theirs.forEach(p.out()::line);
    ours.forEach(p.out()::line);
  }

  /** The words a command line can start with, in table order. */
  public static List<String> firstWords() {
    Set<String> words = new LinkedHashSet<>();
    TABLE.forEach(s -> words.addAll(List.of(s.words().get(0).split("\\|"))));
    return List.copyOf(words);
  }

  /** A typed line, parsed. */
  public sealed interface Parsed {
    /** A command to run. */
    record Run(Spec spec, Args args) implements Parsed {}

    /** An empty line. */
    record Nothing() implements Parsed {}

    /** A line that is not a command, with what to tell the user. */
    record Invalid(String problem) implements Parsed {}
  }

  /** Parses a typed line. Never throws: anything unparseable is {@link Parsed.Invalid} saying what is wrong. */
  public static Parsed parse(String line) {
    String text = line == null ? "" : line.strip();
    if (text.isEmpty()) {
      return new Parsed.Nothing();
    }
    List<int[]> tokens = tokens(text);
    List<String> words = new ArrayList<>();
    tokens.forEach(t -> words.add(text.substring(t[0], t[1])));
    String typedFirst = words.get(0).toLowerCase(Locale.ROOT);
    int deepest = 0;
    List<Spec> closest = new ArrayList<>();
    String problem = null;
    for (Spec spec : TABLE) {
      int depth = 0;
      while (depth < spec.words().size() && depth < words.size() && spec.wordMatches(depth, words.get(depth))) {
        depth++;
      }
      if (depth == 0) {
        continue;
      }
      if (depth == spec.words().size()) {
        Object result = arguments(spec, text, tokens, words, depth);
        if (result instanceof List<?> values) {
          @SuppressWarnings("unchecked")
          List<String> strings = (List<String>) values;
          return new Parsed.Run(spec, new Args(typedFirst, strings));
        }
        if (result instanceof String specific && problem == null) {
          problem = specific;
        }
      }
      if (depth > deepest) {
        deepest = depth;
        closest.clear();
      }
      if (depth == deepest) {
        closest.add(spec);
      }
    }
    if (problem != null) {
      return new Parsed.Invalid(problem);
    }
    if (closest.isEmpty()) {
      return new Parsed.Invalid("unknown command: " + text + " (type \"help\" for the command list)");
    }
    List<String> usages = new ArrayList<>();
    closest.forEach(s -> usages.add(s.usage(s.words().get(0).contains("|") ? typedFirst : null)));
    return new Parsed.Invalid("usage: " + String.join("  or  ", new LinkedHashSet<>(usages)));
  }

  /** What may come after {@code before}, the words already typed: command words, then known peer names. */
  public static List<String> suggestions(List<String> before, Supplier<? extends List<String>> peerNames) {
    Set<String> out = new LinkedHashSet<>();
    for (Spec spec : TABLE) {
      int i = 0;
      while (i < before.size() && i < spec.words().size() && spec.wordMatches(i, before.get(i))) {
        i++;
      }
      if (i < before.size() && i < spec.words().size()) {
        continue; // a typed word that does not fit this command
      }
      if (i < spec.words().size()) {
        out.addAll(i == 0 ? List.of(spec.words().get(0).split("\\|")) : List.of(spec.words().get(i).split("\\|")[0]));
        continue;
      }
      int param = before.size() - spec.words().size();
      if (param < spec.params().size() && spec.params().get(param).completesNames) {
        out.addAll(peerNames.get());
      }
    }
    return List.copyOf(out);
  }

  /** The parameter values, or a String naming a specific problem, or null if the count does not fit. */
  private static Object arguments(Spec spec, String text, List<int[]> tokens, List<String> words, int from) {
    List<String> values = new ArrayList<>();
    int next = from;
    for (Param param : spec.params()) {
      if (next >= words.size()) {
        if (param.optional) {
          continue;
        }
        return null;
      }
      if (param == Param.MESSAGE) {
        values.add(text.substring(tokens.get(next)[0]));
        next = words.size();
        continue;
      }
      String value = words.get(next++);
      if (param == Param.PORT) {
        String problem = portProblem(value, spec.usage(null));
        if (problem != null) {
          return next == words.size() && values.size() + 1 == spec.params().size() ? problem : null;
        }
      }
      values.add(value);
    }
    return next == words.size() ? values : null;
  }

  private static String portProblem(String text, String usage) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return "port is not a number: " + text + " (usage: " + usage + ")";
    }
    return port < 1 || port > 65535 ? "port out of range 1-65535: " + port : null;
  }

  /** The white space that separates words, as the 2018 program's split and regex {@code \\s} see it. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** Start and end of each whitespace-separated word. */
  private static List<int[]> tokens(String text) {
    List<int[]> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !isSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(new int[] {start, i});
      }
    }
    return out;
  }
}
