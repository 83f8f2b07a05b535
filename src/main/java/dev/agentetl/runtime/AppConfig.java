package dev.agentetl.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The application's settings, in layers, each overriding the ones before it:
 * <ol>
 *   <li>the documented defaults, {@code application.properties} in the jar;</li>
 *   <li>{@code conf/agent-etl.properties} of the install folder ({@code agent-etl.install-dir});</li>
 *   <li>{@code agent-etl.properties} in the home folder ({@code agent-etl.home}, where data and exports go);</li>
 *   <li>the files given with {@code --config}, in their order;</li>
 *   <li>environment variables (see {@link EnvKeys} for how a name becomes a key);</li>
 *   <li>{@code -D} system properties, then what a command sets itself.</li>
 * </ol>
 * So the command line beats the environment, which beats the files, which beat the defaults.
 */
public final class AppConfig {

    /** The file of each install folder's {@code conf/} and of each home folder. */
    public static final String FILE_NAME = "agent-etl.properties";

    private final Properties values;
    private final Sources sources;
    private final List<Path> files;

    /** What a configuration was built from, so that it can be built again with more files or overrides. */
    private record Sources(Map<String, String> env, Properties system, List<Path> configFiles, Map<String, String> overrides) {
    }

    private AppConfig(Properties values, Sources sources, List<Path> files) {
        this.values = values;
        this.sources = sources;
        this.files = List.copyOf(files);
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        for (String key : values.stringPropertyNames()) settings.put(key, values.getProperty(key));
        Secrets.learn(settings); // so that a secret is masked wherever it turns up in text agent-etl writes
    }

    /** Loads the defaults and the files found, and applies the process environment and system properties. */
    public static AppConfig load() {
        return load(System.getenv(), System.getProperties());
    }

    static AppConfig load(Map<String, String> env, Properties system) {
        return build(new Sources(Map.copyOf(env), copyOf(system), List.of(), Map.of()));
    }

    /** This configuration with {@code --config} files added after the files it has (and before the environment). */
    public AppConfig withConfigFiles(List<Path> configFiles) {
        if (configFiles.isEmpty()) return this;
        List<Path> all = new ArrayList<>(sources.configFiles());
        all.addAll(configFiles);
        return build(new Sources(sources.env(), sources.system(), all, sources.overrides()));
    }

    /** A copy with some keys replaced, above every other layer (used by tests and by commands with options). */
    public AppConfig with(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(sources.overrides());
        all.putAll(overrides);
        return build(new Sources(sources.env(), sources.system(), sources.configFiles(), all));
    }

    private static AppConfig build(Sources s) {
        Properties defaults = new Properties();
        try (InputStream in = AppConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties: " + e.getMessage(), e);
        }
        Properties system = new Properties();
        for (String key : s.system().stringPropertyNames()) {
            if (key.startsWith("agent-etl.") || key.startsWith("camel.")) {
                system.setProperty(key, s.system().getProperty(key));
            }
        }
        List<Properties> explicit = new ArrayList<>();
        for (Path file : s.configFiles()) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configuration file not found: " + file);
            }
            explicit.add(read(file));
        }
        // the layers above the files, as far as they are known before the environment is mapped to keys
        Map<String, String> envByName = EnvKeys.byKey(s.env(), defaults.stringPropertyNames());
        // the install folder (set by the launcher) holds conf/; the home folder may hold a file of its own
        Path cwd = Path.of("").toAbsolutePath();
        String installDir = firstOf("agent-etl.install-dir", s.overrides(), system, envByName, reversed(explicit), defaults);
        String homeBeforeFiles = firstOf("agent-etl.home", s.overrides(), system, envByName, List.of(), defaults);
        Path install = installDir.isBlank()
                ? (homeBeforeFiles.isBlank() ? cwd : cwd.resolve(homeBeforeFiles.trim()).normalize())
                : cwd.resolve(installDir.trim()).normalize();
        List<Path> read = new ArrayList<>();
        Properties installConf = readIfPresent(install.resolve("conf").resolve(FILE_NAME), read);
        List<Properties> belowHome = new ArrayList<>(explicit);
        belowHome.add(0, installConf);
        String home = firstOf("agent-etl.home", s.overrides(), system, envByName, reversed(belowHome), defaults);
        Path homeFolder = cwd.resolve(home.trim()).normalize();
        Path homeFile = homeFolder.resolve(FILE_NAME);
        Properties homeConf = new Properties();
        if (!s.configFiles().stream().map(p -> p.toAbsolutePath().normalize()).toList().contains(homeFile)) {
            homeConf = readIfPresent(homeFile, read);
            // the home folder is found before its file is read: a home set inside it would be a different folder
            homeConf.remove("agent-etl.home");
        }
        s.configFiles().forEach(f -> read.add(f.toAbsolutePath().normalize()));

        Properties merged = new Properties();
        merged.putAll(defaults);
        merged.putAll(installConf);
        merged.putAll(homeConf);
        explicit.forEach(merged::putAll);
        // environment variables map to the keys known by now first, so AGENT_ETL_SCHEDULE_REFRESH_STATS_CRON finds
        // agent-etl.schedule.refresh-stats.cron, and a key a file introduced can be overridden the same way
        merged.putAll(EnvKeys.byKey(s.env(), merged.stringPropertyNames()));
        merged.putAll(system);
        merged.putAll(s.overrides());
        return new AppConfig(merged, s, read);
    }

    private static String firstOf(String key, Map<String, String> overrides, Properties system, Map<String, String> env,
                                  List<Properties> filesHighestFirst, Properties defaults) {
        if (overrides.containsKey(key)) return overrides.get(key);
        if (system.getProperty(key) != null) return system.getProperty(key);
        if (env.containsKey(key)) return env.get(key);
        for (Properties file : filesHighestFirst) {
            if (file.getProperty(key) != null) return file.getProperty(key);
        }
        return defaults.getProperty(key, "");
    }

    private static List<Properties> reversed(List<Properties> layers) {
        List<Properties> copy = new ArrayList<>(layers);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private static Properties readIfPresent(Path file, List<Path> read) {
        if (!Files.isRegularFile(file)) return new Properties();
        read.add(file);
        return read(file);
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            // no cause: the one-line reason of a failure is its root cause's message, and this one names the file
            throw new IllegalStateException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        return p;
    }

    private static Properties copyOf(Properties p) {
        Properties copy = new Properties();
        for (String key : p.stringPropertyNames()) copy.setProperty(key, p.getProperty(key));
        return copy;
    }

    /** The configuration files this configuration read, lowest precedence first. */
    public List<Path> files() {
        return files;
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

    /** The folder relative paths in the configuration are resolved against: data, exports, the inbox. */
    public Path home() {
        String home = get("agent-etl.home", "");
        return (home.isEmpty() ? Path.of("") : Path.of(home)).toAbsolutePath().normalize();
    }

    /** The folder the programs, routes and migrations were installed in (by default the home folder). */
    public Path installDir() {
        String install = get("agent-etl.install-dir", "");
        return install.isEmpty() ? home() : Path.of(install).toAbsolutePath().normalize();
    }

    /** A configured path, resolved against {@link #home()} when relative. */
    public Path path(String key) {
        return home().resolve(get(key)).normalize();
    }

    /** A configured path of what comes with the install (routes, migrations), resolved against {@link #installDir()}. */
    public Path installedPath(String key) {
        return installDir().resolve(get(key)).normalize();
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
