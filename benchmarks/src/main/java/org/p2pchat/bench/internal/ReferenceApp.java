package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Launches a reference binary (server or peer) from its runnable jar, exactly as bin/p2pchat does. */
public final class ReferenceApp {
  /** The launcher's own JVM options: UTF-8 everywhere. */
  static final List<String> LAUNCHER_OPTIONS = List.of("-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8",
      "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8");

  private ReferenceApp() {}

  /** Starts {@code java -jar JAR VERB ARGS...}; its stderr goes to {@code logDir/NAME.stderr.log}. */
  public static ChildProcess start(String name, Path jar, String verb, List<String> args, Path logDir)
      throws IOException {
    return start(name, jar, verb, args, logDir, List.of());
  }

  /** As {@link #start(String, Path, String, List, Path)}, with more JVM options (e.g. an AppCDS archive). */
  public static ChildProcess start(String name, Path jar, String verb, List<String> args, Path logDir,
      List<String> jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaCommand());
    command.addAll(jvmOptions);
    command.addAll(LAUNCHER_OPTIONS);
    command.add("-jar");
    command.add(jar.toString());
    command.add(verb);
    command.addAll(args);
    return ChildProcess.start(name, command, logDir);
  }
}
