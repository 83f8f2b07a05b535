package dev.agentetl.archive;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * An order-free checksum of a set of keys: the sum, wrapping at 64 bits, of the first 8 bytes of each key's
 * MD5 (its text as PostgreSQL prints it). Computed by the database over the rows selected ({@link #SQL}) and
 * here over the keys read back from the files, so the two sides share nothing but the definition.
 */
final class KeyChecksum {

    /** The database's side, over a column {@code k}; a numeric sum, reduced to 64 bits by {@link #of(BigInteger)}. */
    static final String SQL = "coalesce(sum(('x' || substr(md5(k::text), 1, 16))::bit(64)::bigint), 0)";

    private final MessageDigest md5;
    private long sum;
    private long count;

    KeyChecksum() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(String key) {
        byte[] d = md5.digest(key.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xff);
        sum += v;
        count++;
    }

    long value() {
        return sum;
    }

    long count() {
        return count;
    }

    static long of(BigInteger databaseSum) {
        return databaseSum.longValue();
    }

    static String hex(long checksum) {
        return String.format("%016x", checksum);
    }
}
