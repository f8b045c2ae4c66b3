package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.p2pchat.conformance.Role;

/**
 * Replay files: JSON lines. The first line is the header (format, version, case id, role, seed, sequence
 * number, peers, the name table, how long the generated sequence was and how it failed); then one step
 * per line, in order, each with a {@code says} field in words that reading ignores.
 */
public final class SequenceFile {
  public static final String FORMAT = "p2pchat-conformance-sequence";
  public static final int VERSION = 1;

  private SequenceFile() {}

  /** A sequence read back, with its header. */
  public record Loaded(Sequence sequence, JsonNode header) {
    public String caseId() {
      return header.path("case").asText("replay");
    }
  }

  /** Writes {@code sequence} to {@code dir/<caseId>.jsonl}, replacing an older file; returns the path. */
  public static Path write(Path dir, String caseId, Sequence sequence, long seed, int index, int generatedSteps,
      String target, SequenceRunner.Result failure) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode header = mapper.createObjectNode()
        .put("format", FORMAT)
        .put("version", VERSION)
        .put("case", caseId)
        .put("role", sequence.role().label())
        .put("seed", seed)
        .put("sequence", index)
        .put("peers", sequence.peers())
        .put("generatedSteps", generatedSteps)
        .put("steps", sequence.size())
        .put("target", target)
        .put("createdAt", Instant.now().toString());
    ArrayNode names = header.putArray("names");
    sequence.names().forEach(names::add);
    if (failure != null && failure.failed()) {
      header.putObject("failure").put("step", failure.failedStep() + 1).put("expected", failure.expected())
          .put("actual", failure.actual());
    }
    StringBuilder out = new StringBuilder(mapper.writeValueAsString(header)).append('\n');
    for (int i = 0; i < sequence.size(); i++) {
      Action action = sequence.actions().get(i);
      ObjectNode line = mapper.createObjectNode().put("step", i + 1);
      line.setAll(action.toJson());
      line.put("says", action.describe(sequence));
      out.append(mapper.writeValueAsString(line)).append('\n');
    }
    Path file = dir.resolve(caseId + ".jsonl");
    Files.writeString(file, out, StandardCharsets.UTF_8);
    return file;
  }

  /** Reads a replay file; throws IllegalArgumentException naming the line if it is not one. */
  public static Loaded read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    ObjectMapper mapper = new ObjectMapper();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty; expected a header line and one step per line");
    }
    JsonNode header = parse(mapper, lines.get(0), 1);
    if (!FORMAT.equals(header.path("format").asText()) || header.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException(file + ": line 1 is not a " + FORMAT + " version " + VERSION + " header");
    }
    Role role = Role.parse(header.path("role").asText());
    int peers = header.path("peers").asInt();
    if (peers < 1 || peers > 16) {
      throw new IllegalArgumentException(file + ": line 1: peers must be 1 to 16, got " + header.path("peers"));
    }
    List<String> names = new ArrayList<>();
    header.path("names").forEach(n -> names.add(n.asText()));
    List<Action> actions = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      Action action;
      try {
        action = Action.fromJson(parse(mapper, lines.get(i), i + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": line " + (i + 1) + ": " + e.getMessage(), e);
      }
      check(action, role, peers, names.size(), file, i + 1);
      actions.add(action);
    }
    return new Loaded(new Sequence(role, peers, names, actions), header);
  }

  private static JsonNode parse(ObjectMapper mapper, String line, int number) {
    try {
      JsonNode node = mapper.readTree(line);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("line " + number + " is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("line " + number + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static void check(Action action, Role role, int peers, int names, Path file, int line) {
    String problem = null;
    if (!SequenceRunner.fits(role, action)) {
      problem = "a " + role.label() + " sequence cannot have the step " + action;
    } else if (action instanceof Action.Register r && (r.peer() < 0 || r.peer() >= peers || r.name() < 0
        || r.name() >= names)) {
      problem = "peer or name out of range";
    } else if (action instanceof Action.Listpeer l && (l.name() < 0 || l.name() >= names)) {
      problem = "name out of range";
    } else if (action instanceof Action.Exit e && (e.name() < 0 || e.name() >= names)) {
      problem = "name out of range";
    } else if (action instanceof Action.ChatRequest c && (c.peer() < 0 || c.peer() >= Math.min(peers, names))) {
      problem = "peer out of range";
    } else if (action instanceof Action.ChatMessage m && (m.peer() < 0 || m.peer() >= Math.min(peers, names)
        || m.text() < 0 || m.text() >= Action.ChatMessage.TEXTS.size())) {
      problem = "peer or text out of range";
    } else if (action instanceof Action.Disconnect d && (d.peer() < 0 || d.peer() >= Math.min(peers, names))) {
      problem = "peer out of range";
    }
    if (problem != null) {
      throw new IllegalArgumentException(file + ": line " + line + ": " + problem);
    }
  }
}
