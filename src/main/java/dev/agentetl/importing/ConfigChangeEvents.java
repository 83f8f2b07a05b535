package dev.agentetl.importing;

import dev.agentetl.runtime.SystemEvents;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed 000's {@code config_change} system events for the registry: one per imported file that changed it and
 * one per label move, recorded after the change committed (never for a dry run), in agent-etl's own
 * system_events, whichever database the registry lives in.
 */
public final class ConfigChangeEvents {

    public static final ConfigChangeEvents NONE = new ConfigChangeEvents(null);

    private final SystemEvents events;

    public ConfigChangeEvents(SystemEvents events) {
        this.events = events;
    }

    /** The files of an import that created, updated or deactivated something. */
    public void imported(ImportReport report, String actor) {
        for (FileResult f : report.files()) imported(report.what(), f, report.dryRun(), actor);
    }

    /** One imported file, if it created, updated or deactivated something. */
    public void imported(String what, FileResult f, boolean dryRun, String actor) {
        if (events == null || dryRun || !f.problems().isEmpty() || f.created() + f.updated() + f.deactivated() == 0) return;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", f.file());
        details.put("kind", f.kind());
        details.put("created", f.created());
        details.put("updated", f.updated());
        details.put("deactivated", f.deactivated());
        details.put("actor", actor);
        events.record("config_change", "info", "import " + what + ": " + f.kind() + " from " + f.file() + ": "
                + f.created() + " created, " + f.updated() + " updated, " + f.deactivated() + " deactivated", details);
    }

    /** A label moved onto a prompt version. */
    public void labelMoved(String prompt, String label, int version, String actor) {
        if (events == null) return;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("prompt", prompt);
        details.put("label", label);
        details.put("version", version);
        details.put("actor", actor);
        events.record("config_change", "info", "label " + label + " of " + prompt + " moved to v" + version, details);
    }
}
