package dev.agentetl.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The application's settings: documented defaults from {@code application.properties}, overridden by
 * environment variables (key upper-cased, every other character as {@code _}:
 * {@code agent-etl.db.url} is {@code AGENT_ETL_DB_URL}) and then by {@code -D} system properties.
 */
public final class AppConfig {

    private final Properties values;

    private AppConfig(Properties values) {
        this.values = values;
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        for (String key : values.stringPropertyNames()) settings.put(key, values.getProperty(key));
        Secrets.learn(settings); // so that a secret is masked wherever it turns up in text agent-etl writes
    }

    /** Loads the defaults and applies the process environment and system properties. */
    public static AppConfig load() {
        return load(System.getenv(), System.getProperties());
    }

    static AppConfig load(Map<String, String> env, Properties system) {
        Properties merged = new Properties();
        try (InputStream in = AppConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                merged.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties: " + e.getMessage(), e);
        }
        for (String key : merged.stringPropertyNames().toArray(String[]::new)) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                merged.setProperty(key, fromEnv);
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("agent-etl.") || key.startsWith("camel.")) {
                merged.setProperty(key, system.getProperty(key));
            }
        }
        return new AppConfig(merged);
    }

    /** A copy with some keys replaced (used by tests and by commands with options). */
    public AppConfig with(Map<String, String> overrides) {
        Properties copy = new Properties();
        copy.putAll(values);
        overrides.forEach(copy::setProperty);
        return new AppConfig(copy);
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public String get(String key) {
        String value = values.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("missing configuration key " + key);
        }
        return value.trim();
    }

    public String get(String key, String fallback) {
        String value = values.getProperty(key);
        return value == null ? fallback : value.trim();
    }

    public int getInt(String key) {
        String value = get(key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("configuration key " + key + " must be a whole number, got '" + value + "'");
        }
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    /** The folder relative paths in the configuration are resolved against. */
    public Path home() {
        String home = get("agent-etl.home", "");
        return (home.isEmpty() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    /** A configured path, resolved against {@link #home()} when relative. */
    public Path path(String key) {
        return home().resolve(get(key)).normalize();
    }

    /**
     * Every setting, for logs and system_events: the values of secret keys masked, and the password inside a
     * URL ({@code agent-etl.db.url}, {@code agent-etl.<group>.db.url}); see {@link Secrets}.
     */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        for (String key : values.stringPropertyNames()) {
            if (!key.startsWith("agent-etl.")) {
                continue;
            }
            String value = values.getProperty(key);
            out.put(key, Secrets.describe(key, value));
        }
        return out;
    }

    /** The keys under a prefix (with the prefix removed) and their values, sorted by key. */
    public Map<String, String> under(String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (String key : values.stringPropertyNames()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                out.put(key.substring(prefix.length()), values.getProperty(key).trim());
            }
        }
        return out;
    }

    /** All settings as properties, for Camel's property placeholders. */
    public Properties asProperties() {
        Properties copy = new Properties();
        copy.putAll(values);
        return copy;
    }
}
