package org.p2pchat.identity.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.p2pchat.identity.IdentityException;

class BytesTest {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.";

    /** The definition: accepted exactly when the URL decoder takes it and encoding its bytes gives it back. */
    private static byte[] byDefinition(String s) {
        byte[] b;
        try {
            b = Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).equals(s) ? b : null;
    }

    private static byte[] unb64(String s) {
        try {
            return Bytes.unb64("box", s);
        } catch (IdentityException e) {
            return null;
        }
    }

    @Test
    void unb64AcceptsExactlyTheCanonicalSpellingOnSeededMutations() {
        Random random = new Random(14);
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            StringBuilder s = new StringBuilder(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            switch (random.nextInt(5)) {
                case 0: // as encoded
                    break;
                case 1: // padded
                    s = new StringBuilder(Base64.getUrlEncoder().encodeToString(bytes));
                    break;
                case 2: // one character replaced, often the last (its unused bits)
                    if (s.length() > 0) {
                        int at = random.nextBoolean() ? s.length() - 1 : random.nextInt(s.length());
                        s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                    break;
                case 3: // cut
                    s.setLength(s.length() == 0 ? 0 : random.nextInt(s.length()));
                    break;
                default: // a character added
                    s.insert(random.nextInt(s.length() + 1), ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String text = s.toString();
            byte[] expected = byDefinition(text);
            assertArrayEquals(expected, unb64(text), text);
            if (expected != null) {
                accepted++;
            }
        }
        assertFalse(accepted < 50_000 || accepted > 150_000, "the mutations test both answers: " + accepted);
    }

    @Test
    void theUnusedBitsOfTheLastCharacterMustBeZero() {
        assertEquals(1, unb64("QQ").length);
        assertEquals(null, unb64("QR"));
        assertEquals(2, unb64("QUE").length);
        assertEquals(null, unb64("QUF"));
        assertEquals(null, unb64("QQ=="));
        assertEquals(0, unb64("").length);
    }
}
