package dev.agentetl.prompts;

import java.nio.file.Path;
import java.util.List;

/** {@code import prompts}: files or folders (none = the bundled catalog), dry run, and who imports. */
public record ImportPromptsRequest(List<Path> paths, boolean dryRun, String actor) {
}
