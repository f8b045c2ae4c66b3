package org.p2pchat.peer.internal;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a command uses. {@code system} is true only for the real process: then a terminal
 * is looked for on stdin and SIGINT/SIGTERM are handled; tests pass false and get plain, signal-free runs.
 */
public record Streams(InputStream in, PrintStream out, PrintStream err, boolean system) {}
