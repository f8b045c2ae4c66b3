package org.p2pchat.conformance.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.p2pchat.conformance.Role;

/**
 * Generates sequences from a seed: the same role, seed, index and length bound always give the same
 * sequence. Steps are drawn with weights, and biased by a model of the target's state towards the
 * interesting cases (a taken name registered again, a name that left registering again, LISTPEER from
 * registered names), so that short runs reach them.
 *
 * <p>Server steps (weight): register 40 (a quarter of them a taken name, a quarter a name that left;
 * one in ten padded over 1,024 bytes), LISTPEER 25 (three quarters from a registered name), EXIT_NETWORK
 * 17 (mostly a registered name), bad input 18. Peer steps: CHAT_REQUEST 35, CHAT_MESSAGE 35, DISCONNECT 15,
 * bad input 15. Names are short ({@code n3}) or long, accented, non-Latin or emoji, at most 6 of them.
 */
public final class Generator {
  private static final int MAX_NAMES = 6;
  private static final String[] WORDS = {"名前", "Zoë", "Ελένη", "Łukasz", "Дарья"};

  private Generator() {}

  /** Sequence {@code index} (from 1) of a run with {@code seed}: between half of and {@code maxActions} steps. */
  public static Sequence generate(Role role, long seed, int index, int maxActions) {
    SplittableRandom random = new SplittableRandom(seed + index * 0x9E3779B97F4A7C15L);
    int peers = 2 + random.nextInt(2);
    int length = Math.max(1, maxActions / 2 + random.nextInt(maxActions - maxActions / 2 + 1));
    return role == Role.SERVER ? server(random, peers, length) : peer(random, peers, length);
  }

  private static Sequence server(SplittableRandom random, int peers, int length) {
    List<String> names = new ArrayList<>();
    List<Action> actions = new ArrayList<>();
    ServerModel model = new ServerModel();
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      int roll = random.nextInt(100);
      Action action;
      if (roll < 40) {
        int q = random.nextInt(100);
        int name;
        if (q < 25 && !model.registered().isEmpty()) {
          name = pick(random, new ArrayList<>(model.registered()));
        } else if (q < 50 && !left.isEmpty()) {
          name = pick(random, left);
        } else {
          name = newOrAny(random, names);
        }
        action = new Action.Register(random.nextInt(peers), name, random.nextInt(100) < 10);
      } else if (roll < 65) {
        boolean registered = !model.registered().isEmpty() && random.nextInt(100) < 75;
        action = new Action.Listpeer(registered ? pick(random, new ArrayList<>(model.registered()))
            : newOrAny(random, names));
      } else if (roll < 82) {
        boolean registered = !model.registered().isEmpty() && random.nextInt(100) < 80;
        action = new Action.Exit(registered ? pick(random, new ArrayList<>(model.registered()))
            : newOrAny(random, names));
      } else {
        action = badInput(random);
      }
      if (action instanceof Action.Exit e && model.registered().contains(e.name())) {
        left.add(e.name());
      }
      if (action instanceof Action.Register r) {
        left.remove(Integer.valueOf(r.name()));
      }
      model.step(action);
      actions.add(action);
    }
    return new Sequence(Role.SERVER, peers, names, actions);
  }

  private static Sequence peer(SplittableRandom random, int peers, int length) {
    List<String> names = new ArrayList<>();
    for (int p = 0; p < peers; p++) {
      names.add(newName(random, p));
    }
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      int roll = random.nextInt(100);
      int peer = random.nextInt(peers);
      Action action;
      if (roll < 35) {
        action = new Action.ChatRequest(peer, random.nextInt(100) < 10);
      } else if (roll < 70) {
        action = new Action.ChatMessage(peer, random.nextInt(Action.ChatMessage.TEXTS.size()));
      } else if (roll < 85) {
        action = new Action.Disconnect(peer);
      } else {
        action = badInput(random);
      }
      actions.add(action);
    }
    return new Sequence(Role.PEER, peers, names, actions);
  }

  private static Action badInput(SplittableRandom random) {
    BadInputKind[] kinds = BadInputKind.values();
    return new Action.BadInput(kinds[random.nextInt(kinds.length)]);
  }

  private static int pick(SplittableRandom random, List<Integer> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** A new name while there is room, else any known one. */
  private static int newOrAny(SplittableRandom random, List<String> names) {
    if (names.size() < MAX_NAMES && (names.isEmpty() || random.nextInt(100) < 70)) {
      names.add(newName(random, names.size()));
      return names.size() - 1;
    }
    return random.nextInt(names.size());
  }

  /** Name {@code index}: usually short, sometimes long, accented, non-Latin or emoji; always unique by index. */
  static String newName(SplittableRandom random, int index) {
    int style = random.nextInt(100);
    if (style < 55) {
      return simplest(index);
    }
    if (style < 75) {
      StringBuilder sb = new StringBuilder("long-" + index + "-");
      int letters = 20 + random.nextInt(17);
      for (int i = 0; i < letters; i++) {
        sb.append((char) ('a' + random.nextInt(26)));
      }
      return sb.toString();
    }
    if (style < 90) {
      return WORDS[random.nextInt(WORDS.length)] + index;
    }
    return "\uD83D\uDE42" + index;
  }

  /** The simplest name the shrinker can give name {@code index}. */
  public static String simplest(int index) {
    return "n" + index;
  }
}
