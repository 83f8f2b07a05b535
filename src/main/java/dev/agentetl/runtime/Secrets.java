package dev.agentetl.runtime;

import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must never be stored or printed: the values of secret settings (passwords, tokens, keys) and a
 * password written inside a JDBC URL ({@code ?password=...}, {@code user:password@host}). Everything
 * agent-etl writes about itself (system_events, job_runs, the one-line reasons on stderr) goes through
 * {@link #scrub}.
 */
public final class Secrets {

    static final String MASK = "********";

    /** A URL parameter whose name ends in "password" (password, sslpassword): its value up to the next separator. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;][a-z_.-]*password=)[^&;\\s'\"]*");
    /** user:password@ in the authority of a URL. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s'\"]*:)[^/@\\s'\"]+@");
    /** The last segment of a key that names a secret: password, db-password, secret, token, api-key, credentials ... */
    private static final Pattern SECRET_SEGMENT = Pattern.compile(
            "(.*[-_])?(password|passwd|pwd|passphrase|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)");
    /** Values shorter than this are masked where their key says so, but not looked for in free text (too common). */
    private static final int MIN_SCRUBBED_LENGTH = 4;

    /** Secret values of the configurations this process has loaded, longest first. */
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /**
     * Whether a setting holds a secret: its last segment names one ({@code agent-etl.db.password},
     * {@code ...api-key}, {@code ...token}); a count of tokens ({@code max-tokens}) is not one. The redaction
     * rules of finetune are named by their users ({@code ...redaction.rule.api_key}): their values are regexes.
     */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.startsWith("agent-etl.finetune.redaction.")) {
            return false;
        }
        String last = k.substring(k.lastIndexOf('.') + 1);
        return SECRET_SEGMENT.matcher(last).matches();
    }

    /** A URL with the password parameters and the password of {@code user:password@} masked. */
    public static String maskUrl(String url) {
        if (url == null || url.isEmpty()) return url;
        String masked = URL_PASSWORD.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return USER_INFO.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    }

    /** How a setting is shown: a secret's value masked, a URL's password masked, anything else as it is. */
    public static String describe(String key, String value) {
        if (value == null || value.isEmpty()) return value;
        if (isSecretKey(key)) return MASK;
        return maskUrl(value);
    }

    /** Remembers the secret values of a configuration, so that {@link #scrub} finds them in any text. */
    static void learn(java.util.Map<String, String> settings) {
        settings.forEach((key, value) -> {
            if (value == null || value.isBlank()) return;
            if (isSecretKey(key)) {
                remember(value.trim());
            }
            Matcher m = Pattern.compile("(?i)[?&;][a-z_.-]*password=([^&;\\s]+)").matcher(value);
            while (m.find()) remember(m.group(1));
            Matcher u = Pattern.compile("//[^/@:\\s]*:([^/@\\s]+)@").matcher(value);
            while (u.find()) remember(u.group(1));
        });
    }

    private static void remember(String secret) {
        if (secret.length() >= MIN_SCRUBBED_LENGTH) {
            KNOWN.add(secret);
            // a URL may carry the password percent-encoded, and a message may show it either way
            String decoded = java.net.URLDecoder.decode(secret.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            if (decoded.length() >= MIN_SCRUBBED_LENGTH) KNOWN.add(decoded);
        }
    }

    /** Text as it may be stored or printed: URL passwords and every known secret value masked. */
    public static String scrub(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = maskUrl(text);
        if (KNOWN.isEmpty()) return out;
        for (String secret : KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
