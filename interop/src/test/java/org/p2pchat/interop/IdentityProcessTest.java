package org.p2pchat.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.IdentityFile;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.Printable;

/**
 * identity-v1 as a user runs it: a real server process and real peer processes ({@code p2pchat server},
 * {@code p2pchat peer --identity FILE}), driven through their standard input and judged by their standard output.
 * The two peers advertise another loopback address while they listen on 127.0.0.1, so every byte between them
 * crosses a TCP proxy in this test, which checks that the chat text never does. A forger on a third socket then
 * speaks in a verified peer's name to the victim process.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdentityProcessTest {
  /** A JVM start on a loaded 2-core machine can take several seconds. */
  private static final Duration START = Duration.ofSeconds(40);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String PLEASE = "Please enter \"yes\" or \"no\":";
  private static final Pattern FINGERPRINT = Pattern.compile("identity (\\S+), fingerprint (\\S+) ");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Where the peers say they are: the proxies listen there, the peers on 127.0.0.1. A loopback address of its own
   * (not 127.0.0.2, which other tests on the machine use as a source address, leaving its ports in TIME_WAIT).
   */
  private final String advertised = "127." + (100 + RANDOM.nextInt(100)) + "." + RANDOM.nextInt(256) + "."
      + (2 + RANDOM.nextInt(250));

  @TempDir
  Path dir;

  private final List<Child> children = new ArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    for (Child child : children) {
      child.close();
    }
    for (AutoCloseable c : closing) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  /** A peer process, its fingerprint, where it listens and the proxy in front of it. */
  private record Peer(Child process, String name, String fingerprint, Path identity, HostPort listening,
      Proxy proxy) {
    void type(String command) throws IOException {
      process.type(command);
    }

    String await(String prefix) throws InterruptedException {
      return process.await(l -> l.startsWith(prefix), "a line starting with \"" + prefix + "\"", WAIT);
    }
  }

  private Child server() throws Exception {
    Child server = Child.start(dir, "server", "org.p2pchat.server.ServerMain", "server", "--host", "127.0.0.1",
        "--port", "0", "--identity", dir.resolve("server").resolve("identity").toString(), "--log-level", "warn");
    children.add(server);
    return server;
  }

  private Child startPeer(String name, HostPort server) throws Exception {
    Child child = Child.start(dir, name, "org.p2pchat.peer.PeerMain", "peer", "--plain", "--name", name,
        "--port", "0", "--host", advertised, "--bind", "127.0.0.1", "--server", server.toString(),
        "--identity", dir.resolve(name).resolve("identity").toString(),
        "--log", dir.resolve(name + ".log").toString(), "--downloads", dir.resolve(name + "-downloads").toString());
    children.add(child);
    return child;
  }

  /** Waits for a started peer's first lines, puts the proxy in front of it and registers it. */
  private Peer ready(Child child, String name) throws Exception {
    HostPort listening = HostPort.parse(child.await(l -> l.startsWith("listening on "), "its listening line", START)
        .substring("listening on ".length()));
    String created = child.await(l -> l.startsWith("created identity "), "the identity it created", WAIT);
    Matcher m = FINGERPRINT.matcher(created);
    assertTrue(m.find(), created);
    Path identity = Path.of(m.group(1));
    assertEquals(dir.resolve(name).resolve("identity"), identity, created);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)),
        "the identity file the peer created");
    Proxy proxy = new Proxy(new HostPort(advertised, listening.port()), listening);
    closing.add(proxy);
    Peer peer = new Peer(child, name, m.group(2), identity, listening, proxy);
    peer.type("register");
    peer.await("Register Successful.");
    return peer;
  }

  /** A server and two registered peers, alice and bob, started side by side (the JVM starts overlap). */
  private Peer[] network() throws Exception {
    Child server = server();
    HostPort at = HostPort.parse(server.await(l -> l.startsWith("listening on "), "the server's listening line",
        START).substring("listening on ".length()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("server").resolve("identity"))), "the identity file the server created");
    Child a = startPeer("alice", at);
    Child b = startPeer("bob", at);
    return new Peer[] {ready(a, "alice"), ready(b, "bob")};
  }

  /** alice asks bob to chat (through bob's proxy), bob says yes; both show the chat verified and encrypted. */
  private void chat(Peer alice, Peer bob) throws Exception {
    alice.type("chat request " + advertised + " " + bob.listening().port());
    String prompt = bob.await("chat_request: alice --- ");
    assertTrue(prompt.contains("claims key " + alice.fingerprint()), prompt);
    bob.await(PLEASE);
    bob.type("yes alice");
    String onBob = bob.await("chat with alice --- ");
    assertTrue(onBob.contains("is verified (key " + alice.fingerprint() + ") and encrypted"), onBob);
    String onAlice = alice.await("chat with bob --- ");
    assertTrue(onAlice.contains("is verified (key " + bob.fingerprint() + ")"), onAlice);
  }

  @Test
  void twoPeerProcessesChatVerifiedAndNoChatTextCrossesTheWireInTheClear() throws Exception {
    Peer[] peers = network();
    Peer alice = peers[0];
    Peer bob = peers[1];
    chat(alice, bob);

    alice.type("whois bob");
    alice.await("bob " + bob.fingerprint() + " verified");
    bob.type("whois alice");
    bob.await("alice " + alice.fingerprint() + " verified");

    String secret = "Hello bob, the vault code is 4711";
    alice.type("chat message bob " + secret);
    bob.await("alice: " + secret);
    String reply = "Hello alice, got it: 4711";
    bob.type("chat message alice " + reply);
    alice.await("bob: " + reply);

    // Each message crossed the proxy in front of its receiver, sealed, and neither text did, in either direction.
    for (Peer receiver : List.of(alice, bob)) {
      String seen = receiver.proxy().seen();
      assertTrue(seen.contains("\"CHAT_MESSAGE\"") && seen.contains("\"box\""),
          "a sealed CHAT_MESSAGE crossed the proxy in front of " + receiver.name() + ": " + seen);
    }
    String wire = alice.proxy().seen() + bob.proxy().seen();
    for (String clear : List.of("Hello", "vault", "4711", "got it")) {
      assertFalse(wire.contains(clear), "\"" + clear + "\" crossed the wire in the clear: " + wire);
    }
    // The pins are kept beside the identity files.
    assertTrue(Files.readString(alice.identity().resolveSibling(IdentityFile.KNOWN_PEERS)).contains("bob"));
    assertTrue(Files.readString(bob.identity().resolveSibling(IdentityFile.KNOWN_PEERS)).contains("alice"));
  }

  @Test
  void aForgedMessageAndDisconnectInAVerifiedPeersNameAreNotShownAsItsWordsAndTheChatGoesOn() throws Exception {
    Peer[] peers = network();
    Peer alice = peers[0];
    Peer bob = peers[1];
    chat(alice, bob);
    alice.type("chat message bob first");
    bob.await("alice: first");

    // The forger reaches bob's real port directly, speaking as a 2018 program does, in alice's name.
    String forged = "\u001b]0;pwned\u0007send me your password";
    send2018(bob.listening(), "CHAT_MESSAGE", "{\"peername\": \"alice\", \"message\": \"" + json(forged) + "\"}");
    String refusedMessage = bob.await("refused: ");
    assertTrue(refusedMessage.startsWith("refused: unauthenticated CHAT_MESSAGE in the name of alice from "),
        refusedMessage);
    send2018(bob.listening(), "DISCONNECT", "{\"peername\": \"alice\"}");
    String refusedDisconnect = bob.await("refused: ");
    assertTrue(refusedDisconnect.startsWith("refused: unauthenticated DISCONNECT in the name of alice from "),
        refusedDisconnect);

    // A sealed one with a box not made with the session key: refused as well.
    byte[] box = new byte[48];
    RANDOM.nextBytes(box);
    send2018(bob.listening(), "CHAT_MESSAGE", "{\"peername\": \"alice\", \"seq\": 7, \"box\": \""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(box) + "\"}");
    String refusedBox = bob.await("refused: ");
    assertTrue(refusedBox.startsWith("refused: CHAT_MESSAGE in the name of alice from ")
        && refusedBox.contains("AUTH_FAILED"), refusedBox);

    // Still connected: alice's next genuine message is shown, and bob still lists her.
    alice.type("chat message bob second");
    bob.await("alice: second");
    bob.type("list connected peer");
    bob.process().await(l -> l.contains("alice"), "alice among the connected peers", WAIT);
    bob.type("whois alice");
    bob.await("alice " + alice.fingerprint() + " verified");

    List<String> shown = bob.process().lines();
    assertFalse(shown.stream().anyMatch(l -> l.contains("password")), "the forged words were shown: " + shown);
    assertFalse(shown.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains("disconnected from")),
        "the forged DISCONNECT was acted on: " + shown);
    assertEquals(3, shown.stream().filter(l -> l.startsWith("refused: ")).count(),
        "one line for each forgery: " + shown);
    for (String line : shown) {
      assertTrue(line.codePoints().noneMatch(Printable::isUnsafe), "a raw control character: " + Printable.of(line));
    }
    String log = Files.readString(dir.resolve("bob.log"), UTF_8);
    assertTrue(log.contains("unauthenticated CHAT_MESSAGE in the name of alice")
        && log.contains("unauthenticated DISCONNECT in the name of alice"), "the refusals are logged: " + log);
    // And nothing was shown on alice's side about it: the forger never reached her.
    assertFalse(alice.process().lines().stream().anyMatch(l -> l.startsWith("refused: ")), alice.process().lines()
        ::toString);
  }

  @Test
  void aPeerWhoseKeyFileOthersCanReadStopsWithOneLineAndExitTwo() throws Exception {
    Path identity = dir.resolve("carol").resolve("identity");
    IdentityFile.loadOrCreate(identity, RANDOM);
    Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r--r--"));
    String before = Files.readString(identity);
    Child carol = Child.start(dir, "carol", "org.p2pchat.peer.PeerMain", "peer", "--plain", "--name", "carol",
        "--port", "0", "--no-server", "--identity", identity.toString(), "--log", dir.resolve("carol.log").toString());
    children.add(carol);
    assertTrue(carol.process.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the peer did not stop");
    assertEquals(2, carol.process.exitValue());
    String err = carol.stderr().strip();
    assertTrue(err.startsWith("p2pchat peer: ") && err.contains(identity.toString()) && err.contains("chmod 600"),
        err);
    assertEquals(1, err.lines().count(), err);
    assertFalse(carol.lines().stream().anyMatch(l -> l.startsWith("listening on")), carol.lines()::toString);
    assertEquals(before, Files.readString(identity), "the key file is left as it was");
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)));
  }

  /** Sends as the 2018 program does: json.dumps, one connection, sendall, close. */
  private static void send2018(HostPort to, String msgtype, String msgdataJson) throws IOException {
    try (Socket s = new Socket(InetAddress.getByName(to.host()), to.port())) {
      s.getOutputStream().write(("{\"msgtype\": \"" + msgtype + "\", \"msgdata\": " + msgdataJson + "}")
          .getBytes(UTF_8));
    }
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c)
          : String.valueOf(c));
    }
    return out.toString();
  }

  /** A child JVM: standard input to type into, standard output read line by line, standard error to a file. */
  static final class Child implements AutoCloseable {
    final String label;
    final Process process;
    final Path stderr;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private int cursor;
    private boolean eof;

    private Child(String label, Process process, Path stderr) {
      this.label = label;
      this.process = process;
      this.stderr = stderr;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            add(line);
          }
        } catch (IOException e) {
          add("(stdout closed: " + e + ")");
        }
        ended();
      }, label + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path dir, String label, String main, String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          // Nothing under the real home: default files (logs, state) go below the test's directory.
          "-Duser.home=" + dir.resolve("home-" + label).toAbsolutePath(),
          main));
      command.addAll(List.of(args));
      Path stderr = dir.resolve(label + ".err");
      Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
      return new Child(label, process, stderr);
    }

    private synchronized void ended() {
      eof = true;
      notifyAll();
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    /** Types one line into its standard input. */
    void type(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(UTF_8));
      in.flush();
    }

    /** The next line after the last one found that matches; fails after {@code timeout}. */
    synchronized String await(Predicate<String> match, String what, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        for (int i = cursor; i < lines.size(); i++) {
          if (match.test(lines.get(i))) {
            cursor = i + 1;
            return lines.get(i);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || eof) {
          throw new AssertionError(label + " never showed " + what + (eof ? " (its output ended)" : "")
              + "; it showed " + Printable.of(String.join("\n", lines)) + "\nstderr: " + stderr());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    String stderr() {
      try {
        return Files.readString(stderr, UTF_8);
      } catch (IOException e) {
        return "(cannot read " + stderr + ": " + e + ")";
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** A TCP proxy from {@code listen} to {@code target} that keeps a copy of every byte it carries, both ways. */
  static final class Proxy implements AutoCloseable {
    private final ServerSocket listener;
    private final HostPort target;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Proxy(HostPort listen, HostPort target) throws IOException {
      this.target = target;
      listener = new ServerSocket();
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getByName(listen.host()), listen.port()), 50);
      Thread accepting = new Thread(this::accept, "proxy-" + listen);
      accepting.setDaemon(true);
      accepting.start();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket in = listener.accept();
          Socket out = new Socket(InetAddress.getByName(target.host()), target.port());
          sockets.add(in);
          sockets.add(out);
          AtomicInteger open = new AtomicInteger(2);
          pump(in, out, open);
          pump(out, in, open);
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    /** Copies {@code from} to {@code to}, half-closing at its end; the last of the two directions closes both. */
    private void pump(Socket from, Socket to, AtomicInteger open) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream();
          for (int n; (n = in.read(buffer)) >= 0; ) {
            synchronized (seen) {
              seen.write(buffer, 0, n);
            }
            out.write(buffer, 0, n);
            out.flush();
          }
          to.shutdownOutput();
          if (open.decrementAndGet() > 0) {
            return;
          }
        } catch (IOException e) {
          // one side went away: end both
        }
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }, "proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    /** Every byte carried so far, as text. */
    String seen() {
      synchronized (seen) {
        return seen.toString(UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
