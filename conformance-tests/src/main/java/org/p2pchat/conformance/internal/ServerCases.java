package org.p2pchat.conformance.internal;

import static org.p2pchat.conformance.internal.Messages.exit;
import static org.p2pchat.conformance.internal.Messages.listpeer;
import static org.p2pchat.conformance.internal.Messages.register;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;

/** The rendezvous server's rules, one case each. */
final class ServerCases {
  private ServerCases() {}

  static List<Case> all() {
    return List.of(
        Case.of(info("server.register.ok", "A fresh name is registered: REGISTER_SUCCESS goes to the advertised "
            + "address and LISTPEER then lists the name there", Rules.REGISTER), ServerCases::registerOk),
        Case.of(info("server.register.duplicate-name", "A second REGISTER of a taken name from another address gets "
            + "REGISTER_ERROR and leaves the first registration in place", Rules.REGISTER), ServerCases::duplicate),
        Case.of(info("server.listpeer.unregistered-silent", "LISTPEER from a name that is not registered gets no "
            + "reply, anywhere", Rules.LISTPEER), ServerCases::unregisteredSilent),
        Case.of(info("server.listpeer.order", "LISTPEER lists every registered name with its address, in "
            + "registration order", Rules.ORDER), ServerCases::order),
        Case.of(info("server.exit.then-reregister", "EXIT_NETWORK has no reply and frees the name: it leaves the list "
            + "and can be registered again from another address", Rules.EXIT), ServerCases::exitThenReregister),
        Case.of(info("server.exit.unknown-name-silent", "EXIT_NETWORK for a name that is not registered gets no "
            + "reply and changes nothing", Rules.EXIT), ServerCases::exitUnknown),
        Case.of(info("server.reply.advertised-address", "Replies go to the address in the message or the registered "
            + "one, on a new connection: never to the source address, never back on the request's connection",
            Rules.REPLY_ADDRESS), ServerCases::advertisedAddress));
  }

  static Case finalCheck() {
    return Case.of(info("server.final.still-serving", "After every other case, a fresh name still registers and "
        + "is listed", Rules.STILL_SERVING), ServerCases::registerOk);
  }

  private static CaseInfo info(String id, String description, Rules.Rule rule) {
    return new CaseInfo(id, description, rule.anchor(), rule.text(), EnumSet.of(Role.SERVER));
  }

  private static String registerOk(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    String name = run.name("a");
    run.send(Messages.register(name, a.advertised()));
    run.expectReply(a, MessageType.REGISTER_SUCCESS);
    run.send(listpeer(name));
    Arrival reply = run.expectReply(a, MessageType.LISTPEER_REPLY);
    expectEntry(reply, name, a.advertised());
    return "REGISTER_SUCCESS at " + a.label() + "; LISTPEER lists " + name + " at " + a.advertised();
  }

  private static String duplicate(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    Endpoint b = run.endpoint("peer B");
    String name = run.name("dup");
    run.send(register(name, a.advertised()));
    run.expectReply(a, MessageType.REGISTER_SUCCESS);
    run.send(register(name, b.advertised()));
    run.expectReply(b, MessageType.REGISTER_ERROR);
    run.send(listpeer(name));
    Arrival reply = run.expectReply(a, MessageType.LISTPEER_REPLY);
    expectEntry(reply, name, a.advertised());
    return "REGISTER_ERROR at " + b.label() + "; " + name + " still listed at " + a.advertised();
  }

  private static String unregisteredSilent(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    String registered = run.name("a");
    run.send(register(registered, a.advertised()));
    run.expectReply(a, MessageType.REGISTER_SUCCESS);
    run.send(listpeer(run.name("nobody")));
    run.expectSilence("LISTPEER from a name that is not registered");
    return "no reply to LISTPEER from an unregistered name";
  }

  private static String order(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    Endpoint b = run.endpoint("peer B");
    // Registered in reverse alphabetical order, so a list sorted by name or by hash shows up.
    String[] stems = {"h", "g", "f", "e", "d", "c", "b", "a"};
    LinkedHashMap<String, HostPort> expected = new LinkedHashMap<>();
    for (int i = 0; i < stems.length; i++) {
      Endpoint at = i % 2 == 0 ? a : b;
      String name = run.name("order-" + stems[i]);
      run.send(Messages.register(name, at.advertised()));
      run.expectReply(at, MessageType.REGISTER_SUCCESS);
      expected.put(name, at.advertised());
    }
    String first = expected.keySet().iterator().next();
    run.send(listpeer(first));
    Arrival reply = run.expectReply(a, MessageType.LISTPEER_REPLY);
    LinkedHashMap<String, HostPort> listed = Peerlists.ours(reply, expected::containsKey);
    if (!listed.equals(expected)) {
      throw CaseFailure.fail("every registered name at its address: " + Peerlists.show(expected),
          "listed " + Peerlists.show(listed));
    }
    if (!new ArrayList<>(listed.keySet()).equals(new ArrayList<>(expected.keySet()))) {
      throw CaseFailure.fail("registration order " + Peerlists.show(expected), "listed " + Peerlists.show(listed));
    }
    return "all " + expected.size() + " names listed in registration order";
  }

  private static String exitThenReregister(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    Endpoint b = run.endpoint("peer B");
    Endpoint c = run.endpoint("peer C");
    String leaving = run.name("leaving");
    String observer = run.name("observer");
    run.send(register(leaving, a.advertised()));
    run.expectReply(a, MessageType.REGISTER_SUCCESS);
    run.send(register(observer, b.advertised()));
    run.expectReply(b, MessageType.REGISTER_SUCCESS);
    run.send(exit(leaving));
    run.expectSilence("EXIT_NETWORK has no reply");
    run.send(listpeer(observer));
    Arrival reply = run.expectReply(b, MessageType.LISTPEER_REPLY);
    Map<String, HostPort> listed = Peerlists.ours(reply, leaving::equals);
    if (!listed.isEmpty()) {
      throw CaseFailure.fail(leaving + " no longer listed after EXIT_NETWORK", "still listed: "
          + Peerlists.show(listed));
    }
    run.send(register(leaving, c.advertised()));
    run.expectReply(c, MessageType.REGISTER_SUCCESS);
    run.send(listpeer(observer));
    expectEntry(run.expectReply(b, MessageType.LISTPEER_REPLY), leaving, c.advertised());
    return "silent EXIT_NETWORK removed " + leaving + "; registered again at " + c.advertised();
  }

  private static String exitUnknown(CaseRun run) throws Exception {
    run.send(exit(run.name("stranger")));
    run.expectSilence("EXIT_NETWORK has no reply");
    run.expectStillServing("EXIT_NETWORK for an unknown name");
    return "no reply; the server still registers names";
  }

  private static String advertisedAddress(CaseRun run) throws Exception {
    Endpoint a = run.endpoint("peer A");
    String name = run.name("a");
    expectNothingBack(run, run.harness().sendAndReadBack(Messages.encode(register(name, a.advertised())),
        run.settings().silence()), "REGISTER");
    run.expectReply(a, MessageType.REGISTER_SUCCESS);
    expectNothingBack(run, run.harness().sendAndReadBack(Messages.encode(listpeer(name)), run.settings().silence()),
        "LISTPEER");
    run.expectReply(a, MessageType.LISTPEER_REPLY);
    run.expectSilence("each request has exactly one reply");
    return "both replies arrived at " + a.advertised() + " on new connections; nothing at the source addresses";
  }

  private static void expectNothingBack(CaseRun run, byte[] back, String what) throws CaseFailure {
    if (back.length > 0) {
      throw CaseFailure.fail("nothing sent back on the " + what + " connection", back.length
          + " bytes came back on it: " + WireLog.printable(back));
    }
  }

  private static void expectEntry(Arrival reply, String name, HostPort address) throws CaseFailure {
    Map<String, HostPort> listed = Peerlists.ours(reply, name::equals);
    if (!address.equals(listed.get(name))) {
      throw CaseFailure.fail("LISTPEER lists " + name + ": " + address,
          listed.isEmpty() ? name + " is not in the list" : "it lists " + Peerlists.show(listed));
    }
  }
}
