package org.p2pchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.ValidationResult;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;
import org.p2pchat.sdk.SendException;
import org.p2pchat.sdk.Sender;

/**
 * A scriptable stand-in for a peer or a server, bound to a free loopback port, in the spirit of
 * MockWebServer: script what it answers with {@link #on}, run the code under test, then
 * {@link #take} what arrived, with a timeout.
 *
 * <p>It records every connection that delivered bytes, valid or not, with the exact bytes, so tests can
 * check byte-level behaviour too. Replies are sent like the protocol says: on a new connection to an
 * address the script chooses. Thread-safe.
 *
 * <pre>{@code
 * try (FakePeer server = FakePeer.start()) {
 *   server.on(Register.class, (reg, received) ->
 *       FakePeer.reply(new HostPort(reg.getHost(), reg.getPort()), new RegisterSuccess()));
 *   ... code under test registers with server.address() ...
 *   Register reg = server.expect(Register.class, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class FakePeer implements AutoCloseable {
  /** What a script answers: a message and where to send it. */
  public static final class Reply {
    final HostPort to;
    final Object message;
    final byte[] raw;

    Reply(HostPort to, Object message, byte[] raw) {
      this.to = to;
      this.message = message;
      this.raw = raw;
    }
  }

  /** One connection's worth of bytes as received. Immutable. */
  public static final class Received {
    private final byte[] bytes;
    private final InetSocketAddress remote;
    private final Instant receivedAt;
    private final ValidationResult validation;

    Received(byte[] bytes, InetSocketAddress remote, Instant receivedAt, ValidationResult validation) {
      this.bytes = bytes;
      this.remote = remote;
      this.receivedAt = receivedAt;
      this.validation = validation;
    }

    public byte[] bytes() {
      return bytes.clone();
    }

    public String text() {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public InetSocketAddress remote() {
      return remote;
    }

    public Instant receivedAt() {
      return receivedAt;
    }

    public ValidationResult validation() {
      return validation;
    }

    /** The message type, or null if it was not a valid message. */
    public MessageType type() {
      return validation.isValid() ? validation.type() : null;
    }

    /** The parsed tree, or null if it did not parse. */
    public JsonNode tree() {
      return validation.tree();
    }

    /** The msgdata as a generated object; throws AssertionError if it is not a valid message of that class. */
    public <T> T as(Class<T> type) {
      MessageType expected = MessageType.forClass(type);
      if (!validation.isValid() || validation.type() != expected) {
        throw new AssertionError("expected a valid " + expected + " but received " + describe());
      }
      return WireJson.decode(validation.tree().get("msgdata"), type);
    }

    public String describe() {
      return (validation.isValid() ? validation.type() : "invalid " + validation.violations()) + " " + text()
          + " from " + remote;
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  private final Listener listener;
  private final Sender sender;
  private final MessageValidator validator = MessageValidator.create();
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final List<Rejection> rejections = new CopyOnWriteArrayList<>();
  private final List<SendException> sendFailures = new CopyOnWriteArrayList<>();
  private final Map<MessageType, BiFunction<Object, Received, Reply>> script = new ConcurrentHashMap<>();

  private FakePeer(Listener listener, Sender sender) {
    this.listener = listener;
    this.sender = sender;
  }

  /** Starts one on 127.0.0.1 at a free port. */
  public static FakePeer start() throws IOException {
    return start(Listener.builder().host("127.0.0.1").port(0).maxBytes(MessageValidator.DEFAULT_MAX_BYTES)
        .readTimeout(Duration.ofSeconds(5)));
  }

  /** Starts one with the given listener settings. */
  public static FakePeer start(Listener.Builder listenerSettings) throws IOException {
    Sender sender = Sender.builder().connectTimeout(Duration.ofSeconds(2)).build();
    FakePeer peer = new FakePeer(listenerSettings.build(), sender);
    peer.listener.start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        peer.record(frame, remote, receivedAt);
      }

      @Override
      public void onRejected(Rejection rejection) {
        peer.rejections.add(rejection);
      }
    });
    return peer;
  }

  /** A reply of {@code message} to {@code to}, for scripts. */
  public static Reply reply(HostPort to, Object message) {
    return new Reply(to, message, null);
  }

  /** A reply of raw bytes to {@code to}, for scripts that must send something invalid. */
  public static Reply replyRaw(HostPort to, byte[] bytes) {
    return new Reply(to, null, bytes.clone());
  }

  /**
   * Scripts the answer to every valid message of class {@code type}: the function returns a
   * {@link Reply} or null for silence. Replaces an earlier script for that type.
   */
  @SuppressWarnings("unchecked")
  public <T> FakePeer on(Class<T> type, BiFunction<? super T, Received, Reply> responder) {
    MessageType messageType = MessageType.forClass(type);
    if (messageType == null) {
      throw new IllegalArgumentException(type + " is not a protocol message class");
    }
    script.put(messageType, (BiFunction<Object, Received, Reply>) responder);
    return this;
  }

  private void record(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    Received r = new Received(frame, remote, receivedAt, validator.validate(frame));
    // Reply before publishing, so a test that takes the message sees the reply already sent.
    if (r.type() != null) {
      BiFunction<Object, Received, Reply> responder = script.get(r.type());
      if (responder != null) {
        Reply reply = responder.apply(r.as(r.type().javaType()), r);
        if (reply != null) {
          send(reply);
        }
      }
    }
    received.add(r);
  }

  private void send(Reply reply) {
    try {
      if (reply.raw != null) {
        sender.sendRaw(reply.to, reply.raw);
      } else {
        sender.send(reply.to, reply.message);
      }
    } catch (SendException e) {
      sendFailures.add(e);
    }
  }

  /** The listening address, 127.0.0.1 and the bound port. */
  public HostPort address() {
    return listener.address();
  }

  /** The next connection's bytes, or null if none arrives within {@code timeout}. */
  public Received take(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The next message, which must be a valid {@code type}; throws AssertionError on timeout or on a
   * different message (naming what arrived).
   */
  public <T> T expect(Class<T> type, Duration timeout) throws InterruptedException {
    Received r = take(timeout);
    if (r == null) {
      throw new AssertionError("no " + MessageType.forClass(type) + " arrived at " + address() + " within "
          + timeout.toMillis() + " ms");
    }
    return r.as(type);
  }

  /** Throws AssertionError if anything arrives within {@code quiet}. */
  public void expectNothing(Duration quiet) throws InterruptedException {
    Received r = take(quiet);
    if (r != null) {
      throw new AssertionError("expected silence but received " + r.describe());
    }
  }

  /** Everything received and not yet taken. */
  public List<Received> drain() {
    List<Received> all = new ArrayList<>();
    received.drainTo(all);
    return all;
  }

  /** Connections the listener cut off or that sent nothing. */
  public List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /** Scripted replies that could not be sent. */
  public List<SendException> sendFailures() {
    return List.copyOf(sendFailures);
  }

  /** Sends a message from this fake to {@code to}. */
  public void send(HostPort to, Object message) throws SendException {
    sender.send(to, message);
  }

  /** Sends raw bytes from this fake to {@code to}. */
  public void sendRaw(HostPort to, byte[] bytes) throws SendException {
    sender.sendRaw(to, bytes);
  }

  @Override
  public void close() {
    listener.close();
    sender.close();
  }
}
