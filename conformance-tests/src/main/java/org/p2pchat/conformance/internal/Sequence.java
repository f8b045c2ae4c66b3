package org.p2pchat.conformance.internal;

import java.util.ArrayList;
import java.util.List;
import org.p2pchat.conformance.Role;

/**
 * A generated sequence: the role it drives, how many simulated peers take part, the table of names its
 * steps refer to (for a peer target, peer {@code k}'s own name is {@code names[k]}), and the steps. Immutable;
 * the shrinker's edits return new sequences.
 */
public record Sequence(Role role, int peers, List<String> names, List<Action> actions) {
  public Sequence {
    names = List.copyOf(names);
    actions = List.copyOf(actions);
  }

  public int size() {
    return actions.size();
  }

  public String name(int index) {
    return names.get(index);
  }

  /** The first {@code length} steps. */
  public Sequence prefix(int length) {
    return new Sequence(role, peers, names, actions.subList(0, Math.min(length, actions.size())));
  }

  /** Without the steps from {@code from} (inclusive) to {@code to} (exclusive). */
  public Sequence without(int from, int to) {
    List<Action> kept = new ArrayList<>(actions.subList(0, from));
    kept.addAll(actions.subList(to, actions.size()));
    return new Sequence(role, peers, names, kept);
  }

  /** With step {@code index} replaced. */
  public Sequence with(int index, Action action) {
    List<Action> changed = new ArrayList<>(actions);
    changed.set(index, action);
    return new Sequence(role, peers, names, changed);
  }

  /** With name {@code index} replaced. */
  public Sequence withName(int index, String name) {
    List<String> changed = new ArrayList<>(names);
    changed.set(index, name);
    return new Sequence(role, peers, changed, actions);
  }

  /** Every step on its own line, numbered from 1. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      lines.add((i + 1) + ". " + actions.get(i).describe(this));
    }
    return lines;
  }
}
