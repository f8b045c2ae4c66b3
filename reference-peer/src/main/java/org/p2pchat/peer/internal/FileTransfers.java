package org.p2pchat.peer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.cli.Durations;
import org.p2pchat.cli.Failures;
import org.p2pchat.filetransfer.Chunk;
import org.p2pchat.filetransfer.ChunkEncoding;
import org.p2pchat.filetransfer.ChunkResult;
import org.p2pchat.filetransfer.FailureReason;
import org.p2pchat.filetransfer.FileTransferLimits;
import org.p2pchat.filetransfer.Incoming;
import org.p2pchat.filetransfer.LegacyTextReceiver;
import org.p2pchat.filetransfer.Offer;
import org.p2pchat.filetransfer.Outgoing;
import org.p2pchat.filetransfer.PeerThrottle;
import org.p2pchat.filetransfer.SafeFileNames;
import org.p2pchat.filetransfer.SendWindow;
import org.p2pchat.filetransfer.Transfer;
import org.p2pchat.filetransfer.TransferException;
import org.p2pchat.filetransfer.TransferState;
import org.p2pchat.filetransfer.TransferTable;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.Session;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.FileAck;
import org.p2pchat.protocol.model.FileCancel;
import org.p2pchat.protocol.model.FileChunk;
import org.p2pchat.protocol.model.FileTransfer;
import org.p2pchat.protocol.model.FileTransferAccept;
import org.p2pchat.protocol.model.FileTransferRefuse;
import org.p2pchat.protocol.model.FileTransferRequest;
import org.p2pchat.sdk.Codec;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's side of file transfer (docs/file-transfer.md): {@code send file}, {@code list transfers},
 * {@code cancel transfer}, answering offers, and the FILE_* messages, driving the {@code file-transfer} engine.
 *
 * <p>Threads: every transfer's state lives on one engine thread, so the engine's objects (not thread-safe) are
 * only touched there. Handlers only check who sent a message and post it; hashing a file to offer runs on a
 * second thread. Both queues are bounded: a flood of chunks is dropped with a log line, never buffered without
 * end. Chunks and file control messages go out through a sender of their own (1 MiB cap, the receiving peer's
 * read cap), so chat messages never queue behind a chunk; each peer's chunks pass its {@link PeerThrottle}.
 *
 * <p>Who: file messages go only to a connected peer that advertised {@code files}, and are taken only from one.
 * The 2018 text FILE_TRANSFER is taken from any connected peer and saved; this peer never sends it.
 */
public final class FileTransfers {
  private static final Logger log = LoggerFactory.getLogger(FileTransfers.class);
  /** Largest file message: what a p2pchat peer reads (the SDK's default receive cap). */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;
  /** Network events waiting for the engine thread beyond which new ones are dropped (about 11 MB of chunks). */
  static final int MAX_QUEUED_EVENTS = 64;
  /** Finished transfers kept for {@code list transfers}. */
  static final int KEEP_FINISHED = 50;
  private static final long TICK_MILLIS = 250;

  /** Settings from the command line or builder. */
  public record Settings(Path downloads, FileTransferLimits limits, boolean autoAccept) {}

  /** One transfer and what the engine needs for it. Touched on the engine thread only. */
  private static final class Job {
    final Transfer transfer;
    final HostPort address;
    final Instant offeredAt;
    final long offeredNanos;
    Outgoing outgoing;
    Incoming incoming;
    SendWindow window;
    /** The window the sender offered (receive side): the agreed window is the smaller of it and ours. */
    int offeredWindow = Integer.MAX_VALUE;
    long startedNanos;
    long startBytes;
    Path savedAs;

    Job(Transfer transfer, HostPort address, Instant offeredAt, long offeredNanos) {
      this.transfer = transfer;
      this.address = address;
      this.offeredAt = offeredAt;
      this.offeredNanos = offeredNanos;
    }

    String name() {
      return Lines.printable(SafeFileNames.sanitize(transfer.offer().name()));
    }

    String peer() {
      return Lines.printable(transfer.peer());
    }
  }

  private final Identity me;
  private final FileSeal seal;
  private final ConnectedPeers connected;
  private final Capabilities features;
  private final PeerOutput out;
  private final Settings settings;
  private final FileTransferLimits limits;
  private final Clock clock;
  private final Sender sender;
  /** Offers, answers, acks and cancels: one thread, so they arrive in the order they were sent. */
  private final Sender controlSender;
  private final ScheduledThreadPoolExecutor engine;
  private final ThreadPoolExecutor hasher;
  private final AtomicInteger queued = new AtomicInteger();
  /** Dropped-message log lines: at most {@link #LOG_LINES_PER_SECOND} a second, the rest counted. */
  private static final int LOG_LINES_PER_SECOND = 10;
  private long logSecond;
  private int loggedThisSecond;
  private long heldBack;
  private final SecureRandom random = new SecureRandom();
  // Engine thread only:
  private final TransferTable table;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final Map<String, PeerThrottle> throttles = new HashMap<>();
  private final Map<String, Boolean> pumpScheduled = new HashMap<>();
  private final LegacyTextReceiver legacy;

  public FileTransfers(Identity me, ConnectedPeers connected, Capabilities features, PeerOutput out,
      Settings settings, Duration connectTimeout) {
    this(me, connected, features, out, settings, connectTimeout, null);
  }

  /** {@code trust}: this peer's identity (null: none), so file messages are sealed in verified sessions. */
  public FileTransfers(Identity me, ConnectedPeers connected, Capabilities features, PeerOutput out,
      Settings settings, Duration connectTimeout, PeerTrust trust) {
    // One validator for both senders and the sealed messages: each one built loads and compiles every schema.
    MessageValidator validator = MessageValidator.withMaxBytes(MAX_MESSAGE_BYTES);
    this.seal = new FileSeal(connected, trust, validator);
    this.me = me;
    this.connected = connected;
    this.features = features;
    this.out = out;
    this.settings = settings;
    this.limits = settings.limits();
    this.clock = Clock.systemUTC();
    this.table = new TransferTable(limits);
    this.legacy = new LegacyTextReceiver(settings.downloads(), limits);
    // Chunks are built here from the generated class, so checking them against the schema again on the way out
    // only cost time (a second pass over every chunk's text); the receiver validates what it reads.
    this.sender = Sender.builder()
        .codec(new Codec(validator, true, false, WireJson.Style.PYTHON))
        .maxBytes(MAX_MESSAGE_BYTES)
        .connectTimeout(connectTimeout)
        .asyncThreads(4)
        .asyncQueue(1024)
        .build();
    this.controlSender = Sender.builder()
        .codec(new Codec(validator, true, WireJson.Style.PYTHON))
        .maxBytes(MAX_MESSAGE_BYTES)
        .connectTimeout(connectTimeout)
        .asyncThreads(1)
        .asyncQueue(1024)
        .build();
    this.engine = new ScheduledThreadPoolExecutor(1, daemon("peer-" + me.name() + "-files"));
    engine.setRemoveOnCancelPolicy(true);
    this.hasher = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8),
        daemon("peer-" + me.name() + "-hash"));
    hasher.allowCoreThreadTimeOut(true);
    engine.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  public void registerHandlers(Dispatcher dispatcher) {
    // Sealed or clear, each is opened (or refused) on the engine thread, off the SDK's one worker.
    dispatcher.on(FileTransferRequest.class, (m, ctx) -> fromPeer(m.getPeername(), "FILE_TRANSFER_REQUEST", ctx,
        () -> opened(seal.open(m, FileTransferRequest.class, m.getPeername(), m.getTransfer(), m.getSeq(),
            m.getBox(), ctx), this::onOffer)));
    dispatcher.on(FileTransferAccept.class, (m, ctx) -> fromPeer(m.getPeername(), "FILE_TRANSFER_ACCEPT", ctx,
        () -> opened(seal.open(m, FileTransferAccept.class, m.getPeername(), m.getTransfer(), m.getSeq(),
            m.getBox(), ctx), this::onAccept)));
    dispatcher.on(FileTransferRefuse.class, (m, ctx) -> fromPeer(m.getPeername(), "FILE_TRANSFER_REFUSE", ctx,
        () -> opened(seal.open(m, FileTransferRefuse.class, m.getPeername(), m.getTransfer(), m.getSeq(),
            m.getBox(), ctx), this::onRefuse)));
    dispatcher.on(FileChunk.class, (m, ctx) -> fromPeer(m.getPeername(), "FILE_CHUNK", ctx, () -> onChunk(m, ctx)));
    dispatcher.on(FileAck.class, (m, ctx) -> fromPeer(m.getPeername(), "FILE_ACK", ctx,
        () -> opened(seal.open(m, FileAck.class, m.getPeername(), m.getTransfer(), m.getSeq(), m.getBox(), ctx),
            this::onAck)));
    dispatcher.on(FileCancel.class, (m, ctx) -> fromPeer(m.getPeername(), "FILE_CANCEL", ctx,
        () -> opened(seal.open(m, FileCancel.class, m.getPeername(), m.getTransfer(), m.getSeq(), m.getBox(), ctx),
            this::onCancel)));
    dispatcher.on(FileTransfer.class, this::onLegacy);
  }

  private static <T> void opened(T message, java.util.function.Consumer<T> handler) {
    if (message != null) {
      handler.accept(message);
    }
  }

  // ---- commands (command thread) ----

  /** {@code send file PEERNAME PATH}. */
  public void send(String peername, String pathText) {
    HostPort address = connected.get(peername);
    if (address == null) {
      out.line("not connected to " + Lines.printable(peername) + " (\"list connected peer\" shows who is)");
      return;
    }
    if (!features.has(peername, Capabilities.FILES)) {
      out.line(Lines.printable(peername) + " cannot receive files (it did not advertise \"files\"; a 2018 program"
          + " cannot); nothing sent");
      return;
    }
    Path path;
    try {
      path = Path.of(pathText.strip()).toAbsolutePath();
    } catch (InvalidPathException e) {
      out.line("not a file path: " + Lines.printable(pathText));
      return;
    }
    if (!Files.isRegularFile(path)) {
      out.line("no such file: " + Lines.printable(path.toString()));
      return;
    }
    String id = TransferTable.newId(random);
    out.line("hashing " + Lines.printable(path.getFileName().toString()) + " to offer it to "
        + Lines.printable(peername) + " ...");
    try {
      hasher.execute(() -> hashThenOffer(peername, address, path, id));
    } catch (RejectedExecutionException e) {
      out.line("too many files being prepared; try again in a moment");
    }
  }

  /** {@code list transfers}. */
  public void list() {
    List<String> lines = onEngine(() -> {
      List<String> l = new ArrayList<>();
      for (Transfer t : table.list()) {
        l.add("    " + Lines.printable(t.describe()));
      }
      return l;
    }, List.of("    (busy; try again)"));
    if (lines.isEmpty()) {
      out.line("no file transfers");
      return;
    }
    out.line("file transfers:");
    lines.forEach(out::line);
  }

  /** {@code cancel transfer ID}. */
  public void cancel(String id) {
    String result = onEngine(() -> {
      Job job = jobs.get(id);
      if (job == null || job.transfer.state().isFinal()) {
        return "no running transfer " + Lines.printable(id) + " (\"list transfers\" shows them)";
      }
      job.transfer.cancel(false, System.nanoTime());
      sendControl(job, cancelMessage(job, FailureReason.CANCELLED, "cancelled by " + me.name()));
      release(job);
      return "cancelled transfer " + id + " (" + job.name() + " with " + job.peer() + ")"
          + (job.transfer.side() == Transfer.Side.RECEIVE ? "; partial file kept for a resume" : "");
    }, "busy; try again");
    out.line(result);
  }

  /**
   * {@code yes}/{@code no} [PEERNAME]: answers whichever is older, the oldest file offer or the oldest chat request
   * (from that peer, if named). Returns false when the chat request is older or no offer waits, so the caller
   * lets {@link IncomingRequests} answer.
   */
  public boolean answerOldest(boolean accept, String peername, Instant oldestChatRequest) {
    Boolean answered = onEngine(() -> {
      Job oldest = null;
      for (Job job : jobs.values()) {
        if (job.transfer.side() == Transfer.Side.RECEIVE && job.transfer.state() == TransferState.OFFERED
            && (peername == null || job.transfer.peer().equals(peername))) {
          oldest = job;
          break;
        }
      }
      if (oldest == null || (oldestChatRequest != null && oldestChatRequest.isBefore(oldest.offeredAt))) {
        return false;
      }
      answer(oldest, accept);
      return true;
    }, false);
    return answered;
  }

  /** {@code accept file ID} / {@code refuse file ID}. */
  public void answer(String id, boolean accept) {
    String problem = onEngine(() -> {
      Job job = jobs.get(id);
      if (job == null || job.transfer.side() != Transfer.Side.RECEIVE
          || job.transfer.state() != TransferState.OFFERED) {
        return "no file offer " + Lines.printable(id) + " is waiting (\"list transfers\" shows them)";
      }
      answer(job, accept);
      return null;
    }, "busy; try again");
    if (problem != null) {
      out.line(problem);
    }
  }

  /** True if a file offer waits for an answer. */
  public int pendingOffers() {
    return onEngine(() -> (int) jobs.values().stream().filter(j -> j.transfer.side() == Transfer.Side.RECEIVE
        && j.transfer.state() == TransferState.OFFERED).count(), 0);
  }

  /**
   * For exit: cancels every running transfer (FILE_CANCEL to its peer, partial downloads kept), refuses waiting
   * offers; the futures complete once each message is sent or failed.
   */
  public List<CompletableFuture<Boolean>> closeAll() {
    List<CompletableFuture<Boolean>> sends = onEngine(() -> {
      List<CompletableFuture<Boolean>> s = new ArrayList<>();
      for (Job job : jobs.values()) {
        Transfer t = job.transfer;
        if (t.state().isFinal()) {
          continue;
        }
        if (t.side() == Transfer.Side.RECEIVE && t.state() == TransferState.OFFERED) {
          t.refuse(FailureReason.REFUSED, System.nanoTime());
          s.add(sendControl(job, refuseMessage(job, FailureReason.REFUSED)));
        } else {
          t.cancel(false, System.nanoTime());
          s.add(sendControl(job, cancelMessage(job, FailureReason.CANCELLED, me.name() + " is leaving")));
        }
        release(job);
      }
      return s;
    }, List.of());
    return sends;
  }

  /** Stops the threads (after {@link #closeAll}). */
  public void shutdown() {
    engine.shutdownNow();
    hasher.shutdownNow();
    try {
      engine.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Job job : jobs.values()) {
      closeQuietly(job);
    }
    sender.close();
    controlSender.close();
  }

  // ---- sending (hasher, then engine) ----

  private void hashThenOffer(String peername, HostPort address, Path path, String id) {
    Outgoing outgoing;
    try {
      outgoing = Outgoing.open(path, id, path.getFileName().toString(), limits.chunkSize());
    } catch (IOException | RuntimeException e) {
      out.line("cannot read " + Lines.printable(path.toString()) + ": " + e.getMessage());
      return;
    }
    if (!post(() -> offer(peername, address, outgoing), false)) {
      closeQuietly(outgoing);
    }
  }

  private void offer(String peername, HostPort address, Outgoing outgoing) {
    Offer offer = outgoing.offer();
    if (offer.size() > limits.maxFileSize()) {
      out.line("not offering " + Lines.printable(offer.name()) + ": " + size(offer.size()) + " is over the limit of "
          + size(limits.maxFileSize()) + " (--max-file-size)");
      closeQuietly(outgoing);
      return;
    }
    long now = System.nanoTime();
    Transfer t = Transfer.offered(Transfer.Side.SEND, peername, offer, now, limits);
    Optional<FailureReason> refused = table.admit(t);
    if (refused.isPresent()) {
      out.line("not offering " + Lines.printable(offer.name()) + " to " + Lines.printable(peername) + ": "
          + refused.get().text() + " (--max-transfers-per-peer " + limits.maxTransfersPerPeer() + ")");
      closeQuietly(outgoing);
      return;
    }
    Job job = new Job(t, address, clock.instant(), now);
    job.outgoing = outgoing;
    jobs.put(t.id(), job);
    FileTransferRequest request = new FileTransferRequest().withPeername(me.name()).withFilename(offer.name())
        .withTransfer(t.id()).withSize(offer.size()).withSha256(offer.sha256()).withChunksize(offer.chunkSize())
        .withChunks((long) offer.chunkCount()).withWindow(limits.window());
    out.line("offering " + job.name() + " (" + size(offer.size()) + ", sha256 " + offer.sha256().substring(0, 12)
        + "…) to " + job.peer() + " as transfer " + t.id() + ", " + protection(peername) + "; waiting for an answer");
    sendControl(job, request);
  }

  private void onAccept(FileTransferAccept m) {
    Job job = own(m.getTransfer(), m.getPeername(), Transfer.Side.SEND, "FILE_TRANSFER_ACCEPT");
    if (job == null) {
      return;
    }
    Transfer t = job.transfer;
    long now = System.nanoTime();
    if (m.getNext() == null || m.getWindow() == null || m.getNext() > t.offer().chunkCount()
        || !t.accept(now)) {
      failJob(job, FailureReason.PROTOCOL, "bad or late FILE_TRANSFER_ACCEPT", false, true);
      return;
    }
    int next = (int) (long) m.getNext();
    t.start(next, now);
    job.window = new SendWindow(t.offer().chunkCount(), next, Math.min(limits.window(), m.getWindow()));
    job.startedNanos = now;
    job.startBytes = t.bytesDone();
    out.line(job.peer() + " accepted " + job.name() + (next > 0 ? "; resuming at chunk " + next + " of "
        + t.offer().chunkCount() + " (" + size(t.bytesDone()) + " already there)" : "") + "; sending");
    throttles.computeIfAbsent(t.peer(), p -> PeerThrottle.of(limits, now)).add(t.id());
    pump(t.peer());
  }

  private void onRefuse(FileTransferRefuse m) {
    Job job = own(m.getTransfer(), m.getPeername(), Transfer.Side.SEND, "FILE_TRANSFER_REFUSE");
    if (job == null) {
      return;
    }
    FailureReason reason = m.getReason() == null ? FailureReason.REFUSED : FailureReason.fromWire(m.getReason());
    if (job.transfer.refuse(reason, System.nanoTime())) {
      out.line(job.peer() + " refused " + job.name() + " (transfer " + job.transfer.id() + "): " + reason.text());
      release(job);
    }
  }

  private void onAck(FileAck m) {
    Job job = own(m.getTransfer(), m.getPeername(), Transfer.Side.SEND, "FILE_ACK");
    if (job == null || job.window == null || job.transfer.state().isFinal()) {
      return;
    }
    Transfer t = job.transfer;
    long now = System.nanoTime();
    // Acks are cumulative and each has its own connection: an older one can arrive after a newer one (STALE).
    SendWindow.Ack ack = job.window.onAck(m.getNext());
    if (ack == SendWindow.Ack.IMPOSSIBLE) {
      failJob(job, FailureReason.PROTOCOL, "FILE_ACK next " + m.getNext() + " is beyond the chunks sent", false,
          true);
      return;
    }
    if (ack == SendWindow.Ack.STALE && !Boolean.TRUE.equals(m.getComplete())) {
      return;
    }
    Offer offer = t.offer();
    long acked = Math.min(offer.size(), (long) job.window.acked() * offer.chunkSize());
    showProgress(job, t.progress(acked, now));
    if (Boolean.TRUE.equals(m.getComplete())) {
      if (!job.window.allAcked()) {
        failJob(job, FailureReason.PROTOCOL, "FILE_ACK complete before the last chunk", false, true);
        return;
      }
      t.complete(now);
      out.line("sent " + job.name() + " to " + job.peer() + ": " + summary(job, now) + ", SHA-256 verified by "
          + job.peer());
      release(job);
      return;
    }
    pump(t.peer());
  }

  /** Sends every chunk the windows and the peer's rate allow now; comes back when the bucket refills. */
  private void pump(String peer) {
    PeerThrottle throttle = throttles.get(peer);
    if (throttle == null) {
      return;
    }
    // What the bucket counts: the chunk's base64, as the limit is documented.
    long wire = ChunkEncoding.encodedLength(limits.chunkSize());
    while (true) {
      long now = System.nanoTime();
      Optional<String> id = throttle.next(this::readyToSend, wire, now);
      if (id.isEmpty()) {
        boolean waiting = jobs.values().stream().anyMatch(j -> j.transfer.peer().equals(peer)
            && readyToSend(j.transfer.id()));
        if (waiting && !pumpScheduled.getOrDefault(peer, false)) {
          pumpScheduled.put(peer, true);
          long delay = Math.max(throttle.nanosUntil(wire, now), 1_000_000L);
          engine.schedule(() -> {
            pumpScheduled.put(peer, false);
            pump(peer);
          }, delay, TimeUnit.NANOSECONDS);
        }
        return;
      }
      sendChunk(jobs.get(id.get()));
    }
  }

  private boolean readyToSend(String id) {
    Job job = jobs.get(id);
    return job != null && job.transfer.state() == TransferState.SENDING && job.window != null
        && job.window.canSend();
  }

  private void sendChunk(Job job) {
    int index = job.window.take();
    Chunk chunk;
    try {
      chunk = job.outgoing.chunk(index);
    } catch (TransferException e) {
      failJob(job, e.reason(), e.getMessage(), false, true);
      return;
    }
    String id = job.transfer.id();
    Session session = seal.session(job.transfer.peer());
    FileChunk message;
    if (session == null) {
      message = new FileChunk().withPeername(me.name()).withTransfer(id).withIndex((long) index)
          .withCrc32c(chunk.crc32c()).withData(chunk.base64());
    } else {
      try {
        message = FileSeal.sealChunk(session, me.name(), id, index, chunk.data());
      } catch (IdentityException e) {
        failJob(job, FailureReason.IO_ERROR, "cannot seal a chunk: " + e.getMessage(), false, true);
        return;
      }
    }
    sender.sendAsync(job.address, message).whenComplete((ok, error) -> {
      if (error != null) {
        post(() -> {
          Job j = jobs.get(id);
          if (j != null && !j.transfer.state().isFinal()) {
            failJob(j, FailureReason.STALLED, "cannot send a chunk: " + Failures.unwrap(error).getMessage(),
                false, true);
          }
        }, false);
      }
    });
  }

  // ---- receiving (engine) ----

  private void onOffer(FileTransferRequest m) {
    String peer = m.getPeername();
    HostPort address = connected.get(peer);
    if (address == null) {
      return;
    }
    if (m.getTransfer() == null) {
      drop("FILE_TRANSFER_REQUEST from " + Lines.printable(peer) + " without a transfer id");
      return;
    }
    Offer offer;
    try {
      offer = new Offer(m.getTransfer(), m.getFilename(), m.getSize(), m.getSha256(), m.getChunksize());
    } catch (RuntimeException e) {
      refuseAtOnce(peer, address, m, FailureReason.PROTOCOL, "an offer with missing or bad fields");
      return;
    }
    if (m.getChunks() == null || !offer.hasChunkCount(m.getChunks()) || m.getWindow() == null) {
      refuseAtOnce(peer, address, m, FailureReason.PROTOCOL, "an offer whose chunk count does not add up");
      return;
    }
    if (offer.size() > limits.maxFileSize()) {
      refuseAtOnce(peer, address, m, FailureReason.TOO_LARGE, size(offer.size()) + " is over the limit of "
          + size(limits.maxFileSize()));
      return;
    }
    long now = System.nanoTime();
    Transfer t = Transfer.offered(Transfer.Side.RECEIVE, peer, offer, now, limits);
    Optional<FailureReason> refused = table.admit(t);
    if (refused.isPresent()) {
      refuseAtOnce(peer, address, m, refused.get(), refused.get().text());
      return;
    }
    Job job = new Job(t, address, clock.instant(), now);
    job.offeredWindow = (int) Math.max(1, Math.min(Integer.MAX_VALUE, m.getWindow()));
    jobs.put(t.id(), job);
    int resumeAt = Incoming.resumePoint(settings.downloads(), offer);
    String already = resumeAt > 0 ? "; " + size(Math.min(offer.size(), (long) resumeAt * offer.chunkSize()))
        + " already here, resumes" : "";
    out.line(job.peer() + " offers " + job.name() + " (" + size(offer.size()) + ", sha256 "
        + offer.sha256().substring(0, 12) + "…" + already + ") as transfer " + t.id() + ", " + protection(peer));
    if (settings.autoAccept()) {
      answer(job, true);
      return;
    }
    out.line("Please enter \"yes\" or \"no\" (or accept file " + t.id() + " / refuse file " + t.id()
        + "); expires in " + Durations.describe(limits.offerTimeout()));
  }

  private void answer(Job job, boolean accept) {
    Transfer t = job.transfer;
    long now = System.nanoTime();
    if (!accept) {
      t.refuse(FailureReason.REFUSED, now);
      sendControl(job, refuseMessage(job, FailureReason.REFUSED));
      out.line("refused " + job.name() + " from " + job.peer() + " (transfer " + t.id() + ")");
      release(job);
      return;
    }
    t.accept(now);
    try {
      job.incoming = Incoming.open(settings.downloads(), t.offer(), limits, Math.min(limits.window(), job.offeredWindow));
    } catch (TransferException e) {
      t.fail(e.reason(), e.getMessage(), false);
      sendControl(job, cancelMessage(job, e.reason(), e.getMessage()));
      out.line("cannot receive " + job.name() + " from " + job.peer() + ": " + e.reason().text() + ": "
          + e.getMessage());
      release(job);
      return;
    }
    int next = job.incoming.next();
    t.start(next, now);
    job.startedNanos = now;
    job.startBytes = t.bytesDone();
    out.line("accepted " + job.name() + " from " + job.peer() + " (transfer " + t.id() + ")"
        + (next > 0 ? ", resuming at chunk " + next + " of " + t.offer().chunkCount() : "") + ", into "
        + settings.downloads());
    sendControl(job, new FileTransferAccept().withPeername(me.name()).withFilename(t.offer().name())
        .withTransfer(t.id()).withNext((long) next).withWindow(limits.window()));
    if (next == t.offer().chunkCount()) {
      handle(job, job.incoming.finish());
    }
  }

  private void onChunk(FileChunk m, MessageContext ctx) {
    boolean sealed = m.getSeq() != null || m.getBox() != null;
    if (!sealed && !seal.mayBeClear("FILE_CHUNK", m.getPeername(), ctx)) {
      return;
    }
    Job job = own(m.getTransfer(), m.getPeername(), Transfer.Side.RECEIVE, "FILE_CHUNK");
    if (job == null || job.incoming == null || job.transfer.state() != TransferState.RECEIVING) {
      return;
    }
    if (!sealed) {
      if (m.getData() == null || m.getCrc32c() == null) {
        drop("FILE_CHUNK from " + Lines.printable(m.getPeername()) + " without data");
        return;
      }
      handle(job, job.incoming.acceptWire(m.getTransfer(), m.getIndex(), m.getData(), m.getCrc32c()));
      return;
    }
    // Opened only now that it is known to be one of this peer's running transfers: a forgery costs no decryption
    // of a transfer that does not exist, and a box that does not open is refused without touching the transfer.
    byte[] bytes = seal.openChunk(m, ctx);
    if (bytes == null) {
      return;
    }
    long index = m.getIndex();
    handle(job, job.incoming.accept(Chunk.of(m.getTransfer(), index > Integer.MAX_VALUE ? -1 : (int) index, bytes)));
  }

  private void handle(Job job, ChunkResult result) {
    Transfer t = job.transfer;
    long now = System.nanoTime();
    switch (result.status()) {
      case ACCEPTED -> {
        showProgress(job, t.progress(job.incoming.verifiedBytes(), now));
        if (result.ackDue()) {
          sendControl(job, new FileAck().withPeername(me.name()).withTransfer(t.id()).withNext((long) result.next()));
        }
      }
      case COMPLETED -> {
        job.savedAs = result.file();
        t.complete(now);
        sendControl(job, new FileAck().withPeername(me.name()).withTransfer(t.id()).withNext((long) result.next())
            .withComplete(true));
        out.line("received " + job.name() + " from " + job.peer() + ": " + summary(job, now)
            + ", SHA-256 verified, saved as " + Lines.printable(result.file().toString()));
        release(job);
      }
      case FAILED -> failJob(job, result.reason(), result.detail(), false, true);
      default -> throw new IllegalStateException("unknown status " + result.status());
    }
  }

  private void onCancel(FileCancel m) {
    Job job = own(m.getTransfer(), m.getPeername(), null, "FILE_CANCEL");
    if (job == null || job.transfer.state().isFinal()) {
      return;
    }
    FailureReason reason = FailureReason.fromWire(m.getReason());
    String detail = m.getDetail() == null ? "" : Lines.printable(m.getDetail());
    failJob(job, reason, detail, true, false);
  }

  private void onLegacy(FileTransfer m, MessageContext ctx) {
    if (!connected.contains(m.getPeername())) {
      drop("FILE_TRANSFER from " + ctx.remote() + " (" + Lines.printable(m.getPeername())
          + "): not a connected peer");
      return;
    }
    post(() -> {
      LegacyTextReceiver.Result r = legacy.receive(m.getPeername(), m.getFilename(), m.getFilenum(),
          m.getCurnum(), m.getFiledata(), System.nanoTime());
      switch (r.status()) {
        case SAVED -> out.line("received text file " + Lines.printable(SafeFileNames.sanitize(m.getFilename()))
            + " from " + Lines.printable(m.getPeername()) + " (2018 FILE_TRANSFER, " + r.total()
            + " chunks, no checksum), saved as " + Lines.printable(r.file().toString()));
        case REJECTED -> {
          out.line("dropped a 2018 FILE_TRANSFER chunk of " + Lines.printable(m.getFilename()) + " from "
              + Lines.printable(m.getPeername()) + ": " + Lines.printable(r.detail()));
        }
        default -> { }
      }
    }, true);
  }

  // ---- shared (engine) ----

  private void tick() {
    try {
      long now = System.nanoTime();
      legacy.expire(now);
      for (Job job : new ArrayList<>(jobs.values())) {
        Transfer t = job.transfer;
        if (!t.state().isFinal() && !job.address.equals(connected.get(t.peer()))) {
          // The peer left (its DISCONNECT may overtake its FILE_CANCEL, which is then dropped): end it here.
          failJob(job, FailureReason.CANCELLED, t.peer() + " disconnected", true, false);
          continue;
        }
        if (t.state().isFinal() || !t.tick(now)) {
          continue;
        }
        if (t.state() == TransferState.EXPIRED) {
          if (t.side() == Transfer.Side.RECEIVE) {
            sendControl(job, refuseMessage(job, FailureReason.EXPIRED));
            out.line("file offer " + job.name() + " from " + job.peer() + " (transfer " + t.id() + ") expired after "
                + Durations.describe(limits.offerTimeout()) + "; refused");
          } else {
            out.line("no answer from " + job.peer() + " to the offer of " + job.name() + " within "
                + Durations.describe(limits.offerTimeout()) + "; gave up");
          }
          release(job);
        } else {
          sendControl(job, cancelMessage(job, t.reason(), t.detail()));
          verdict(job);
          release(job);
        }
      }
      table.prune(KEEP_FINISHED);
      jobs.keySet().retainAll(table.list().stream().map(Transfer::id).toList());
    } catch (RuntimeException e) {
      log.warn("file transfer tick failed", e);
    }
  }

  /** Ends a transfer with a failure: tells the other side (unless it told us), prints the verdict. */
  private void failJob(Job job, FailureReason reason, String detail, boolean byPeer, boolean tellPeer) {
    Transfer t = job.transfer;
    boolean changed = reason == FailureReason.CANCELLED || t.state() == TransferState.OFFERED
        ? t.cancel(byPeer, System.nanoTime())
        : t.fail(reason, detail == null ? "" : detail, byPeer);
    if (!changed) {
      return;
    }
    if (tellPeer) {
      sendControl(job, cancelMessage(job, reason, detail));
    }
    verdict(job);
    release(job);
  }

  private void verdict(Job job) {
    Transfer t = job.transfer;
    String what = t.side() == Transfer.Side.SEND ? "sending " + job.name() + " to " + job.peer()
        : "receiving " + job.name() + " from " + job.peer();
    String why = t.reason() == null ? t.state().name().toLowerCase(Locale.ROOT) : t.reason().text();
    String by = t.endedByPeer() ? " (by " + job.peer() + ")" : "";
    String detail = t.detail().isEmpty() ? "" : ": " + Lines.printable(t.detail());
    String kept = t.side() == Transfer.Side.RECEIVE && job.incoming != null
        ? "; partial file kept (" + size(job.incoming.verifiedBytes()) + " verified), an offer of the same file resumes"
        : "";
    out.line((t.state() == TransferState.CANCELLED ? "cancelled " : "failed ") + what + " (transfer " + t.id()
        + "): " + why + by + detail + kept);
  }

  /** Closes the engine's files for a finished transfer and stops its chunks. */
  private void release(Job job) {
    PeerThrottle throttle = throttles.get(job.transfer.peer());
    if (throttle != null) {
      throttle.remove(job.transfer.id());
    }
    if (job.incoming != null && !job.transfer.state().equals(TransferState.COMPLETED)) {
      job.incoming.cancel(job.transfer.reason() == null ? FailureReason.CANCELLED : job.transfer.reason(),
          job.transfer.detail());
    }
    closeQuietly(job);
  }

  private void showProgress(Job job, OptionalInt step) {
    if (step.isEmpty() || step.getAsInt() >= 100) {
      return;
    }
    Transfer t = job.transfer;
    out.line(job.name() + " " + step.getAsInt() + " % " + rate(t.bytesPerSecond())
        + (t.side() == Transfer.Side.SEND ? " to " : " from ") + job.peer());
  }

  private String summary(Job job, long now) {
    Transfer t = job.transfer;
    double seconds = Math.max(1e-3, (now - job.startedNanos) / 1e9);
    long moved = t.offer().size() - job.startBytes;
    return size(t.offer().size()) + (job.startBytes > 0 ? " (" + size(moved) + " this time, resumed)" : "")
        + " in " + String.format(Locale.ROOT, "%.1f s", seconds) + " (" + rate(moved / seconds) + ")";
  }

  /**
   * The transfer {@code id} if it is {@code peername}'s and on {@code side} (null: either); otherwise logs and
   * returns null. A message naming another peer's transfer is dropped.
   */
  private Job own(String id, String peername, Transfer.Side side, String what) {
    Job job = id == null ? null : jobs.get(id);
    if (job == null || !job.transfer.peer().equals(peername) || (side != null && job.transfer.side() != side)) {
      drop(what + " from " + Lines.printable(peername) + " for transfer " + Lines.printable(String.valueOf(id))
          + ", which is not one of its transfers");
      return null;
    }
    return job;
  }

  /** Handler side: a file message is taken only from a connected peer that advertised files. */
  private void fromPeer(String peername, String what, MessageContext ctx, Runnable onEngine) {
    if (!connected.contains(peername) || !features.has(peername, Capabilities.FILES)) {
      drop(what + " from " + ctx.remote() + " (" + Lines.printable(peername)
          + "): not a connected peer that advertised \"files\"");
      return;
    }
    if (!post(onEngine, true)) {
      drop(what + " from " + ctx.remote() + ": " + MAX_QUEUED_EVENTS + " file messages already wait; dropped");
    }
  }

  private void refuseAtOnce(String peer, HostPort address, FileTransferRequest m, FailureReason reason,
      String why) {
    out.line("refused a file offer " + Lines.printable(String.valueOf(m.getFilename())) + " from "
        + Lines.printable(peer) + ": " + why);
    Object wire = wireForm(peer, new FileTransferRefuse().withPeername(me.name()).withFilename(m.getFilename())
        .withTransfer(m.getTransfer()).withReason(reason.wire()));
    if (wire != null) {
      controlSender.sendAsync(address, wire).exceptionally(e -> null);
    }
  }

  /** How this transfer's messages travel, for the offer lines. */
  private String protection(String peer) {
    return seal.session(peer) != null ? "sealed (encrypted and authenticated in the identity session)"
        : "not encrypted (no identity session with " + Lines.printable(peer) + ")";
  }

  private FileTransferRefuse refuseMessage(Job job, FailureReason reason) {
    return new FileTransferRefuse().withPeername(me.name()).withFilename(job.transfer.offer().name())
        .withTransfer(job.transfer.id()).withReason(reason.wire());
  }

  private FileCancel cancelMessage(Job job, FailureReason reason, String detail) {
    FileCancel c = new FileCancel().withPeername(me.name()).withTransfer(job.transfer.id())
        .withReason((reason == null ? FailureReason.CANCELLED : reason).wire());
    if (detail != null && !detail.isEmpty()) {
      c.setDetail(detail.length() > 200 ? detail.substring(0, 200) : detail);
    }
    return c;
  }

  /** {@code message} sealed in the session with {@code peer} if there is one (as it is otherwise); null if it fails. */
  @SuppressWarnings("unchecked")
  private Object wireForm(String peer, Object message) {
    Session session = seal.session(peer);
    if (session == null) {
      return message;
    }
    try {
      return FileSeal.sealControl(session, message, (Class<Object>) message.getClass());
    } catch (IdentityException e) {
      out.line("not sent to " + Lines.printable(peer) + ": " + Lines.printable(e.getMessage()));
      return null;
    }
  }

  private CompletableFuture<Boolean> sendControl(Job job, Object message) {
    Object wire = wireForm(job.transfer.peer(), message);
    if (wire == null) {
      return CompletableFuture.completedFuture(false);
    }
    return controlSender.sendAsync(job.address, wire).handle((ok, error) -> {
      if (error != null) {
        log.info("could not send a file message to {}: {}", job.address, Failures.unwrap(error).getMessage());
        return false;
      }
      return true;
    });
  }

  /** Runs {@code task} on the engine thread; network events count against the queue bound. */
  private boolean post(Runnable task, boolean network) {
    if (network && queued.incrementAndGet() > MAX_QUEUED_EVENTS) {
      queued.decrementAndGet();
      return false;
    }
    try {
      engine.execute(() -> {
        if (network) {
          queued.decrementAndGet();
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("file transfer event failed", e);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      if (network) {
        queued.decrementAndGet();
      }
      return false;
    }
  }

  /** Runs {@code task} on the engine thread and waits for it (commands); {@code busy} if it cannot. */
  private <T> T onEngine(Callable<T> task, T busy) {
    Future<T> f;
    try {
      f = engine.submit(task);
    } catch (RejectedExecutionException e) {
      return busy;
    }
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return busy;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("file transfer command failed", e);
      return busy;
    }
  }

  private synchronized void drop(String what) {
    long second = System.nanoTime() / 1_000_000_000L;
    if (second != logSecond) {
      logSecond = second;
      loggedThisSecond = 0;
    }
    if (loggedThisSecond++ >= LOG_LINES_PER_SECOND) {
      heldBack++;
      return;
    }
    log.warn("dropped {}{}", what, heldBack > 0 ? " (" + heldBack + " earlier ones not logged)" : "");
    heldBack = 0;
  }

  private static void closeQuietly(Job job) {
    if (job.incoming != null) {
      job.incoming.close();
    }
    if (job.outgoing != null) {
      closeQuietly(job.outgoing);
    }
  }

  private static void closeQuietly(Outgoing outgoing) {
    try {
      outgoing.close();
    } catch (IOException e) {
      log.debug("closing a file being sent", e);
    }
  }

  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String rate(double bytesPerSecond) {
    return size((long) bytesPerSecond) + "/s";
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
