package org.p2pchat.identity;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import org.p2pchat.identity.internal.Bytes;

/**
 * A small JMH-free micro benchmark of the identity core: nanoseconds per Ed25519 sign/verify, session seal/open, a
 * full in-memory handshake and a signed-request check. Single thread, wall time after a warm-up; for orientation,
 * not for assertions. {@code java -cp ... org.p2pchat.identity.IdentityBench [SECONDS-PER-OP]}.
 */
public final class IdentityBench {
    private IdentityBench() {
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        run(System.out, Duration.ofMillis((long) (seconds * 1000)));
    }

    /** Runs every measurement and prints one line each: wall and thread-CPU ns per operation. */
    public static void run(PrintStream out, Duration perOp) throws Exception {
        SecureRandom random = new SecureRandom();
        IdentityKeyPair alice = IdentityKeyPair.generate(random);
        IdentityKeyPair bob = IdentityKeyPair.generate(random);
        Endpoint aliceAt = new Endpoint("alice", "localhost", 30001);
        Endpoint bobAt = new Endpoint("bob", "localhost", 30002);
        Instant now = Instant.now();
        byte[] msg = new byte[128];
        byte[] sig = alice.sign(msg);
        Session[] s = handshake(alice, bob, aliceAt, bobAt, random, now);
        byte[] small = "{\"message\":\"Hello, bob. How are you today?\"}".getBytes(StandardCharsets.UTF_8);
        byte[] kb = new byte[1024];
        Session.Sealed[] ring = new Session.Sealed[1];
        FreshnessGuard guard = new FreshnessGuard(Duration.ofSeconds(60), Integer.MAX_VALUE);
        long[] counter = {0};

        measure(out, "ed25519.sign", perOp, () -> alice.sign(msg));
        measure(out, "ed25519.verify", perOp, () -> {
            if (!alice.publicKey().verify(msg, sig)) {
                throw new IllegalStateException("verify failed");
            }
        });
        measure(out, "session.seal+open(" + small.length + "B)", perOp, () -> {
            ring[0] = s[0].seal("CHAT_MESSAGE", small);
            s[1].open("CHAT_MESSAGE", ring[0].seq(), ring[0].box());
        });
        measure(out, "session.seal(" + small.length + "B)", perOp, () -> s[0].seal("CHAT_MESSAGE", small));
        Session[] s2 = handshake(alice, bob, aliceAt, bobAt, random, now);
        measure(out, "session.seal+open(1024B)", perOp, () -> {
            ring[0] = s2[0].seal("CHAT_MESSAGE", kb);
            s2[1].open("CHAT_MESSAGE", ring[0].seq(), ring[0].box());
        });
        measure(out, "handshake.full(3 msgs, both sides)", perOp,
                () -> handshake(alice, bob, aliceAt, bobAt, random, now));
        measure(out, "signed-request.sign+verify+fresh", perOp, () -> {
            String nonce = Bytes.b64(ByteBuffer.allocate(16).putLong(counter[0]++).array());
            Map<String, Object> m = SignedMessages.signRequest(alice, "EXIT_NETWORK", Map.of("peername", "alice"),
                    now, nonce);
            SignedMessages.verifyRequest(alice.publicKey(), "EXIT_NETWORK", m, guard, now);
        });
    }

    private static Session[] handshake(IdentityKeyPair alice, IdentityKeyPair bob, Endpoint aliceAt, Endpoint bobAt,
            SecureRandom random, Instant now) throws IdentityException {
        InitiatorHandshake a = InitiatorHandshake.start(alice, aliceAt, null, HandshakeConfig.DEFAULTS, random, now);
        ResponderHandshake b = ResponderHandshake.receive(bob, bobAt, aliceAt, a.requestFields(),
                HandshakeConfig.DEFAULTS, random);
        Handshake.InitiatorResult ar = a.onAccept(bobAt, b.accept(now), now);
        Handshake.Result br = b.onConfirm(aliceAt.name(), ar.confirmSig(), null, now);
        return new Session[] {ar.session(), br.session()};
    }

    private static void measure(PrintStream out, String name, Duration perOp, Op op) throws Exception {
        long warmEnd = System.nanoTime() + perOp.toNanos() / 2;
        while (System.nanoTime() < warmEnd) {
            op.run();
        }
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long n = 0;
        long cpuStart = cpu.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + perOp.toNanos();
        long t;
        do {
            for (int i = 0; i < 16; i++) {
                op.run();
            }
            n += 16;
            t = System.nanoTime();
        } while (t < end);
        double ns = (double) (t - start) / n;
        double cpuNs = (double) (cpu.getCurrentThreadCpuTime() - cpuStart) / n;
        out.println(String.format(Locale.ROOT, "%-36s %11.0f ns/op wall %11.0f ns/op cpu %9.0f ops/s (cpu)",
                name, ns, cpuNs, 1e9 / cpuNs));
    }
}
