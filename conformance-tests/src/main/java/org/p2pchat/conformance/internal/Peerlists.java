package org.p2pchat.conformance.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ListpeerReply;

/** Reading LISTPEER replies: the target may list names from other runs too, so only ours are compared. */
final class Peerlists {
  private Peerlists() {}

  /** The entries of a LISTPEER reply whose names {@code ours} accepts, in the reply's order. */
  static LinkedHashMap<String, HostPort> ours(Arrival reply, Predicate<String> ours) {
    LinkedHashMap<String, HostPort> all = reply.as(ListpeerReply.class).getPeerlist();
    LinkedHashMap<String, HostPort> mine = new LinkedHashMap<>();
    if (all != null) {
      all.forEach((name, address) -> {
        if (ours.test(name)) {
          mine.put(name, address);
        }
      });
    }
    return mine;
  }

  /** {@code {a: host:port, b: host:port}} for verdict texts. */
  static String show(Map<String, HostPort> list) {
    List<String> parts = new ArrayList<>();
    list.forEach((name, address) -> parts.add(name + ": " + address));
    return "{" + String.join(", ", parts) + "}";
  }
}
