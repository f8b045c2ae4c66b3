package org.p2pchat.peer.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion of command words and of the peer names this peer knows. */
public final class CommandCompleter implements Completer {
  static final List<String> FIRST_WORDS = List.of("register", "listpeer", "chat", "list", "disconnect", "yes", "no",
      "pending", "help", "exit");

  private final Supplier<? extends Collection<String>> peerNames;

  public CommandCompleter(Supplier<? extends Collection<String>> peerNames) {
    this.peerNames = peerNames;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> before = line.words().subList(0, Math.min(line.wordIndex(), line.words().size()));
    for (String word : suggestions(before)) {
      candidates.add(new Candidate(word));
    }
  }

  /** What may come after {@code before}, the words already typed. */
  List<String> suggestions(List<String> before) {
    List<String> words = new ArrayList<>();
    for (String w : before) {
      words.add(w.toLowerCase(Locale.ROOT));
    }
    if (words.isEmpty()) {
      return FIRST_WORDS;
    }
    String first = words.get(0);
    if (words.size() == 1) {
      switch (first) {
        case "chat":
          return List.of("request", "message");
        case "list":
          return List.of("connected");
        case "exit":
          return List.of("network");
        case "disconnect":
        case "yes":
        case "no":
          return names();
        default:
          return List.of();
      }
    }
    if (words.size() == 2) {
      if (first.equals("chat") && (words.get(1).equals("request") || words.get(1).equals("message"))) {
        return names();
      }
      if (first.equals("list") && words.get(1).equals("connected")) {
        return List.of("peer");
      }
    }
    return List.of();
  }

  private List<String> names() {
    return new ArrayList<>(peerNames.get());
  }
}
