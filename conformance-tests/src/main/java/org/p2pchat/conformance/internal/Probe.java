package org.p2pchat.conformance.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.conformance.Role;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatAccept;

/**
 * "Does the target still serve?": one valid message that needs an answer, and the wait for that answer.
 * For a server, a REGISTER of a fresh name (then EXIT_NETWORK to tidy up); for a peer, a CHAT_REQUEST (then
 * DISCONNECT). Arrivals at other listeners meanwhile are kept as strays for the caller to judge.
 */
public final class Probe {
  private final String problem;
  private final List<Arrival> strays;
  private final boolean heardNothing;

  private Probe(String problem, List<Arrival> strays, boolean heardNothing) {
    this.problem = problem;
    this.strays = List.copyOf(strays);
    this.heardNothing = heardNothing;
  }

  /** True if nothing at all arrived, anywhere: the sign of a target that stopped answering. */
  public boolean heardNothing() {
    return heardNothing;
  }

  /** Null if the target answered, else what went wrong, in a sentence. */
  public String problem() {
    return problem;
  }

  public boolean answered() {
    return problem == null;
  }

  /** What arrived elsewhere while the probe waited. */
  public List<Arrival> strays() {
    return strays;
  }

  /** Runs the probe for the harness's role. */
  public static Probe run(Harness h, Names names) throws TargetDownException, IOException, InterruptedException {
    Settings s = h.settings();
    Endpoint endpoint = h.endpoint("probe");
    String name = names.fresh("probe");
    MessageType wanted;
    if (s.role() == Role.SERVER) {
      h.send(Messages.encode(Messages.register(name, endpoint.advertised())));
      wanted = MessageType.REGISTER_SUCCESS;
    } else {
      h.send(Messages.encode(Messages.chatRequest(name, endpoint.advertised())));
      wanted = MessageType.CHAT_ACCEPT;
    }
    List<Arrival> strays = new ArrayList<>();
    Arrival reply = awaitAt(h, endpoint, s.replyTimeout(), strays, wanted);
    String problem = null;
    if (reply == null && !strays.isEmpty() && strays.get(strays.size() - 1).type() == wanted) {
      problem = "a fresh " + (s.role() == Role.SERVER ? "REGISTER" : "CHAT_REQUEST") + " was answered at the wrong "
          + "address: " + strays.get(strays.size() - 1).brief() + " instead of " + endpoint.label();
    } else if (reply == null) {
      problem = "a fresh " + (s.role() == Role.SERVER ? "REGISTER" : "CHAT_REQUEST") + " got no answer at "
          + endpoint.label() + " within " + s.replyTimeout().toMillis() + " ms" + describe(strays);
    } else if (reply.type() != wanted) {
      problem = "a fresh " + (s.role() == Role.SERVER ? "REGISTER" : "CHAT_REQUEST") + " was answered with "
          + reply.describe() + " instead of " + wanted;
    } else if (s.role() == Role.PEER && reply.as(ChatAccept.class).getPort() != s.target().port()) {
      problem = "CHAT_ACCEPT names port " + reply.as(ChatAccept.class).getPort() + ", not the target's "
          + s.target().port();
    }
    tidyUp(h, name);
    return new Probe(problem, strays, reply == null && strays.isEmpty());
  }

  /**
   * Waits for the first arrival at {@code endpoint}, keeping others in {@code strays}; stops early, returning
   * null, when a message of the {@code wanted} type turns up elsewhere (the answer went astray).
   */
  static Arrival awaitAt(Harness h, Endpoint endpoint, Duration timeout, List<Arrival> strays, MessageType wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Arrival a = h.next(Duration.ofNanos(left));
      if (a == null) {
        return null;
      }
      if (a.isAt(endpoint)) {
        return a;
      }
      strays.add(a);
      if (a.type() == wanted) {
        return null;
      }
    }
  }

  private static void tidyUp(Harness h, String name) {
    Object bye = h.settings().role() == Role.SERVER ? Messages.exit(name) : Messages.disconnect(name);
    try {
      h.send(Messages.encode(bye));
    } catch (TargetDownException | IOException e) {
      h.log().note("could not tidy up after the probe: " + e.getMessage());
    }
  }

  private static String describe(List<Arrival> strays) {
    if (strays.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; meanwhile ");
    for (int i = 0; i < strays.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(strays.get(i).brief());
    }
    return sb.toString();
  }
}
