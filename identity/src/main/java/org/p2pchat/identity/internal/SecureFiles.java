package org.p2pchat.identity.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityException.Reason;

/** Owner-only files: created 0600 in a 0700 directory, refused when group or others may read them. Not API. */
public final class SecureFiles {
    private static final Set<PosixFilePermission> GROUP_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private SecureFiles() {
    }

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Reads a whole owner-only file; null when it does not exist. */
    public static byte[] readPrivate(Path file, String what) throws IdentityException {
        if (Files.notExists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            throw new IdentityException(Reason.FILE_UNREADABLE, what + " " + file + " is not a regular file");
        }
        if (posix(file)) {
            Set<PosixFilePermission> perms;
            try {
                perms = Files.getPosixFilePermissions(file);
            } catch (IOException e) {
                throw new IdentityException(Reason.FILE_UNREADABLE, what + " " + file + " is unreadable: "
                        + e.getClass().getSimpleName());
            }
            if (perms.stream().anyMatch(GROUP_OTHERS::contains)) {
                throw new IdentityException(Reason.FILE_INSECURE_PERMISSIONS, what + " " + file
                        + " is accessible by group/others (mode " + PosixFilePermissions.toString(perms)
                        + "); run: chmod 600 " + file);
            }
        }
        try {
            if (Files.size(file) > 1 << 20) {
                throw new IdentityException(Reason.FILE_GARBAGE, what + " " + file + " is too large to be one");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (AccessDeniedException e) {
            throw new IdentityException(Reason.FILE_UNREADABLE, what + " " + file + " is unreadable: permission denied");
        } catch (IOException e) {
            throw new IdentityException(Reason.FILE_UNREADABLE, what + " " + file + " is unreadable: "
                    + e.getClass().getSimpleName());
        }
    }

    /** Creates the file exclusively, mode 0600 from the first byte on; false when it already exists. */
    public static boolean createPrivate(Path file, byte[] content, String what) throws IdentityException {
        try {
            ensurePrivateDir(file.toAbsolutePath().getParent());
            try (var ch = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), attrs(file, "rw-------"))) {
                ch.write(java.nio.ByteBuffer.wrap(content));
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new IdentityException(Reason.FILE_CANNOT_WRITE, "cannot create " + what + " " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** Replaces the file atomically with an owner-only one. */
    public static void replacePrivate(Path file, byte[] content, String what) throws IdentityException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            ensurePrivateDir(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-", ".new", attrs(dir, "rw-------"));
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IdentityException(Reason.FILE_CANNOT_WRITE, "cannot write " + what + " " + file + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static void ensurePrivateDir(Path dir) throws IOException {
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, attrs(dir, "rwx------"));
        }
    }

    private static FileAttribute<?>[] attrs(Path near, String perms) {
        return posix(near) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(perms))} : new FileAttribute<?>[0];
    }
}
