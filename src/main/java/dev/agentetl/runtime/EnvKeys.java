package dev.agentetl.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an environment variable names a configuration key. A key becomes a name by upper-casing it and writing
 * every other character as {@code _} ({@code agent-etl.db.pool-size} is {@code AGENT_ETL_DB_POOL_SIZE}); that loses
 * whether a {@code _} was a {@code .}, a {@code -} or a {@code _}, so a name is mapped back, in this order:
 * <ol>
 *   <li>a name that is a key itself ({@code agent-etl.…}, which {@code env} and container runtimes can set) is that key;</li>
 *   <li>the key whose name it is, among the keys known: the defaults' and those of the configuration files read;</li>
 *   <li>a key of a family whose names are chosen by the user, by that family's rule: a scheduled job's
 *       {@code AGENT_ETL_SCHEDULE_<JOB>_ENABLED|_CRON|_DATASETS} (job names use {@code -}: {@code _} is {@code -}),
 *       {@code AGENT_ETL_FINETUNE_REDACTION_RULE_<NAME>} and {@code …_PROFILE_<NAME>} (rule names use {@code _}:
 *       kept), {@code AGENT_ETL_LOG_LEVEL_<LOGGER>} (logger names use {@code .}: {@code _} is {@code .}); names
 *       lower-cased;</li>
 *   <li>any other {@code AGENT_ETL_…} name: lower-cased, each {@code _} a {@code .}.</li>
 * </ol>
 */
public final class EnvKeys {

    private static final String PREFIX = "AGENT_ETL_";
    /** Variables of the launchers, not settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("AGENT_ETL_JAVA_OPTS");

    /** A family of keys whose names are chosen by the user: the variable's pattern and the key a match makes. */
    private record Family(Pattern name, java.util.function.Function<Matcher, String> key) {
    }

    private static final List<Family> FAMILIES = List.of(
            // job names are route ids, written with '-'
            new Family(Pattern.compile("AGENT_ETL_SCHEDULE_([A-Z0-9_]+?)_(ENABLED|CRON|DATASETS)"),
                    m -> "agent-etl.schedule." + lower(m.group(1), '-') + "." + lower(m.group(2), '_')),
            // rule and profile names are written with '_' (bearer_token, api_key)
            new Family(Pattern.compile("AGENT_ETL_FINETUNE_REDACTION_(RULE|PROFILE)_([A-Z0-9_]+)"),
                    m -> "agent-etl.finetune.redaction." + lower(m.group(1), '_') + "." + lower(m.group(2), '_')),
            // logger names are packages, written with '.'
            new Family(Pattern.compile("AGENT_ETL_LOG_LEVEL_([A-Z0-9_]+)"),
                    m -> "agent-etl.log.level." + lower(m.group(1), '.')));

    private EnvKeys() {
    }

    /** The name of the environment variable that sets {@code key}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The settings the environment makes, by key, given the keys known so far. */
    static Map<String, String> byKey(Map<String, String> env, Collection<String> knownKeys) {
        Map<String, String> known = new HashMap<>();
        for (String key : new java.util.TreeSet<>(knownKeys)) known.putIfAbsent(envName(key), key);
        Map<String, String> out = new TreeMap<>();
        // literal keys last, so that they win over a name that maps to the same key
        env.forEach((name, value) -> {
            if (!name.startsWith("agent-etl.")) keyOf(name, known).ifPresent(key -> out.put(key, value));
        });
        env.forEach((name, value) -> {
            if (name.startsWith("agent-etl.")) out.put(name, value);
        });
        return out;
    }

    /** The key an environment variable sets, if it sets one; {@code known} maps names to the keys known. */
    static Optional<String> keyOf(String name, Map<String, String> known) {
        if (name.startsWith("agent-etl.")) return Optional.of(name);
        if (!name.startsWith(PREFIX) || name.length() == PREFIX.length() || NOT_SETTINGS.contains(name)) return Optional.empty();
        String key = known.get(name);
        if (key != null) return Optional.of(key);
        for (Family family : FAMILIES) {
            Matcher m = family.name().matcher(name);
            if (m.matches()) return Optional.of(family.key().apply(m));
        }
        return Optional.of("agent-etl." + lower(name.substring(PREFIX.length()), '.'));
    }

    private static String lower(String part, char underscoreIs) {
        return part.toLowerCase(Locale.ROOT).replace('_', underscoreIs);
    }
}
