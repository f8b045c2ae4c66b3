package org.p2pchat.identity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.SecureFiles;

/**
 * Trust on first use, like SSH's known_hosts: the first verified key seen for a name is pinned (and written to the
 * file beside the identity); a different key later is {@link Verdict.Kind#KEY_CHANGED} and is never accepted
 * silently — only {@link #acceptNewKey} replaces a pin. File format (UTF-8, mode 0600): lines
 * {@code BASE64URL-KEY SP NAME}; lines starting with {@code #} are comments. The server's key is pinned under a label
 * the caller chooses (e.g. {@code server@HOST:PORT}). Thread-safe.
 */
public final class KnownPeers {

    /** What a name's last contact showed, for {@code whois}. */
    public enum Status {
        /** Pinned key, and no contact this run contradicted it. */
        VERIFIED,
        /** Last contact was a 2018-style (plaintext, unauthenticated) peer. */
        UNVERIFIED,
        /** A verified key different from the pin was offered; not accepted. */
        CHANGED,
        /** Never seen. */
        UNKNOWN
    }

    /** The outcome of {@link #observeVerified}. */
    public record Verdict(Kind kind, IdentityKey pinned, IdentityKey offered) {
        public enum Kind { PINNED_NEW, MATCHES, KEY_CHANGED }

        public boolean accepted() {
            return kind != Kind.KEY_CHANGED;
        }
    }

    /** What {@code whois NAME} shows. Fingerprints are null when unknown. */
    public record Whois(String name, Status status, Fingerprint pinned, Fingerprint offered) {
        /** One line, e.g. {@code alice 3f2a-... verified}. */
        public String describe() {
            String n = Bytes.sanitise(name);
            return switch (status) {
                case VERIFIED -> n + " " + pinned + " verified";
                case UNVERIFIED -> n + (pinned == null ? "" : " " + pinned) + " unverified (2018 peer)";
                case CHANGED -> n + " " + pinned + " changed (offered " + offered + ")";
                case UNKNOWN -> n + (pinned == null ? "" : " " + pinned + " expected") + " unknown";
            };
        }
    }

    private record Pin(Fingerprint fingerprint, IdentityKey key) {
    }

    private final Path file;
    private final Map<String, Pin> pins = new TreeMap<>();
    private final Map<String, Status> last = new HashMap<>();
    private final Map<String, IdentityKey> offered = new HashMap<>();

    private KnownPeers(Path file) {
        this.file = file;
    }

    /** Opens (or, when absent, starts) the known-peers file. */
    public static KnownPeers open(Path file) throws IdentityException {
        KnownPeers k = new KnownPeers(file);
        byte[] raw = SecureFiles.readPrivate(file, "known-peers file");
        if (raw != null) {
            String[] lines = new String(raw, StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                try {
                    if (sp < 0) {
                        throw new IdentityException(Reason.MALFORMED, "no name");
                    }
                    IdentityKey key = IdentityKey.parse(line.substring(0, sp));
                    String name = line.substring(sp + 1);
                    checkName(name);
                    k.pins.put(name, new Pin(key.fingerprint(), key));
                } catch (IdentityException e) {
                    throw new IdentityException(Reason.FILE_GARBAGE, "known-peers file " + file + " line " + (i + 1)
                            + " is not 'KEY NAME' (" + e.getMessage() + ")");
                }
            }
        }
        return k;
    }

    /** A store that is never written (tests, or a peer run without an identity directory). */
    public static KnownPeers inMemory() {
        return new KnownPeers(null);
    }

    /** Pins {@code name} to whatever key has this fingerprint (e.g. {@code --server-key}); kept in memory until seen. */
    public synchronized void expect(String name, Fingerprint fingerprint) throws IdentityException {
        checkName(name);
        Pin p = pins.get(name);
        if (p != null && !p.fingerprint().equals(fingerprint)) {
            throw new IdentityException(Reason.PINNED_KEY_MISMATCH, "'" + Bytes.sanitise(name)
                    + "' is already pinned to " + p.fingerprint());
        }
        if (p == null) {
            pins.put(name, new Pin(fingerprint, null));
        }
    }

    /** Records a key that {@code name} just proved (handshake or signature verified). Pins it on first sight. */
    public synchronized Verdict observeVerified(String name, IdentityKey key) throws IdentityException {
        checkName(name);
        Pin p = pins.get(name);
        if (p == null || (p.key() == null && p.fingerprint().matches(key))) {
            pins.put(name, new Pin(key.fingerprint(), key));
            save();
            last.put(name, Status.VERIFIED);
            offered.remove(name);
            return new Verdict(p == null ? Verdict.Kind.PINNED_NEW : Verdict.Kind.MATCHES, key, key);
        }
        if (p.key() != null && p.key().equals(key)) {
            last.put(name, Status.VERIFIED);
            offered.remove(name);
            return new Verdict(Verdict.Kind.MATCHES, key, key);
        }
        last.put(name, Status.CHANGED);
        offered.put(name, key);
        return new Verdict(Verdict.Kind.KEY_CHANGED, p.key(), key);
    }

    /**
     * Records a 2018-style (unauthenticated) contact. Returns true when {@code name} is pinned: then the contact may
     * be an impostor and nothing it says may be shown as that peer's words.
     */
    public synchronized boolean observeUnverified(String name) {
        if (!pins.containsKey(name)) {
            last.put(name, Status.UNVERIFIED);
            return false;
        }
        return true;
    }

    /** The user's explicit decision to trust {@code key} for {@code name} from now on. */
    public synchronized void acceptNewKey(String name, IdentityKey key) throws IdentityException {
        checkName(name);
        pins.put(name, new Pin(key.fingerprint(), key));
        save();
        last.put(name, Status.VERIFIED);
        offered.remove(name);
    }

    /** The key most recently offered for {@code name} that differs from its pin, if any (for an accept command). */
    public synchronized Optional<IdentityKey> offeredKey(String name) {
        return Optional.ofNullable(offered.get(name));
    }

    public synchronized Optional<IdentityKey> pinned(String name) {
        Pin p = pins.get(name);
        return Optional.ofNullable(p == null ? null : p.key());
    }

    public synchronized Whois whois(String name) {
        Pin p = pins.get(name);
        Status s = last.getOrDefault(name, p != null && p.key() != null ? Status.VERIFIED : Status.UNKNOWN);
        IdentityKey o = offered.get(name);
        return new Whois(name, s, p == null ? null : p.fingerprint(), o == null ? null : o.fingerprint());
    }

    private void save() throws IdentityException {
        if (file == null) {
            return;
        }
        StringBuilder b = new StringBuilder("# p2pchat known peers: KEY NAME per line (first verified key per name)\n");
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            if (e.getValue().key() != null) {
                b.append(e.getValue().key().base64url()).append(' ').append(e.getKey()).append('\n');
            }
        }
        SecureFiles.replacePrivate(file, b.toString().getBytes(StandardCharsets.UTF_8), "known-peers file");
    }

    private static void checkName(String name) throws IdentityException {
        if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IdentityException(Reason.MALFORMED, "name is empty or has control characters");
        }
    }
}
