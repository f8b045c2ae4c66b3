package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.FreshnessGuard;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.SendException;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryUnavailable;
import org.p2pchat.server.registry.internal.JournalRegistryStore;

/**
 * The handlers without a socket: messages go in through a standalone {@link Dispatcher}, replies come out
 * through a recording outbox whose sends the test completes or fails. Every reply and refusal, its
 * fields, the limits, and what a failed reply does to the registration.
 */
class RendezvousHandlersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final InetSocketAddress FROM = new InetSocketAddress(literal("127.0.0.1"), 5000);
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final long WAIT_SECONDS = 10;

  @TempDir
  Path dir;

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip); // a literal: parsed, no lookup, no host name
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private record Sent(HostPort to, Object message) {}

  private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  /** What each send answers; completed at once unless a test says otherwise. */
  private volatile Function<Sent, CompletableFuture<Void>> answer = s -> CompletableFuture.completedFuture(null);
  private final AtomicLong nanos = new AtomicLong();
  private final IdentityKeyPair serverKey = IdentityKeyPair.generate(RANDOM);
  private PeerTable table;
  /** While set, the store's registerAsync throws ("throw") or fails ("fail"). */
  private volatile String registerFault;
  private SourceLimits limits;
  private RendezvousHandlers handlers;
  private Dispatcher dispatcher;

  private void start(int maxPeers, SourceLimits.Settings settings, Duration lease) throws Exception {
    RegistryStore real = JournalRegistryStore.open(dir.resolve("state.jsonl"), 100_000);
    // The journal store, whose registerAsync throws or fails while the test says so.
    table = PeerTable.over((RegistryStore) Proxy.newProxyInstance(RegistryStore.class.getClassLoader(),
        new Class<?>[] {RegistryStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("registerAsync") && registerFault != null) {
            if (registerFault.equals("throw")) {
              throw new IllegalStateException("registry closed: the server is stopping");
            }
            return CompletableFuture.failedFuture(new RegistryUnavailable("database down", null));
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }));
    limits = new SourceLimits(settings, nanos::get);
    ServerIdentity identity = new ServerIdentity(serverKey, new FreshnessGuard());
    LeaseHandlers leases = lease == null ? LeaseHandlers.disabled()
        : new LeaseHandlers(table, identity, Clock.fixed(NOW, ZoneOffset.UTC), lease, line -> { });
    handlers = new RendezvousHandlers(table, (to, message) -> {
      Sent s = new Sent(to, message);
      CompletableFuture<Void> outcome = answer.apply(s); // chosen before the test can see the send
      sent.add(s);
      return outcome;
    }, events::add, identity, limits, maxPeers, leases);
    dispatcher = handlers.install(new Dispatcher());
  }

  private void start() throws Exception {
    start(100, settings(1_000, 1_000, 100), null);
  }

  private static SourceLimits.Settings settings(int messageBurst, int listpeerBurst, int names) {
    return new SourceLimits.Settings(0.001, messageBurst, 0.001, listpeerBurst, names, Set.of());
  }

  @AfterEach
  void close() {
    if (table != null) {
      table.close();
    }
  }

  private void send(InetSocketAddress from, String msgtype, Map<String, ?> msgdata) throws Exception {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("msgtype", msgtype);
    envelope.put("msgdata", msgdata);
    dispatcher.dispatch(JSON.writeValueAsBytes(envelope), from, NOW);
  }

  private void register(String name, String host, int port, String... features) throws Exception {
    register(FROM, name, host, port, features);
  }

  private void register(InetSocketAddress from, String name, String host, int port, String... features)
      throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("peername", name);
    data.put("host", host);
    data.put("port", port);
    if (features.length > 0) {
      data.put("features", List.of(features));
    }
    send(from, "REGISTER", data);
  }

  private void listpeer(String name) throws Exception {
    send(FROM, "LISTPEER", Map.of("peername", name));
  }

  private Sent next() throws InterruptedException {
    Sent s = sent.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(s, "no reply sent");
    return s;
  }

  private String event() throws InterruptedException {
    String line = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(line, "no event told");
    return line;
  }

  /** Registers {@code name} (plain) and takes its REGISTER_SUCCESS and event off the queues. */
  private void registered(String name, String host, int port, String... features) throws Exception {
    register(name, host, port, features);
    assertInstanceOf(RegisterSuccess.class, next().message(), name);
    assertTrue(event().startsWith("register " + name + " at "), name);
  }

  private static Map<String, Object> msgdata(Object message) {
    JsonNode tree = WireJson.toTree(message);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = JSON.convertValue(tree.get("msgdata"), LinkedHashMap.class);
    return map;
  }

  private static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void signed(IdentityKeyPair key, String msgtype, Map<String, Object> data, String nonce)
      throws Exception {
    send(FROM, msgtype, SignedMessages.signRequest(key, msgtype, data, NOW, nonce));
  }

  private static Map<String, Object> keyedRegister(IdentityKeyPair key, String name, int port) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("peername", name);
    data.put("host", "localhost");
    data.put("port", port);
    data.put("features", List.of(Handshake.FEATURE));
    data.put("idkey", key.publicKey().base64url());
    return data;
  }

  /** A reply signed by the server's key, to {@code to}, answering {@code re}. */
  private void assertSignedReply(Object reply, String to, String re) throws Exception {
    Map<String, Object> data = msgdata(reply);
    SignedMessages.verify(serverKey.publicKey(), WireJson.toTree(reply).get("msgtype").asText(), data);
    assertEquals(serverKey.publicKey().base64url(), data.get("idkey"));
    assertEquals(to, data.get("to"));
    assertEquals(re, data.get("re"));
  }

  @Test
  void aRegistrationIsRecordedThenAnsweredAtTheAdvertisedAddress() throws Exception {
    start();
    register("alice", "localhost", 4001);
    Sent reply = next();
    assertEquals(new HostPort("localhost", 4001), reply.to(), "the advertised address, not the source");
    assertInstanceOf(RegisterSuccess.class, reply.message());
    assertNull(((RegisterSuccess) reply.message()).getLease(), "no lease: none asked for, none granted");
    assertEquals("register alice at localhost:4001 (from 127.0.0.1:5000)", event());
    assertEquals(Optional.of(new HostPort("localhost", 4001)), table.addressOf("alice"));
    assertEquals(1, limits.held(FROM.getAddress()), "the name counts against its source");
  }

  @Test
  void aNameWithAnInvisibleCharacterIsRefusedWithRegisterError() throws Exception {
    start();
    register("ali\u200bce", "localhost", 4001);
    Sent reply = next();
    assertEquals(new HostPort("localhost", 4001), reply.to());
    assertInstanceOf(RegisterError.class, reply.message());
    assertTrue(event().contains("refused: the name holds invisible, control or bidi characters"));
    assertEquals(0, table.size());
    assertEquals(0, limits.held(FROM.getAddress()));
  }

  @Test
  void aTakenNameIsRefusedAndItsHolderKept() throws Exception {
    start();
    registered("alice", "localhost", 4001);
    register("alice", "localhost", 4002);
    Sent reply = next();
    assertEquals(new HostPort("localhost", 4002), reply.to());
    assertInstanceOf(RegisterError.class, reply.message());
    assertEquals("duplicate register alice at localhost:4002 refused: alice stays at localhost:4001 "
        + "(from 127.0.0.1:5000)", event());
    assertEquals(Optional.of(new HostPort("localhost", 4001)), table.addressOf("alice"));
    assertEquals(1, limits.held(FROM.getAddress()), "a taken name reserves nothing");
  }

  @Test
  void theRegistryTakesExactlyItsCapOfNames() throws Exception {
    start(2, settings(1_000, 1_000, 100), null);
    registered("alice", "localhost", 4001);
    registered("bob", "localhost", 4002);
    register("carol", "localhost", 4003);
    assertInstanceOf(RegisterError.class, next().message());
    assertEquals("register carol at localhost:4003 refused: the registry is full (2 names) (from 127.0.0.1:5000)",
        event());
    assertFalse(table.contains("carol"));
    assertEquals(2, limits.held(FROM.getAddress()), "the refused name holds no reservation");
    // A registered name needs no room: its duplicate answer, not "full".
    register("alice", "localhost", 4009);
    assertInstanceOf(RegisterError.class, next().message());
    assertTrue(event().startsWith("duplicate register alice"));
    // Room again after an exit: the refused registration left nothing pending.
    send(FROM, "EXIT_NETWORK", Map.of("peername", "bob"));
    assertEquals("exit bob (was at localhost:4002) (from 127.0.0.1:5000)", event());
    registered("carol", "localhost", 4003);
  }

  @Test
  void aSourceHoldsAtMostItsLimitOfNames() throws Exception {
    start(100, settings(1_000, 1_000, 1), null);
    registered("alice", "localhost", 4001);
    register("bob", "localhost", 4002);
    Sent reply = next();
    assertInstanceOf(RegisterError.class, reply.message());
    assertEquals(new HostPort("localhost", 4002), reply.to());
    assertEquals("register bob at localhost:4002 refused: 127.0.0.1:5000 already holds 1 names", event());
    assertFalse(table.contains("bob"));
    InetSocketAddress other = new InetSocketAddress(literal("127.0.0.2"), 5000);
    register(other, "bob", "localhost", 4002);
    assertInstanceOf(RegisterSuccess.class, next().message(), "another source has room");
    assertEquals("register bob at localhost:4002 (from 127.0.0.2:5000)", event());
  }

  @Test
  void messagesOverTheSourcesRateAreCountedAndNotServed() throws Exception {
    start(100, settings(1, 1_000, 100), null);
    registered("alice", "localhost", 4001);
    assertEquals(0, handlers.limited());
    register("bob", "localhost", 4002);
    listpeer("alice");
    send(FROM, "EXIT_NETWORK", Map.of("peername", "alice"));
    assertEquals(3, handlers.limited(), "one burst token: every later message is over the rate");
    assertFalse(table.contains("bob"));
    assertTrue(table.contains("alice"));
    assertNull(sent.poll(), "nothing answered: " + sent);
    assertNull(events.poll(), "nothing told");
  }

  @Test
  void limitedHandlersRunOnlyWithinTheRate() throws Exception {
    start(100, settings(2, 1_000, 100), null);
    List<String> handled = new ArrayList<>();
    Dispatcher heartbeats = handlers.limited(new Dispatcher(), org.p2pchat.protocol.model.Heartbeat.class,
        (message, context) -> handled.add(message.getPeername()));
    for (String name : List.of("a", "b", "c")) {
      heartbeats.dispatch(JSON.writeValueAsBytes(Map.of("msgtype", "HEARTBEAT", "msgdata",
          Map.of("peername", name))), FROM, NOW);
    }
    assertEquals(List.of("a", "b"), handled);
    assertEquals(1, handlers.limited());
  }

  @Test
  void listpeersOverTheSourcesListpeerRateAreNotServed() throws Exception {
    start(100, settings(1_000, 1, 100), null);
    registered("alice", "localhost", 4001);
    listpeer("alice");
    assertInstanceOf(ListpeerReply.class, next().message());
    assertTrue(event().startsWith("listpeer by alice: 1 peer sent to localhost:4001"));
    listpeer("alice");
    assertEquals(1, handlers.limited());
    assertNull(sent.poll(), "the second LISTPEER is not answered");
  }

  @Test
  void aListpeerFromAnUnregisteredNameIsNotAnswered() throws Exception {
    start();
    registered("alice", "localhost", 4001);
    listpeer("stranger");
    assertEquals("listpeer by stranger not answered: stranger is not registered (from 127.0.0.1:5000)", event());
    assertNull(sent.poll());
  }

  @Test
  void aReaderOf2018GetsTheOldestPeersThatFitIn1024BytesAndOthersGetAll() throws Exception {
    start();
    for (int i = 0; i < 60; i++) {
      registered(String.format("peer%02d", i), "localhost", 4000 + i);
    }
    listpeer("peer00");
    Sent reply = next();
    assertEquals(new HostPort("localhost", 4000), reply.to());
    LinkedHashMap<String, HostPort> peers = ((ListpeerReply) reply.message()).getPeerlist();
    assertTrue(peers.size() < 60, "cut");
    assertEquals(Listing2018.fit(table.snapshot()), peers, "the oldest that fit");
    assertEquals("listpeer by peer00: " + Plural.peers(peers.size()) + " sent to localhost:4000 (of 60: a 2018 "
        + "reply fits in 1024 bytes) (from 127.0.0.1:5000)", event());

    registered("modern", "localhost", 5000, "chat-v2");
    listpeer("modern");
    LinkedHashMap<String, HostPort> all = ((ListpeerReply) next().message()).getPeerlist();
    assertEquals(61, all.size(), "a reader that advertised features gets every peer");
    assertEquals("listpeer by modern: 61 peers sent to localhost:5000 (from 127.0.0.1:5000)", event());

    // Registered again without features: a 2018 reader again.
    send(FROM, "EXIT_NETWORK", Map.of("peername", "modern"));
    event();
    registered("modern", "localhost", 5000);
    listpeer("modern");
    assertTrue(((ListpeerReply) next().message()).getPeerlist().size() < 61);
  }

  @Test
  void aRequesterThatDoesNotOwnTheReplyAddressGetsAtMostTwentyTimesItsRequest() throws Exception {
    start();
    for (int i = 0; i < 60; i++) {
      registered(String.format("peer%02d", i), "localhost", 4000 + i, "chat-v2");
    }
    registered("far", "192.0.2.7", 4000, "chat-v2");
    byte[] request = JSON.writeValueAsBytes(Map.of("msgtype", "LISTPEER", "msgdata", Map.of("peername", "far")));
    listpeer("far");
    Sent reply = next();
    assertEquals(new HostPort("192.0.2.7", 4000), reply.to());
    LinkedHashMap<String, HostPort> peers = ((ListpeerReply) reply.message()).getPeerlist();
    long budget = (long) RendezvousHandlers.AMPLIFICATION * request.length;
    assertEquals(Listing2018.fit(table.snapshot(), budget, Listing2018::size), peers);
    assertTrue(peers.size() < 61 && !peers.isEmpty(), peers.size() + " peers");
    assertEquals("listpeer by far: " + Plural.peers(peers.size()) + " sent to 192.0.2.7:4000 (of 61: at most 20x "
        + "the request's bytes, " + budget + ", to an address the requester has not shown it owns) (from "
        + "127.0.0.1:5000)", event());
  }

  @Test
  void aPagedReaderGetsPagesWithTheirNext() throws Exception {
    start();
    registered("reader", "localhost", 4000, RendezvousHandlers.PAGE_FEATURE);
    for (int i = 0; i < 4; i++) {
      registered("peer" + i, "localhost", 4001 + i);
    }
    send(FROM, "LISTPEER", Map.of("peername", "reader", "after", 3));
    ListpeerReply last = (ListpeerReply) next().message();
    assertEquals(List.of("peer2", "peer3"), List.copyOf(last.getPeerlist().keySet()));
    assertNull(last.getNext());
    assertEquals("listpeer by reader: page of 2 peers after 3 sent to localhost:4000 (last page) (from "
        + "127.0.0.1:5000)", event());

    for (int i = 4; i < 1_100; i++) {
      table.register("peer" + i, new HostPort("localhost", 4001 + i % 60_000));
    }
    listpeer("reader");
    ListpeerReply first = (ListpeerReply) next().message();
    assertFalse(first.getPeerlist().isEmpty());
    assertEquals(Long.valueOf(first.getPeerlist().size()), first.getNext());
    assertEquals("listpeer by reader: page of " + first.getPeerlist().size() + " peers after 0 sent to "
        + "localhost:4000 (next " + first.getNext() + ") (from 127.0.0.1:5000)", event());
  }

  @Test
  void anExitRemovesTheNameAndAnUnknownOneIsOnlyTold() throws Exception {
    start();
    registered("alice", "localhost", 4001);
    send(FROM, "EXIT_NETWORK", Map.of("peername", "alice"));
    assertEquals("exit alice (was at localhost:4001) (from 127.0.0.1:5000)", event());
    assertFalse(table.contains("alice"));
    send(FROM, "EXIT_NETWORK", Map.of("peername", "alice"));
    assertEquals("exit alice ignored: not registered (from 127.0.0.1:5000)", event());
    assertNull(sent.poll(), "an exit is never answered");
  }

  @Test
  void aKeyedRegistrationIsAnsweredSignedAndItsListpeerCarriesTheKeys() throws Exception {
    start();
    registered("plain", "localhost", 4000);
    IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    String nonce = nonce();
    signed(alice, "REGISTER", keyedRegister(alice, "alice", 4001), nonce);
    Sent reply = next();
    assertEquals(new HostPort("localhost", 4001), reply.to());
    assertInstanceOf(RegisterSuccess.class, reply.message());
    assertSignedReply(reply.message(), "alice", nonce);
    assertEquals("register alice at localhost:4001 with key " + alice.publicKey().fingerprint()
        + " (from 127.0.0.1:5000)", event());
    assertEquals(Optional.of(alice.publicKey().base64url()), table.keyOf("alice"));

    String listNonce = nonce();
    signed(alice, "LISTPEER", new LinkedHashMap<>(Map.of("peername", "alice")), listNonce);
    Sent list = next();
    assertEquals(new HostPort("localhost", 4001), list.to());
    assertSignedReply(list.message(), "alice", listNonce);
    ListpeerReply listing = (ListpeerReply) list.message();
    assertEquals(List.of("plain", "alice"), List.copyOf(listing.getPeerlist().keySet()));
    assertEquals(Map.of("alice", alice.publicKey().base64url()), listing.getKeys().getAdditionalProperties());
    assertEquals("listpeer by alice (signed): 2 peers sent to localhost:4001 (from 127.0.0.1:5000)", event());
  }

  @Test
  void aKeyedListpeerWithoutAValidSignatureIsRefused() throws Exception {
    start();
    IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    signed(alice, "REGISTER", keyedRegister(alice, "alice", 4001), nonce());
    next();
    event();
    IdentityKeyPair mallory = IdentityKeyPair.generate(RANDOM);
    signed(mallory, "LISTPEER", new LinkedHashMap<>(Map.of("peername", "alice")), nonce());
    assertTrue(event().startsWith("listpeer by alice not answered: BAD_SIGNATURE"));
    listpeer("alice");
    assertTrue(event().startsWith("listpeer by alice not answered: MISSING_SIGNATURE"));
    assertNull(sent.poll(), "nothing answered");
  }

  @Test
  void aKeyedRegistrationMustBeWellFormedAndSigned() throws Exception {
    start();
    IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    Map<String, Object> noFeatures = keyedRegister(alice, "alice", 4001);
    noFeatures.remove("features");
    signed(alice, "REGISTER", noFeatures, nonce());
    assertEquals("register alice ignored: MALFORMED idkey without features identity-v1 (from 127.0.0.1:5000)",
        event());
    Map<String, Object> noKey = keyedRegister(alice, "alice", 4001);
    noKey.remove("idkey");
    signed(alice, "REGISTER", noKey, nonce());
    assertEquals("register alice ignored: MALFORMED signed fields without idkey (from 127.0.0.1:5000)", event());
    IdentityKeyPair mallory = IdentityKeyPair.generate(RANDOM);
    signed(mallory, "REGISTER", keyedRegister(alice, "alice", 4001), nonce());
    assertTrue(event().startsWith("register alice ignored: BAD_SIGNATURE"));
    assertNull(sent.poll(), "a refused signed REGISTER is ignored, never answered");
    assertEquals(0, table.size());
    assertEquals(0, limits.held(FROM.getAddress()));
  }

  @Test
  void aKeyedRegistrationRefusedForRoomGetsASignedRegisterError() throws Exception {
    start(1, settings(1_000, 1_000, 100), null);
    registered("plain", "localhost", 4000);
    IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    String nonce = nonce();
    signed(alice, "REGISTER", keyedRegister(alice, "alice", 4001), nonce);
    Sent reply = next();
    assertInstanceOf(RegisterError.class, reply.message());
    assertEquals(new HostPort("localhost", 4001), reply.to());
    assertSignedReply(reply.message(), "alice", nonce);
    assertTrue(event().contains("refused: the registry is full (1 names)"));

    // A keyed duplicate: signed REGISTER_ERROR too.
    IdentityKeyPair plain = IdentityKeyPair.generate(RANDOM);
    String again = nonce();
    signed(plain, "REGISTER", keyedRegister(plain, "plain", 4005), again);
    Sent duplicate = next();
    assertInstanceOf(RegisterError.class, duplicate.message());
    assertSignedReply(duplicate.message(), "plain", again);
    assertTrue(event().startsWith("duplicate register plain"));
  }

  @Test
  void aKeyedExitMustBeSignedByTheBoundKey() throws Exception {
    start();
    IdentityKeyPair alice = IdentityKeyPair.generate(RANDOM);
    signed(alice, "REGISTER", keyedRegister(alice, "alice", 4001), nonce());
    next();
    event();
    send(FROM, "EXIT_NETWORK", Map.of("peername", "alice"));
    assertTrue(event().startsWith("exit alice ignored: MISSING_SIGNATURE"));
    assertTrue(table.contains("alice"));
    signed(alice, "EXIT_NETWORK", new LinkedHashMap<>(Map.of("peername", "alice")), nonce());
    assertEquals("exit alice (was at localhost:4001) (from 127.0.0.1:5000)", event());
    assertFalse(table.contains("alice"));
  }

  @Test
  void aLeaseIsAnnouncedOnlyToARegistrantThatAskedForIt() throws Exception {
    start(100, settings(1_000, 1_000, 100), Duration.ofSeconds(90));
    register("leased", "localhost", 4001, LeaseHandlers.FEATURE);
    assertEquals(Integer.valueOf(30), ((RegisterSuccess) next().message()).getLease());
    event();
    register("plain", "localhost", 4002);
    assertNull(((RegisterSuccess) next().message()).getLease());
    event();
    for (int i = 0; i < 60; i++) {
      table.register(String.format("peer%02d", i), new HostPort("localhost", 5000 + i));
    }
    listpeer("plain");
    assertTrue(((ListpeerReply) next().message()).getPeerlist().size() < 62, "a 2018 reader");
    event();
    listpeer("leased");
    assertEquals(62, ((ListpeerReply) next().message()).getPeerlist().size(), "a leased name advertised features");
  }

  @Test
  void aRegisterSuccessRefusedAtItsAddressDropsTheRegistration() throws Exception {
    start();
    answer = s -> CompletableFuture.failedFuture(new SendException(SendException.Reason.REFUSED, s.to(),
        "connection refused", null));
    register("alice", "localhost", 4001);
    assertInstanceOf(RegisterSuccess.class, next().message());
    assertTrue(event().startsWith("register alice at localhost:4001"));
    assertEquals("dropped alice at localhost:4001: REGISTER_SUCCESS was refused there (the peer is gone)", event());
    assertFalse(table.contains("alice"));
  }

  @Test
  void aRegisterSuccessThatCannotBeDeliveredDropsTheRegistrationWithTheReason() throws Exception {
    start();
    answer = s -> CompletableFuture.failedFuture(new SendException(SendException.Reason.TIMED_OUT, s.to(),
        "connect timed out", null));
    register("alice", "localhost", 4001);
    next();
    event();
    assertEquals("dropped alice at localhost:4001: REGISTER_SUCCESS could not be delivered there (connect timed "
        + "out)", event());
    assertFalse(table.contains("alice"));
  }

  @Test
  void aListpeerReplyRefusedDropsTheRequesterButATimedOutOneDoesNot() throws Exception {
    start();
    registered("alice", "localhost", 4001);
    answer = s -> CompletableFuture.failedFuture(new SendException(SendException.Reason.TIMED_OUT, s.to(),
        "timed out", null));
    listpeer("alice");
    next();
    event();
    assertNull(events.poll(200, TimeUnit.MILLISECONDS), "a LISTPEER reply that timed out drops nothing");
    assertTrue(table.contains("alice"));

    answer = s -> CompletableFuture.failedFuture(new SendException(SendException.Reason.REFUSED, s.to(),
        "refused", null));
    listpeer("alice");
    next();
    event();
    assertEquals("dropped alice at localhost:4001: LISTPEER_REPLY was refused there (the peer is gone)", event());
    assertFalse(table.contains("alice"));
  }

  @Test
  void aRefusedReplyToAnAddressNoLongerRegisteredDropsNothingElse() throws Exception {
    start();
    registered("alice", "localhost", 4001);
    CompletableFuture<Void> held = new CompletableFuture<>();
    answer = s -> held;
    listpeer("alice");
    next();
    event();
    // Meanwhile alice moved: the late refusal of the old address must not remove the new registration.
    table.remove("alice", "exit");
    table.register("alice", new HostPort("localhost", 4002));
    held.completeExceptionally(new SendException(SendException.Reason.REFUSED, new HostPort("localhost", 4001),
        "refused", null));
    assertEquals("reply LISTPEER_REPLY to localhost:4001 refused; alice is no longer registered there", event());
    assertEquals(Optional.of(new HostPort("localhost", 4002)), table.addressOf("alice"));
  }

  @Test
  void aRefusedRegisterErrorDropsNothing() throws Exception {
    start();
    registered("alice", "localhost", 4001);
    answer = s -> CompletableFuture.failedFuture(new SendException(SendException.Reason.REFUSED, s.to(),
        "refused", null));
    register("alice", "localhost", 4001);
    assertInstanceOf(RegisterError.class, next().message());
    assertTrue(event().startsWith("duplicate register alice"));
    assertNull(events.poll(200, TimeUnit.MILLISECONDS), "a refused REGISTER_ERROR drops no registration");
    assertTrue(table.contains("alice"));
  }

  @Test
  void aRegistrationTheRegistryCannotTakeIsNotAnsweredAndGivesBackWhatItReserved() throws Exception {
    // One name in the registry and one per source: a reservation kept by a failure would refuse the next.
    start(1, settings(1_000, 1_000, 1), null);
    registerFault = "throw";
    register("alice", "localhost", 4001);
    registerFault = "fail";
    register("alice", "localhost", 4001);
    assertNull(sent.poll(200, TimeUnit.MILLISECONDS), "no reply when nothing was recorded");
    assertNull(events.poll(), "logged only");
    assertEquals(0, limits.held(FROM.getAddress()), "the source's reservation was given back");
    registerFault = null;
    registered("alice", "localhost", 4001);
    assertEquals(1, limits.held(FROM.getAddress()));
  }

  /** What the keys of {@code peers} add to a signed reply, as the server bounds it. */
  private static int keysBytes(LinkedHashMap<String, HostPort> peers, Map<String, String> bound) {
    int bytes = 12;
    for (String peer : peers.keySet()) {
      if (bound.containsKey(peer)) {
        bytes += 6 * peer.length() + 43 + 8;
      }
    }
    return bytes;
  }

  /** Registers {@code name} with a key at {@code host}:4000, advertising {@code features} too. */
  private IdentityKeyPair keyed(String name, String host, String... features) throws Exception {
    IdentityKeyPair key = IdentityKeyPair.generate(RANDOM);
    Map<String, Object> data = keyedRegister(key, name, 4000);
    data.put("host", host);
    List<String> all = new ArrayList<>(List.of(Handshake.FEATURE));
    all.addAll(List.of(features));
    data.put("features", all);
    signed(key, "REGISTER", data, nonce());
    assertInstanceOf(RegisterSuccess.class, next().message());
    assertTrue(event().startsWith("register " + name + " at " + host + ":4000 with key"));
    return key;
  }

  /** Sends a signed LISTPEER for {@code name}; returns the bytes it took (compact JSON, as sent). */
  private int signedListpeer(IdentityKeyPair key, String name, String nonce) throws Exception {
    Map<String, Object> envelope = new LinkedHashMap<>();
    envelope.put("msgtype", "LISTPEER");
    envelope.put("msgdata", SignedMessages.signRequest(key, "LISTPEER", new LinkedHashMap<>(Map.of("peername", name)),
        NOW, nonce));
    byte[] frame = JSON.writeValueAsBytes(envelope);
    dispatcher.dispatch(frame, FROM, NOW);
    return frame.length;
  }

  /** Registers {@code n} plain peers at once (one force covers them all). */
  private void fill(int n) throws Exception {
    List<CompletableFuture<PeerTable.Outcome>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(table.registerDurably(String.format("peer%03d", i), new HostPort("localhost", 5000 + i)));
    }
    for (CompletableFuture<PeerTable.Outcome> f : all) {
      assertTrue(f.get(WAIT_SECONDS, TimeUnit.SECONDS).registered());
    }
  }

  @Test
  void aKeyedRequesterThatDoesNotOwnTheReplyAddressGetsASignedListWithinTheBudget() throws Exception {
    start();
    IdentityKeyPair far = keyed("far", "192.0.2.7");
    fill(400);
    String nonce = nonce();
    int requestBytes = signedListpeer(far, "far", nonce);
    Sent sentReply = next();
    assertEquals(new HostPort("192.0.2.7", 4000), sentReply.to());
    assertSignedReply(sentReply.message(), "far", nonce);
    ListpeerReply reply = (ListpeerReply) sentReply.message();
    long budget = (long) RendezvousHandlers.AMPLIFICATION * requestBytes;
    Map<String, String> bound = table.keysSnapshot();
    LinkedHashMap<String, HostPort> expected = Listing2018.fit(table.snapshot(), budget - (220 + 6L * 3),
        prefix -> Listing2018.size(prefix) + keysBytes(prefix, bound));
    assertEquals(expected, reply.getPeerlist());
    assertTrue(expected.size() > 1 && expected.size() < 401, expected.size() + " peers");
    assertEquals(Map.of("far", far.publicKey().base64url()), reply.getKeys().getAdditionalProperties());
    assertTrue(WireJson.encode(reply, WireJson.Style.PYTHON).length <= budget,
        "the signed reply, keys and signature included, stays within the budget");
    assertEquals("listpeer by far (signed): " + Plural.peers(expected.size()) + " sent to 192.0.2.7:4000 (of 401: at "
        + "most 20x the request's bytes, " + budget + ", to an address the requester has not shown it owns) (from "
        + "127.0.0.1:5000)", event());
  }

  @Test
  void aKeyedPagedReaderGetsSignedPagesWithinItsBudget() throws Exception {
    start();
    IdentityKeyPair far = keyed("far", "192.0.2.7", RendezvousHandlers.PAGE_FEATURE);
    IdentityKeyPair near = keyed("near", "localhost", RendezvousHandlers.PAGE_FEATURE);
    fill(400);
    Map<String, String> bound = table.keysSnapshot();
    String nonce = nonce();
    int requestBytes = signedListpeer(far, "far", nonce);
    ListpeerReply page = (ListpeerReply) next().message();
    assertSignedReply(page, "far", nonce);
    long budget = (long) RendezvousHandlers.AMPLIFICATION * requestBytes;
    RendezvousHandlers.Page expected = RendezvousHandlers.page(table.snapshot(), null, budget - (220 + 6L * 3),
        prefix -> Listing2018.size(prefix) + keysBytes(prefix, bound));
    assertEquals(expected.peers(), page.getPeerlist());
    assertEquals(expected.next(), page.getNext());
    assertTrue(page.getNext() != null && page.getNext() > 1, "cut by the budget: " + page.getNext());
    assertEquals(Map.of("far", far.publicKey().base64url(), "near", near.publicKey().base64url()),
        page.getKeys().getAdditionalProperties());
    assertTrue(WireJson.encode(page, WireJson.Style.PYTHON).length <= budget);
    assertTrue(event().startsWith("listpeer by far (signed): "));

    String again = nonce();
    signedListpeer(near, "near", again);
    Sent whole = next();
    assertEquals(new HostPort("localhost", 4000), whole.to());
    assertSignedReply(whole.message(), "near", again);
    assertEquals(402, ((ListpeerReply) whole.message()).getPeerlist().size(), "its own address: no budget");
    assertNull(((ListpeerReply) whole.message()).getNext(), "one page holds them all");
    assertEquals("listpeer by near (signed): 402 peers sent to localhost:4000 (from 127.0.0.1:5000)", event());
  }
}
