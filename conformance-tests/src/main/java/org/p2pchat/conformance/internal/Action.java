package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a generated sequence, named as a verb. Peers and names are indexes into the sequence's
 * tables, so a step means the same thing in every run whatever the run's name prefix and ports.
 * Each step can describe itself, offer simpler variants of itself to the shrinker, and be written to and
 * read from one line of a replay file.
 */
public sealed interface Action {
  /** The step in words, for transcripts: {@code peer#1 registers "n0"}. */
  String describe(Sequence sequence);

  /** Simpler variants of this step, simplest first; empty if none. */
  List<Action> simpler();

  /** This step as one JSON object (without the step number). */
  ObjectNode toJson();

  /** The step written by {@link #toJson()}. */
  static Action fromJson(JsonNode json) {
    String kind = json.path("action").asText();
    switch (kind) {
      case "register":
        return new Register(json.path("peer").asInt(), json.path("name").asInt(), json.path("padded").asBoolean());
      case "listpeer":
        return new Listpeer(json.path("name").asInt());
      case "exit":
        return new Exit(json.path("name").asInt());
      case "bad-input":
        return new BadInput(BadInputKind.valueOf(json.path("kind").asText()));
      case "chat-request":
        return new ChatRequest(json.path("peer").asInt(), json.path("padded").asBoolean());
      case "chat-message":
        return new ChatMessage(json.path("peer").asInt(), json.path("text").asInt());
      case "disconnect":
        return new Disconnect(json.path("peer").asInt());
      default:
        throw new IllegalArgumentException("unknown action '" + kind + "' in " + json);
    }
  }

  private static ObjectNode node(String action) {
    return JsonNodeFactory.instance.objectNode().put("action", action);
  }

  /** A simulated peer registers a name with its own address; {@code padded} makes it over 1,024 bytes. */
  record Register(int peer, int name, boolean padded) implements Action {
    @Override
    public String describe(Sequence s) {
      return "peer#" + peer + " registers \"" + s.name(name) + "\"" + (padded ? " (padded to 1,500 bytes)" : "");
    }

    @Override
    public List<Action> simpler() {
      List<Action> out = new ArrayList<>();
      if (padded) {
        out.add(new Register(peer, name, false));
      }
      if (peer != 0) {
        out.add(new Register(0, name, padded));
      }
      return out;
    }

    @Override
    public ObjectNode toJson() {
      return node("register").put("peer", peer).put("name", name).put("padded", padded);
    }
  }

  /** LISTPEER asked as a name, registered or not. */
  record Listpeer(int name) implements Action {
    @Override
    public String describe(Sequence s) {
      return "LISTPEER as \"" + s.name(name) + "\"";
    }

    @Override
    public List<Action> simpler() {
      return List.of();
    }

    @Override
    public ObjectNode toJson() {
      return node("listpeer").put("name", name);
    }
  }

  /** EXIT_NETWORK for a name, registered or not. */
  record Exit(int name) implements Action {
    @Override
    public String describe(Sequence s) {
      return "EXIT_NETWORK for \"" + s.name(name) + "\"";
    }

    @Override
    public List<Action> simpler() {
      return List.of();
    }

    @Override
    public ObjectNode toJson() {
      return node("exit").put("name", name);
    }
  }

  /** Bytes that are not a valid message, on their own connection. */
  record BadInput(BadInputKind kind) implements Action {
    @Override
    public String describe(Sequence s) {
      return "bad input: " + kind.description();
    }

    @Override
    public List<Action> simpler() {
      return kind == BadInputKind.EMPTY ? List.of() : List.of(new BadInput(BadInputKind.EMPTY));
    }

    @Override
    public ObjectNode toJson() {
      return node("bad-input").put("kind", kind.name());
    }
  }

  /** A simulated peer asks the target to chat. */
  record ChatRequest(int peer, boolean padded) implements Action {
    @Override
    public String describe(Sequence s) {
      return "peer#" + peer + " (\"" + s.name(peer) + "\") sends CHAT_REQUEST" + (padded ? " (padded to 1,500 bytes)" : "");
    }

    @Override
    public List<Action> simpler() {
      return padded ? List.of(new ChatRequest(peer, false)) : List.of();
    }

    @Override
    public ObjectNode toJson() {
      return node("chat-request").put("peer", peer).put("padded", padded);
    }
  }

  /** A simulated peer sends a chat line, connected or not. */
  record ChatMessage(int peer, int text) implements Action {
    /** The lines a generated CHAT_MESSAGE carries; index 0 is the simplest. */
    public static final List<String> TEXTS = List.of("hi", "Hello, alice.", "你好", "\uD83D\uDE42 ok?",
        "line one\nline two", "x".repeat(2000));

    @Override
    public String describe(Sequence s) {
      String line = TEXTS.get(text);
      return "peer#" + peer + " (\"" + s.name(peer) + "\") sends CHAT_MESSAGE \""
          + (line.length() > 20 ? line.substring(0, 12) + "... (" + line.length() + " chars)" : line.replace("\n", "\\n"))
          + "\"";
    }

    @Override
    public List<Action> simpler() {
      return text == 0 ? List.of() : List.of(new ChatMessage(peer, 0));
    }

    @Override
    public ObjectNode toJson() {
      return node("chat-message").put("peer", peer).put("text", text);
    }
  }

  /** A simulated peer says goodbye, connected or not. */
  record Disconnect(int peer) implements Action {
    @Override
    public String describe(Sequence s) {
      return "peer#" + peer + " (\"" + s.name(peer) + "\") sends DISCONNECT";
    }

    @Override
    public List<Action> simpler() {
      return List.of();
    }

    @Override
    public ObjectNode toJson() {
      return node("disconnect").put("peer", peer);
    }
  }
}
