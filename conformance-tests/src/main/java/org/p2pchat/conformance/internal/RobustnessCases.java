package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;
import org.p2pchat.conformance.Verdict;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.WireJson;

/**
 * The bad-input catalogue, for both roles. Each case sends something a receiver must survive, then checks
 * what comes after it: a fresh valid message must still be answered (the {@link Probe}).
 */
final class RobustnessCases {
  private static final int DEPTH = 50_000;
  private static final int LARGE_VALID = 4096;
  private static final int OVERSIZE = 1024 * 1024 + 1024;

  private RobustnessCases() {}

  static List<Case> all() {
    return List.of(
        Case.of(info("robustness.malformed-json", "Five messages that are not JSON (plain text, single quotes, a "
            + "missing comma, stray brackets) get no reply; the next valid message is served", Rules.STILL_SERVING),
            RobustnessCases::malformed),
        Case.of(info("robustness.truncated", "The first half of a valid message, then end of stream: no reply; the "
            + "next valid message is served", Rules.STILL_SERVING), RobustnessCases::truncated),
        Case.of(info("robustness.non-utf8", "A message with bytes that are not UTF-8 in a name is not acted on; the "
            + "next valid message is served", Rules.UTF8), RobustnessCases::nonUtf8),
        Case.of(info("robustness.oversize.1mib", "A message of 1 MiB + 1 KiB may be refused by a size cap but must not "
            + "stop the target; the next valid message is served", Rules.SIZE_CAP), RobustnessCases::oversize),
        Case.of(info("robustness.over-1024-bytes", "A valid 4 KiB message (an unknown extra field carries the padding) "
            + "is read to its end and answered, unlike the 2018 single recv(1024)", Rules.NEW_FIELDS),
            RobustnessCases::overKilobyte),
        Case.of(info("robustness.fragmented", "A valid message written in three pieces with pauses between them is "
            + "read to its end and answered", Rules.READ_TO_END), RobustnessCases::fragmented),
        Case.of(info("robustness.deep-nesting", "A message nested 50,000 arrays deep gets no reply and does not "
            + "exhaust the target's stack; the next valid message is served", Rules.STILL_SERVING),
            RobustnessCases::deepNesting),
        Case.of(info("robustness.unknown-type", "A message of an unknown msgtype gets no reply; the next valid message "
            + "is served", Rules.UNKNOWN_TYPE), RobustnessCases::unknownType),
        Case.of(info("robustness.wrong-types", "A message whose port is a JSON string, not an integer, is not acted on; "
            + "the next valid message is served", Rules.PORTS), RobustnessCases::wrongTypes),
        Case.of(info("robustness.empty-connection", "Three connections closed without a byte get no reply; the next "
            + "valid message is served", Rules.STILL_SERVING), RobustnessCases::emptyConnections),
        Case.of(info("robustness.stalled-half-message", "While a connection that sent half a message is held open, "
            + "a valid message on another connection is answered in time", Rules.BLOCKING),
            RobustnessCases::stalledHalf),
        Case.of(info("robustness.two-messages", "Two JSON messages on one connection break 'one message per "
            + "connection': neither needs an answer; the next valid message is served", Rules.ONE_MESSAGE),
            RobustnessCases::twoMessages),
        Case.of(info("robustness.idle-flood", "While many connections sit open sending nothing, a valid message on "
            + "another connection is answered in time", Rules.BLOCKING), RobustnessCases::idleFlood));
  }

  private static CaseInfo info(String id, String description, Rules.Rule rule) {
    return new CaseInfo(id, description, rule.anchor(), rule.text(), EnumSet.allOf(Role.class));
  }

  /** A valid message of the target's role that needs an answer, to {@code at}. */
  private static Object request(CaseRun run, Endpoint at, String name) {
    return run.settings().role() == Role.SERVER ? Messages.register(name, at.advertised())
        : Messages.chatRequest(name, at.advertised());
  }

  private static MessageType answer(CaseRun run) {
    return run.settings().role() == Role.SERVER ? MessageType.REGISTER_SUCCESS : MessageType.CHAT_ACCEPT;
  }

  private static String malformed(CaseRun run) throws Exception {
    String type = run.settings().role() == Role.SERVER ? "REGISTER" : "CHAT_REQUEST";
    String[] payloads = {
        "this is not JSON",
        "{\"msgtype\": \"" + type + "\", \"msgdata\": {\"peername\": 'single', \"host\": 'localhost', \"port\": 1}}",
        "{\"msgtype\": \"" + type + "\" \"msgdata\": {}}",
        "{]",
        "{\"msgtype\": \"" + type + "\", \"msgdata\": {\"peername\": \"x\",, }}"};
    for (int i = 0; i < payloads.length; i++) {
      run.sendInputAndProbe(i + 1, payloads.length, WireLog.printable(payloads[i].getBytes(StandardCharsets.UTF_8)),
          payloads[i].getBytes(StandardCharsets.UTF_8));
    }
    return survive(run, "malformed JSON", null);
  }

  private static String truncated(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer T");
    byte[] whole = Messages.encode(request(run, e, run.name("cut")));
    run.sendBytes(Arrays.copyOf(whole, whole.length / 2));
    return survive(run, "a truncated message", null);
  }

  private static String nonUtf8(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer U");
    byte[] valid = Messages.encode(request(run, e, run.name("QQBADQQ")));
    byte[] bad = replace(valid, "QQBADQQ".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, 0x28,
        (byte) 0xFF, (byte) 0xFE});
    run.sendBytes(bad);
    return survive(run, "bytes that are not UTF-8", e);
  }

  private static String oversize(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer O");
    byte[] big = Messages.padded(request(run, e, run.name("big")), OVERSIZE);
    RawConnection connection = run.harness().open();
    try {
      run.harness().write(connection, big);
      connection.finish();
    } catch (IOException closedEarly) {
      run.harness().log().note("the target closed the connection before the end of the 1 MiB message ("
          + closedEarly.getMessage() + "): a size cap, which is allowed");
    } finally {
      connection.close();
    }
    List<Arrival> seen = run.watch();
    run.expectStillServing("a message of " + big.length + " bytes");
    boolean answered = false;
    for (Arrival a : seen) {
      if (a.isAt(e) && a.type() == answer(run)) {
        answered = true;
      } else {
        throw CaseFailure.fail("no reply other than, at most, the answer to the big message", "got " + a.describe());
      }
    }
    return answered ? "it read and answered the whole message, and still serves"
        : "it dropped the message (size cap) and still serves";
  }

  private static String overKilobyte(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer L");
    run.sendBytes(Messages.padded(request(run, e, run.name("long")), LARGE_VALID));
    run.expectReply(e, answer(run));
    return "the " + LARGE_VALID + "-byte message was answered";
  }

  private static String fragmented(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer F");
    byte[] whole = Messages.encode(request(run, e, run.name("frag")));
    int[] cuts = {0, 7, whole.length / 2, whole.length};
    Duration pause = Duration.ofMillis(Math.min(100, Math.max(20, run.settings().silence().toMillis() / 3)));
    try (RawConnection connection = run.harness().open()) {
      for (int i = 0; i + 1 < cuts.length; i++) {
        if (i > 0) {
          pace(pause);
        }
        run.harness().write(connection, Arrays.copyOfRange(whole, cuts[i], cuts[i + 1]));
      }
      connection.finish();
      run.expectReply(e, answer(run));
    }
    return "the message written in 3 pieces was answered";
  }

  private static String deepNesting(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer D");
    ObjectNode tree = WireJson.toTree(request(run, e, run.name("deep")));
    String text = new String(WireJson.write(tree, WireJson.Style.PYTHON), StandardCharsets.UTF_8);
    String nested = "[".repeat(DEPTH) + "]".repeat(DEPTH);
    String name = tree.get("msgdata").get("peername").asText();
    byte[] bytes = text.replace("\"" + name + "\"", nested).getBytes(StandardCharsets.UTF_8);
    run.sendBytes(bytes);
    return survive(run, "a message nested " + DEPTH + " deep", null);
  }

  private static String unknownType(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer X");
    ObjectNode tree = WireJson.toTree(request(run, e, run.name("unknown")));
    tree.put("msgtype", "CONFORMANCE_UNKNOWN_TYPE");
    run.sendBytes(WireJson.write(tree, WireJson.Style.PYTHON));
    return survive(run, "an unknown msgtype", null);
  }

  private static String wrongTypes(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer W");
    ObjectNode tree = WireJson.toTree(request(run, e, run.name("wrong")));
    ((ObjectNode) tree.get("msgdata")).put("port", String.valueOf(e.advertised().port()));
    run.sendBytes(WireJson.write(tree, WireJson.Style.PYTHON));
    return survive(run, "a port written as a string", e);
  }

  private static String emptyConnections(CaseRun run) throws Exception {
    for (int i = 0; i < 3; i++) {
      run.sendInputAndProbe(i + 1, 3, "a connection closed without a byte", new byte[0]);
    }
    return survive(run, "connections that sent nothing", null);
  }

  private static String stalledHalf(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer S");
    byte[] whole = Messages.encode(request(run, e, run.name("stall")));
    try (RawConnection stalled = run.harness().open()) {
      run.harness().write(stalled, Arrays.copyOf(whole, whole.length / 2));
      run.harness().log().note("holding the half message open on :" + stalled.localPort());
      run.expectStillServing("half a message on a connection held open");
    }
    return "answered in time while the half message was held open";
  }

  private static String twoMessages(CaseRun run) throws Exception {
    Endpoint e = run.endpoint("peer 2");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(Messages.encode(request(run, e, run.name("first"))));
    both.write(Messages.encode(request(run, e, run.name("second"))));
    run.sendBytes(both.toByteArray());
    return survive(run, "two messages on one connection", e);
  }

  private static String idleFlood(CaseRun run) throws Exception {
    int wanted = run.settings().idleConnections();
    List<RawConnection> idle = new ArrayList<>();
    try {
      for (int i = 0; i < wanted; i++) {
        try {
          idle.add(run.harness().open());
        } catch (TargetDownException e) {
          if (idle.isEmpty()) {
            throw e;
          }
          run.harness().log().note("connection " + (i + 1) + " of " + wanted + " not accepted: " + e.getMessage());
          break;
        }
      }
      run.harness().log().note("holding " + idle.size() + " idle connections open");
      run.expectStillServing(idle.size() + " idle connections held open");
    } finally {
      idle.forEach(RawConnection::close);
    }
    return "answered in time while " + idle.size() + " idle connections were held open";
  }

  /**
   * Watches for replies to the bad input, then probes. Nothing may answer uninterpretable input; input a
   * lenient reader could act on ({@code lenientAt} not null) may be answered there, which is NON-STRICT.
   */
  private static String survive(CaseRun run, String what, Endpoint lenientAt) throws Exception {
    List<Arrival> seen = run.watch();
    run.expectStillServing(what);
    Arrival lenient = null;
    for (Arrival a : seen) {
      if (lenientAt != null && a.isAt(lenientAt) && a.type() == answer(run)) {
        lenient = a;
      } else {
        throw CaseFailure.fail("no reply to " + what, "got " + a.describe());
      }
    }
    if (lenient != null) {
      throw new CaseFailure(Verdict.NON_STRICT, "no reply to " + what + " (drop what breaks the schema)",
          "it answered as if the message were valid: " + lenient.brief());
    }
    return "no reply to " + what + "; the next valid message was answered";
  }

  private static byte[] replace(byte[] in, byte[] find, byte[] with) {
    for (int i = 0; i + find.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + find.length, find, 0, find.length)) {
        byte[] out = new byte[in.length - find.length + with.length];
        System.arraycopy(in, 0, out, 0, i);
        System.arraycopy(with, 0, out, i, with.length);
        System.arraycopy(in, i + find.length, out, i + with.length, in.length - i - find.length);
        return out;
      }
    }
    throw new IllegalArgumentException("marker not found");
  }

  /** Spaces out the pieces of a fragmented write; pacing, not waiting for anything. */
  private static void pace(Duration pause) throws InterruptedException {
    Thread.sleep(pause.toMillis());
  }
}
