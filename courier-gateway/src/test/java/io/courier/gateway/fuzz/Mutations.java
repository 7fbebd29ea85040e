package io.courier.gateway.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Mutations of valid inputs for the decoders' fuzz tests: a valid frame with a few characters or
 * bytes inserted, deleted, replaced or repeated finds far more of a decoder's edges than random
 * noise. The Random comes from jqwik, so a failing input is reproduced from its seed.
 */
public final class Mutations {
    /** Characters that matter to JSON and to line protocols, and some that should never appear. */
    private static final String INTERESTING = "{}[]\":,\\ \t\n\r0123456789-+.eE/\u0000\u0001\u007f\u00e9\u4e2d\ud83d\ude00";

    /** Values put in place of a JSON value: wrong types, edges of ranges, ids as strings. */
    private static final String[] VALUES = {"null", "true", "0", "-1", "1.5", "1e400", "18446744073709551615",
            "18446744073709551616", "9223372036854775808", "\"\"", "\"7\"", "\"-7\"", "\"x\"", "[]", "{}", "[1,\"2\"]",
            "{\"a\":{\"b\":[]}}", "\"" + "y".repeat(5000) + "\"", "\"\\ud800\"", "\"a\\u0000b\""};

    private Mutations() {
    }

    public static String mutate(String seed, Random r) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
            switch (r.nextInt(10)) {
                case 6, 7, 8, 9 -> replaceValue(s, at, VALUES[r.nextInt(VALUES.length)]); // the JSON stays JSON, mostly
                case 0 -> s.insert(at, INTERESTING.charAt(r.nextInt(INTERESTING.length())));
                case 1 -> s.insert(at, (char) r.nextInt(0x3000));
                case 2 -> {
                    if (at < s.length()) {
                        s.deleteCharAt(at);
                    }
                }
                case 3 -> {
                    if (at < s.length()) {
                        s.setCharAt(at, INTERESTING.charAt(r.nextInt(INTERESTING.length())));
                    }
                }
                case 4 -> { // repeat a piece: deep nesting, long numbers, long strings
                    int end = Math.min(s.length(), at + 1 + r.nextInt(8));
                    String piece = s.substring(Math.min(at, end), end);
                    s.insert(at, piece.repeat(1 + r.nextInt(200)));
                }
                default -> s.setLength(Math.min(s.length(), at)); // cut short
            }
        }
        return s.toString();
    }

    /** Replaces the JSON value after the first ':' at or after {@code from} (up to its ',' or '}'). */
    private static void replaceValue(StringBuilder s, int from, String value) {
        int colon = s.indexOf(":", from);
        if (colon < 0) {
            colon = s.indexOf(":");
        }
        if (colon < 0) {
            return;
        }
        int end = colon + 1;
        int depth = 0;
        boolean quoted = false;
        while (end < s.length()) {
            char c = s.charAt(end);
            if (quoted) {
                quoted = c != '"' || s.charAt(end - 1) == '\\';
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
            end++;
        }
        s.replace(colon + 1, end, value);
    }

    public static byte[] mutate(byte[] seed, Random r) {
        byte[] out = seed.clone();
        int edits = 1 + r.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = out.length == 0 ? 0 : r.nextInt(out.length + 1);
            switch (r.nextInt(4)) {
                case 0 -> out = insert(out, at, (byte) r.nextInt(256));
                case 1 -> {
                    if (at < out.length) {
                        out[at] = (byte) r.nextInt(256);
                    }
                }
                case 2 -> {
                    if (at < out.length) {
                        out[at] = (byte) (out[at] ^ (1 << r.nextInt(8)));
                    }
                }
                default -> out = java.util.Arrays.copyOf(out, Math.min(out.length, at));
            }
        }
        return out;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] bytes, int at, byte b) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
        return out;
    }
}
