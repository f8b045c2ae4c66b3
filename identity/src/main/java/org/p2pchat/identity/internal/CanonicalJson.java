package org.p2pchat.identity.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityException.Reason;

/**
 * The canonical JSON form that signatures cover: RFC 8785 (JCS) restricted to the values our messages carry —
 * objects, arrays, strings, integers, booleans and null; no fractions. Object members sorted by key (UTF-16 code
 * units), no whitespace, strings with only {@code "} {@code \} and control characters escaped (as \b \t \n \f \r
 * or lower-case \\u00xx), everything else written as UTF-8. Not API.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    public static String write(Object value) throws IdentityException {
        StringBuilder b = new StringBuilder(256);
        value(b, value, 0);
        return b.toString();
    }

    private static void value(StringBuilder b, Object v, int depth) throws IdentityException {
        if (depth > 32) {
            throw new IdentityException(Reason.MALFORMED, "signed message nested too deeply");
        }
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean x) {
            b.append(x.booleanValue());
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            b.append(v.toString());
        } else if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>(m.size());
            for (Object k : m.keySet()) {
                if (!(k instanceof String ks)) {
                    throw new IdentityException(Reason.MALFORMED, "signed message: non-string key");
                }
                keys.add(ks);
            }
            Collections.sort(keys);
            b.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, keys.get(i));
                b.append(':');
                value(b, m.get(keys.get(i)), depth + 1);
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                value(b, l.get(i), depth + 1);
            }
            b.append(']');
        } else {
            throw new IdentityException(Reason.MALFORMED, "signed message: unsupported value type "
                    + v.getClass().getSimpleName() + " (only integers, strings, booleans, null, arrays, objects)");
        }
    }

    private static void string(StringBuilder b, String s) throws IdentityException {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    b.append(c).append(s.charAt(++i));
                    continue;
                }
                throw new IdentityException(Reason.MALFORMED, "signed message: lone surrogate in a string");
            }
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
