package org.p2pchat.peer.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.protocol.HostPort;

/**
 * Turns a typed line into a {@link Command}. Command words are matched case-insensitively, peer names
 * exactly. Never throws: anything unparseable is a {@link Command.Invalid} saying what is wrong.
 */
public final class CommandParser {
  /** The message is everything after the name, inner spaces and all. */
  private static final Pattern CHAT_MESSAGE =
      Pattern.compile("(?i:chat)\\s+(?i:message)\\s+(\\S+)\\s+(.+)", Pattern.DOTALL);

  private CommandParser() {}

  public static Command parse(String line) {
    String text = line == null ? "" : line.strip();
    if (text.isEmpty()) {
      return new Command.Nothing();
    }
    String[] words = text.split("\\s+");
    String first = words[0].toLowerCase(Locale.ROOT);
    switch (first) {
      case "register":
        return noArguments(words, new Command.Register(), "register");
      case "listpeer":
        return noArguments(words, new Command.ListPeers(), "listpeer");
      case "help":
        return noArguments(words, new Command.Help(), "help");
      case "pending":
        return noArguments(words, new Command.ListPending(), "pending");
      case "exit":
        return exit(words);
      case "chat":
        return chat(text, words);
      case "list":
        return list(words);
      case "disconnect":
        return words.length == 2 ? new Command.Disconnect(words[1]) : usage("disconnect PEERNAME");
      case "yes":
      case "no":
        return answer(first.equals("yes"), words);
      default:
        return new Command.Invalid("unknown command: " + text + " (type \"help\" for the command list)");
    }
  }

  private static Command exit(String[] words) {
    if (words.length == 1) {
      return new Command.Exit();
    }
    if (words.length == 2 && words[1].equalsIgnoreCase("network")) {
      return new Command.ExitNetwork();
    }
    return usage("exit  or  exit network");
  }

  private static Command chat(String text, String[] words) {
    if (words.length >= 2 && words[1].equalsIgnoreCase("message")) {
      Matcher m = CHAT_MESSAGE.matcher(text);
      return m.matches() ? new Command.SendMessage(m.group(1), m.group(2)) : usage("chat message PEERNAME MESSAGE");
    }
    if (words.length >= 2 && words[1].equalsIgnoreCase("request")) {
      if (words.length == 3) {
        return new Command.RequestChatWith(words[2]);
      }
      if (words.length == 4) {
        return requestAt(words[2], words[3]);
      }
    }
    return usage("chat request HOST PORT  or  chat request PEERNAME  or  chat message PEERNAME MESSAGE");
  }

  private static Command requestAt(String host, String portText) {
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      return new Command.Invalid("port is not a number: " + portText + " (usage: chat request HOST PORT)");
    }
    if (port < 1 || port > 65535) {
      return new Command.Invalid("port out of range 1-65535: " + port);
    }
    return new Command.RequestChatAt(new HostPort(host, port));
  }

  private static Command list(String[] words) {
    boolean connectedPeer = words.length == 3 && words[1].equalsIgnoreCase("connected")
        && (words[2].equalsIgnoreCase("peer") || words[2].equalsIgnoreCase("peers"));
    return connectedPeer ? new Command.ListConnected() : usage("list connected peer");
  }

  private static Command answer(boolean accept, String[] words) {
    if (words.length == 1) {
      return new Command.Answer(accept, null);
    }
    if (words.length == 2) {
      return new Command.Answer(accept, words[1]);
    }
    return usage((accept ? "yes" : "no") + " [PEERNAME]");
  }

  private static Command noArguments(String[] words, Command command, String usage) {
    return words.length == 1 ? command : usage(usage);
  }

  private static Command usage(String usage) {
    return new Command.Invalid("usage: " + usage);
  }
}
