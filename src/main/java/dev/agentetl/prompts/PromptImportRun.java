package dev.agentetl.prompts;

import dev.agentetl.importing.FileResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One prompt import as it goes through the steps of routes/import.camel.yaml: the files read, the prompts parsed
 * from them and each file's result. It travels in the exchange (variable {@code prompts}); the
 * {@link PromptImporter} bean keeps nothing between steps.
 */
public final class PromptImportRun {

    final ImportPromptsRequest request;
    final long started = System.nanoTime();
    final List<CatalogFile> files;
    final FileResult[] results;
    final PromptDefinition[] defs;
    /** The files defining each prompt (project:name), by index. */
    final Map<String, List<Integer>> byPrompt = new LinkedHashMap<>();

    PromptImportRun(ImportPromptsRequest request, List<CatalogFile> files) {
        this.request = request;
        this.files = new ArrayList<>(files);
        this.results = new FileResult[files.size()];
        this.defs = new PromptDefinition[files.size()];
    }

    @Override
    public String toString() {
        return "prompt import of " + files.size() + " file(s)";
    }
}
