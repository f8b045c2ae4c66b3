package org.p2pchat.filetransfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a file name received from someone else into a name that is safe to create in the downloads directory, and
 * puts finished files in place without ever overwriting one. Stateless.
 *
 * <p>{@link #sanitize} keeps only the last path component (so {@code ../../etc/passwd} becomes {@code passwd}),
 * drops drive letters, control and invisible format characters (NUL, bidi overrides), replaces characters Windows
 * forbids, strips leading dots (no hidden files, no clash with our {@code .part} files) and trailing dots and
 * spaces, prefixes Windows device names ({@code CON}, {@code NUL}, {@code COM1}, ... also with an extension) with
 * {@code _}, and bounds the length to {@link #MAX_NAME_BYTES} UTF-8 bytes, keeping the extension. A name with
 * nothing left becomes {@code file}.
 */
public final class SafeFileNames {
  /** Longest safe name in UTF-8 bytes: leaves room for " (9999)" and the ".part" decoration under 255. */
  public static final int MAX_NAME_BYTES = 200;
  /** Name used when nothing usable is left. */
  public static final String FALLBACK = "file";
  private static final int MAX_EXTENSION = 16;
  private static final int MAX_COPIES = 9999;
  private static final Set<String> DEVICES = Set.of("CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
      "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
      "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

  private SafeFileNames() {
  }

  /** A safe single-component file name for {@code received}; never empty, never a path. */
  public static String sanitize(String received) {
    String s = received == null ? "" : Normalizer.normalize(received, Normalizer.Form.NFC);
    int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
    s = s.substring(cut + 1);
    if (s.length() >= 2 && s.charAt(1) == ':' && isAsciiLetter(s.charAt(0))) {
      s = s.substring(2); // "C:x" is relative to drive C's current directory on Windows
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || isInvisible(cp)) {
        return;
      }
      if ("<>:\"|?*".indexOf(cp) >= 0) {
        b.append('_');
      } else {
        b.appendCodePoint(cp);
      }
    });
    s = b.toString().strip();
    int start = 0;
    while (start < s.length() && s.charAt(start) == '.') {
      start++;
    }
    int end = s.length();
    while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
      end--;
    }
    s = s.substring(start, end);
    if (s.isEmpty()) {
      return FALLBACK;
    }
    int dot = s.indexOf('.');
    String stem = (dot < 0 ? s : s.substring(0, dot)).strip().toUpperCase(Locale.ROOT);
    if (DEVICES.contains(stem)) {
      s = "_" + s;
    }
    return bound(s, MAX_NAME_BYTES);
  }

  /** {@code name} with " (n)" before its extension: {@code photo.jpg} → {@code photo (2).jpg}. */
  public static String numbered(String name, int n) {
    if (n == 0) {
      return name;
    }
    String[] parts = split(name);
    return parts[0] + " (" + n + ")" + parts[1];
  }

  /**
   * Puts {@code source} (a finished file in {@code dir}) in place as {@code safeName}, or {@code safeName (1)},
   * {@code (2)}, ... whichever is free first; returns the path used. Never replaces an existing file: the final
   * name is claimed atomically (a hard link, or where links are not supported an exclusive create followed by an
   * atomic move onto the file we just created), so two finishing transfers cannot pick the same name.
   */
  public static Path publish(Path source, Path dir, String safeName) throws IOException {
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(source.toString());
    }
    for (int n = 0; n <= MAX_COPIES; n++) {
      Path target = dir.resolve(numbered(safeName, n));
      try {
        Files.createLink(target, source);
        Files.delete(source);
        return target;
      } catch (FileAlreadyExistsException taken) {
        continue;
      } catch (UnsupportedOperationException | FileSystemException noLinks) {
        Path reserved = reserve(target);
        if (reserved == null) {
          continue;
        }
        try {
          Files.move(source, reserved, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          Files.deleteIfExists(reserved); // never leave an empty file under the name
          throw e;
        }
        return reserved;
      }
    }
    throw new FileAlreadyExistsException(dir.resolve(safeName).toString(), null,
        "more than " + MAX_COPIES + " files of that name");
  }

  /**
   * Creates an empty new file {@code safeName} or the first free {@code safeName (n)} in {@code dir} and returns
   * it: the exclusive create is the claim on the name.
   */
  public static Path createUnique(Path dir, String safeName) throws IOException {
    for (int n = 0; n <= MAX_COPIES; n++) {
      Path reserved = reserve(dir.resolve(numbered(safeName, n)));
      if (reserved != null) {
        return reserved;
      }
    }
    throw new FileAlreadyExistsException(dir.resolve(safeName).toString(), null,
        "more than " + MAX_COPIES + " files of that name");
  }

  private static Path reserve(Path target) throws IOException {
    try {
      return Files.createFile(target);
    } catch (FileAlreadyExistsException taken) {
      return null;
    }
  }

  /** Cuts {@code name} to at most {@code maxBytes} UTF-8 bytes, keeping a short extension whole. */
  static String bound(String name, int maxBytes) {
    if (utf8Length(name) <= maxBytes) {
      return name;
    }
    String[] parts = split(name);
    String ext = parts[1];
    if (ext.length() > MAX_EXTENSION + 1 || utf8Length(ext) >= maxBytes / 2) {
      ext = "";
      parts[0] = name;
    }
    int budget = maxBytes - utf8Length(ext);
    StringBuilder stem = new StringBuilder();
    int used = 0;
    for (int i = 0; i < parts[0].length(); ) {
      int cp = parts[0].codePointAt(i);
      int len = utf8Length(new String(Character.toChars(cp)));
      if (used + len > budget) {
        break;
      }
      stem.appendCodePoint(cp);
      used += len;
      i += Character.charCount(cp);
    }
    String cut = stem.toString().stripTrailing();
    while (cut.endsWith(".")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return (cut.isEmpty() ? FALLBACK : cut) + ext;
  }

  /** {stem, extension-with-dot}; a name starting with its only dot has no extension. */
  private static String[] split(String name) {
    int dot = name.lastIndexOf('.');
    if (dot <= 0) {
      return new String[] {name, ""};
    }
    return new String[] {name.substring(0, dot), name.substring(dot)};
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.SURROGATE
        || type == Character.PRIVATE_USE || cp == 0x2028 || cp == 0x2029;
  }
}
