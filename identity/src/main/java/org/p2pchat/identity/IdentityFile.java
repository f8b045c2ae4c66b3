package org.p2pchat.identity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.SecureFiles;

/**
 * The file holding a long-term key pair. Format (UTF-8, LF):
 * <pre>
 * p2pchat-identity-v1
 * ed25519-seed BASE64URL(32-byte RFC 8032 seed)
 * </pre>
 * Created on first use with mode 0600 (its directory 0700 when created); refused, with a one-line message a CLI
 * prints as-is, when group/others may access it, when it cannot be read, or when it is not this format.
 */
public final class IdentityFile {
    static final String HEADER = "p2pchat-identity-v1";
    static final String SEED = "ed25519-seed ";
    /** Name of the known-peers file kept beside the identity file. */
    public static final String KNOWN_PEERS = "known_peers";

    private final Path path;
    private final IdentityKeyPair keyPair;
    private final boolean created;

    private IdentityFile(Path path, IdentityKeyPair keyPair, boolean created) {
        this.path = path;
        this.keyPair = keyPair;
        this.created = created;
    }

    /** {@code ~/.p2pchat/identity}. */
    public static Path defaultPath() {
        return Path.of(System.getProperty("user.home"), ".p2pchat", "identity");
    }

    /** Loads the identity, creating a new key pair from {@code random} when the file does not exist. */
    public static IdentityFile loadOrCreate(Path path, SecureRandom random) throws IdentityException {
        IdentityFile existing = loadIfPresent(path);
        if (existing != null) {
            return existing;
        }
        IdentityKeyPair kp = IdentityKeyPair.generate(random);
        String text = HEADER + "\n" + SEED + Bytes.b64(kp.seed()) + "\n";
        if (!SecureFiles.createPrivate(path, text.getBytes(StandardCharsets.UTF_8), "identity file")) {
            existing = loadIfPresent(path); // another process created it first: use theirs
            if (existing != null) {
                return existing;
            }
        }
        return new IdentityFile(path, kp, true);
    }

    /** Loads an existing identity; a missing file is {@link Reason#FILE_UNREADABLE}. */
    public static IdentityFile load(Path path) throws IdentityException {
        IdentityFile f = loadIfPresent(path);
        if (f == null) {
            throw new IdentityException(Reason.FILE_UNREADABLE, "identity file " + path + " does not exist");
        }
        return f;
    }

    private static IdentityFile loadIfPresent(Path path) throws IdentityException {
        byte[] raw = SecureFiles.readPrivate(path, "identity file");
        if (raw == null) {
            return null;
        }
        String[] lines = new String(raw, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 2 || !lines[0].strip().equals(HEADER) || !lines[1].startsWith(SEED)) {
            throw garbage(path);
        }
        try {
            byte[] seed = Bytes.unb64("seed", lines[1].substring(SEED.length()).strip(), IdentityKeyPair.SEED_LENGTH);
            return new IdentityFile(path, IdentityKeyPair.fromSeed(seed), false);
        } catch (IdentityException e) {
            throw garbage(path);
        }
    }

    private static IdentityException garbage(Path path) {
        return new IdentityException(Reason.FILE_GARBAGE, "identity file " + path
                + " is not a p2pchat identity (move it away to create a new one)");
    }

    public Path path() {
        return path;
    }

    public IdentityKeyPair keyPair() {
        return keyPair;
    }

    /** True when this call created the file (a CLI may print the new fingerprint). */
    public boolean created() {
        return created;
    }

    /** The known-peers file beside this identity. */
    public Path knownPeersPath() {
        Path dir = path.toAbsolutePath().getParent();
        return dir.resolve(KNOWN_PEERS);
    }
}
