package org.p2pchat.peer.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion of command words and of the peer names this peer knows. */
public final class CommandCompleter implements Completer {
  static final List<String> FIRST_WORDS = Commands.firstWords();

  private final Supplier<? extends Collection<String>> peerNames;

  public CommandCompleter(Supplier<? extends Collection<String>> peerNames) {
    this.peerNames = peerNames;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> before = new ArrayList<>(line.words().subList(0, Math.min(line.wordIndex(), line.words().size())));
    // "/talk bob", "/exit": a command typed in a conversation completes like one typed outside.
    boolean slashed = !line.words().isEmpty() && line.words().get(0).startsWith("/");
    if (slashed && !before.isEmpty()) {
      before.set(0, before.get(0).substring(1));
    }
    for (String word : suggestions(before)) {
      candidates.add(new Candidate(slashed && before.isEmpty() ? "/" + word : word));
    }
  }

  /** What may come after {@code before}, the words already typed (derived from the command table). */
  List<String> suggestions(List<String> before) {
    return Commands.suggestions(before, () -> new ArrayList<>(peerNames.get()));
  }
}
