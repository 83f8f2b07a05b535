package dev.agentetl.rules;

import java.nio.file.Path;
import java.util.List;

/** {@code import rules FILE...}: the files (each the desired state of its table), dry run, and who imports. */
public record ImportRulesRequest(List<Path> files, boolean dryRun, String actor) {
}
