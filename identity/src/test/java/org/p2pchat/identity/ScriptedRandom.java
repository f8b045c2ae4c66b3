package org.p2pchat.identity;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/** Randomness for tests: hands out the given byte strings in order, each to a request of exactly its length. */
final class ScriptedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient Deque<byte[]> script = new ArrayDeque<>();

    ScriptedRandom(String... hex) {
        for (String h : hex) {
            script.add(HexFormat.of().parseHex(h));
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] next = script.poll();
        if (next == null || next.length != bytes.length) {
            throw new IllegalStateException("script has no " + bytes.length + "-byte value next");
        }
        System.arraycopy(next, 0, bytes, 0, bytes.length);
    }
}
