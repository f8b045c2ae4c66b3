package org.p2pchat.bench.internal;

/**
 * A correctness check made while measuring (every message sent was received, a process started, ...).
 * A failed check makes the run's figures suspect and the command's exit code 1. Immutable.
 */
public record Check(String name, boolean ok, String detail) {}
