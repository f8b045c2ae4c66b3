package org.p2pchat.protocol.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.p2pchat.cli.ExitCode;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.Violation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code validate} verb: checks files (or standard input) as protocol messages, one message each. */
@Command(name = "validate",
    description = {
        "Validates each FILE as one p2pchat protocol message (version 1): UTF-8, one JSON object, "
            + "the envelope, a known msgtype and that type's msgdata schema.",
        "Prints 'FILE: OK', or one line 'FILE: POINTER: KEYWORD: MESSAGE' per violation."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every message is valid",
        "1:some message is invalid",
        "2:usage error, or a file could not be read"})
final class ValidateCommand implements Callable<Integer> {
  static final int EXIT_OK = ExitCode.OK;
  static final int EXIT_INVALID = ExitCode.PROBLEM;
  static final int EXIT_ERROR = ExitCode.ERROR;
  static final String STDIN = "-";
  static final String STDIN_LABEL = "(stdin)";
  /** 1 GiB: a bigger cap would not fit in one byte array anyway. */
  static final int MAX_MAX_BYTES = 1 << 30;

  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--max-bytes", paramLabel = "N",
      description = "Reject a message over N bytes (default: ${DEFAULT-VALUE}). "
          + "1024 shows what a 2018 receiver, which reads only 1,024 bytes, could not read.")
  private int maxBytes = MessageValidator.DEFAULT_MAX_BYTES;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "A file holding one message; - reads standard input.")
  private List<String> files;

  private final InputStream stdin;

  ValidateCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    if (maxBytes < 2 || maxBytes > MAX_MAX_BYTES) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--max-bytes must be from 2 to " + MAX_MAX_BYTES + ", got " + maxBytes);
    }
    MessageValidator validator = MessageValidator.withMaxBytes(maxBytes);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int exit = EXIT_OK;
    for (String file : files) {
      String label = STDIN.equals(file) ? STDIN_LABEL : file;
      List<Violation> violations;
      try {
        violations = STDIN.equals(file) ? validateStdin(validator) : validateFile(validator, file);
      } catch (IOException | InvalidPathException e) {
        err.println("validate: cannot read " + label + ": " + describe(e));
        exit = EXIT_ERROR;
        continue;
      }
      if (violations.isEmpty()) {
        out.println(label + ": OK");
      } else {
        for (Violation violation : violations) {
          out.println(label + ": " + violation);
        }
        exit = Math.max(exit, EXIT_INVALID);
      }
    }
    return exit;
  }

  private List<Violation> validateStdin(MessageValidator validator) throws IOException {
    byte[] bytes = stdin.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      // Count the rest without holding it, so the message can say how big the input was.
      long length = bytes.length + stdin.transferTo(OutputStream.nullOutputStream());
      return List.of(Violation.tooLarge(length, maxBytes));
    }
    return validator.validate(bytes).violations();
  }

  private List<Violation> validateFile(MessageValidator validator, String file) throws IOException {
    Path path = Path.of(file);
    if (Files.isDirectory(path)) {
      throw new IOException("is a directory");
    }
    long size = Files.size(path);
    if (size > maxBytes) {
      return List.of(Violation.tooLarge(size, maxBytes));
    }
    return validator.validate(Files.readAllBytes(path)).violations();
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
