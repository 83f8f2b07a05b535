package dev.agentetl.rules;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code import rules FILE...}: the files (each the desired state of its table), dry run, who imports, and
 * whether a file with no rows may empty its table ({@code --allow-empty}); without it such a file is refused.
 */
public record ImportRulesRequest(List<Path> files, boolean dryRun, String actor, boolean allowEmpty) {

    public ImportRulesRequest(List<Path> files, boolean dryRun, String actor) {
        this(files, dryRun, actor, false);
    }
}
