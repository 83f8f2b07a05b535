package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Hashes: of an example's normalised messages (duplicates), and of a conversation id (the split).
 * Normalised: whitespace runs in texts collapsed and trimmed, weights left out, and tool call ids replaced
 * by their order of appearance, since two recordings of the same exchange get different random ids.
 */
final class ExampleHash {

    private ExampleHash() {
    }

    /** 128 bits of the SHA-256 of the normalised messages, as a UUID (the key of the seen-examples table). */
    static UUID of(Example example) {
        MessageDigest d = sha256();
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode m : example.messages()) {
            put(d, m.path("role").asText());
            putNormalised(d, m.path("content"));
            for (JsonNode call : m.path("tool_calls")) {
                put(d, "call#" + ids.computeIfAbsent(call.path("id").asText(), k -> ids.size()));
                put(d, call.path("function").path("name").asText());
                putNormalised(d, call.path("function").path("arguments"));
            }
            if (m.has("tool_call_id")) put(d, "reply#" + ids.computeIfAbsent(m.get("tool_call_id").asText(), k -> ids.size()));
            put(d, "\u0001");
        }
        ByteBuffer b = ByteBuffer.wrap(d.digest());
        return new UUID(b.getLong(), b.getLong());
    }

    /** Whether a conversation goes to validation: its hash, as a fraction of 2^64, is below the ratio. */
    static boolean isValidation(String conversationId, double ratio) {
        if (ratio <= 0) return false;
        return SPLIT_POINTS.get().computeIfAbsent(conversationId, ExampleHash::splitPoint) < ratio;
    }

    /** The conversation's place in [0, 1): its hash as a fraction of 2^53. Remembered per thread for the last few. */
    private static double splitPoint(String conversationId) {
        MessageDigest d = sha256();
        d.update(("split\u0000" + conversationId).getBytes(StandardCharsets.UTF_8));
        long h = ByteBuffer.wrap(d.digest()).getLong() >>> 11; // 53 bits: exact as a double
        return h / (double) (1L << 53);
    }

    private static final ThreadLocal<Map<String, Double>> SPLIT_POINTS = ThreadLocal.withInitial(() ->
            new java.util.LinkedHashMap<>(512, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
                    return size() > 256;
                }
            });

    /** Feeds the text with whitespace runs collapsed and trimmed, without building a new string. */
    private static void putNormalised(MessageDigest d, JsonNode text) {
        if (text == null || text.isMissingNode() || text.isNull()) {
            put(d, "\u0000null");
            return;
        }
        String t = text.asText();
        byte[] buf = BUFFER.get();
        int n = 0;
        boolean space = false, started = false;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (Character.isWhitespace(ch)) {
                space = started;
                continue;
            }
            if (n + 4 >= buf.length) {
                d.update(buf, 0, n);
                n = 0;
            }
            if (space) buf[n++] = ' ';
            space = false;
            started = true;
            if (ch < 0x80) {
                buf[n++] = (byte) ch;
            } else { // hash the UTF-16 units as two bytes: only equality matters here
                buf[n++] = (byte) 0xFF;
                buf[n++] = (byte) (ch >> 8);
                buf[n++] = (byte) ch;
            }
        }
        d.update(buf, 0, n);
        d.update((byte) 0);
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);

    private static void put(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
    }

    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** This thread's SHA-256, reset. */
    private static MessageDigest sha256() {
        MessageDigest d = DIGESTS.get();
        d.reset();
        return d;
    }
}
