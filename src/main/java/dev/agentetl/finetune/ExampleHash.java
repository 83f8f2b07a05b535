package dev.agentetl.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Hashes: of an example's normalised messages (duplicates, MurmurHash3), and of a conversation id (the split,
 * SHA-256, so the split stays the same across versions and platforms).
 * Normalised: whitespace runs in texts collapsed and trimmed, weights left out, and tool call ids replaced
 * by their order of appearance, since two recordings of the same exchange get different random ids.
 */
final class ExampleHash {

    private ExampleHash() {
    }

    /** The 128-bit MurmurHash3 of the normalised messages, as a UUID (the key of the seen-examples table). */
    static UUID of(Example example) {
        Bytes b = BYTES.get();
        b.length = 0;
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode m : example.messages()) {
            b.text(m.path("role").asText());
            b.normalised(m.path("content"));
            for (JsonNode call : m.path("tool_calls")) {
                b.text("call#" + ids.computeIfAbsent(call.path("id").asText(), k -> ids.size()));
                b.text(call.path("function").path("name").asText());
                b.normalised(call.path("function").path("arguments"));
            }
            if (m.has("tool_call_id")) b.text("reply#" + ids.computeIfAbsent(m.get("tool_call_id").asText(), k -> ids.size()));
            b.add((byte) 1);
        }
        long[] h = MurmurHash3.hash128x64(b.data, 0, b.length, 0x5eed);
        if (b.data.length > 1 << 20) b.data = new byte[8192]; // do not keep a huge example's buffer
        return new UUID(h[0], h[1]);
    }

    /** A growable byte buffer per thread that texts are written into, normalised, before hashing. */
    private static final class Bytes {
        byte[] data = new byte[8192];
        int length;

        void add(byte x) {
            if (length == data.length) data = java.util.Arrays.copyOf(data, data.length * 2);
            data[length++] = x;
        }

        void text(String s) {
            ensure(s.length() * 3 + 1);
            for (int i = 0; i < s.length(); i++) chr(s.charAt(i));
            data[length++] = 0;
        }

        /**
         * The text with whitespace runs collapsed to one space and trimmed; JSON null as a marker. A long text
         * (a system prompt, a tool result) goes in as the hash of its normalised form, remembered per thread:
         * recorded calls repeat the same long texts, and hashing them once is enough to tell examples apart.
         */
        void normalised(JsonNode text) {
            if (text == null || text.isMissingNode() || text.isNull()) {
                text("\u0000null");
                return;
            }
            String t = text.asText();
            if (t.length() < LONG_TEXT) {
                normalised(t);
                return;
            }
            long[] h = LONG_TEXTS.get().get(t);
            if (h == null) {
                Bytes scratch = new Bytes();
                scratch.normalised(t);
                h = MurmurHash3.hash128x64(scratch.data, 0, scratch.length, 0x7e47);
                LONG_TEXTS.get().put(t, h);
            }
            ensure(18);
            data[length++] = (byte) 0xFE; // never starts a character's bytes: see chr
            for (long x : h) {
                for (int k = 56; k >= 0; k -= 8) data[length++] = (byte) (x >>> k);
            }
            data[length++] = 0;
        }

        void normalised(String t) {
            ensure(t.length() * 3 + 1);
            boolean space = false, started = false;
            for (int i = 0; i < t.length(); i++) {
                char ch = t.charAt(i);
                if (ch <= ' ' ? Character.isWhitespace(ch) : ch >= 0x80 && Character.isWhitespace(ch)) {
                    space = started;
                    continue;
                }
                if (space) data[length++] = ' ';
                space = false;
                started = true;
                chr(ch);
            }
            data[length++] = 0;
        }

        private void ensure(int more) {
            if (length + more > data.length) data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, length + more));
        }

        /** One UTF-16 unit; the caller has made room for three bytes. */
        private void chr(char ch) {
            if (ch < 0x80) {
                data[length++] = (byte) ch;
            } else { // the UTF-16 unit as three bytes: only equality matters here
                data[length++] = (byte) 0xFF;
                data[length++] = (byte) (ch >> 8);
                data[length++] = (byte) ch;
            }
        }
    }

    private static final ThreadLocal<Bytes> BYTES = ThreadLocal.withInitial(Bytes::new);

    /** Texts at least this long are hashed once and then stand in the example's bytes as their hash. */
    private static final int LONG_TEXT = 256;

    /** The normalised hashes of the long texts seen last, per thread (bounded). */
    private static final ThreadLocal<Map<String, long[]>> LONG_TEXTS = ThreadLocal.withInitial(() ->
            new java.util.LinkedHashMap<>(2048, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                    return size() > 1024;
                }
            });

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
