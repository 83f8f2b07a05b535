package dev.agentetl.rules;

import dev.agentetl.importing.FileResult;

import java.util.ArrayList;
import java.util.List;

/**
 * One rules import as it goes through the steps of routes/import.camel.yaml: the files to import (or the bundled
 * samples), the file in hand once read and parsed, and each file's result. It travels in the exchange (variable
 * {@code rules}); the {@link RulesImporter} bean keeps nothing between steps.
 */
public final class RulesImportRun {

    final ImportRulesRequest request;
    final long started = System.nanoTime();
    /** Each file to import: a Path, or the name of a bundled sample. */
    final List<Object> sources = new ArrayList<>();
    final List<FileResult> results = new ArrayList<>();
    /** The file in hand, read and parsed; null when it was rejected. */
    RulesFile current;
    long currentStarted;

    RulesImportRun(ImportRulesRequest request) {
        this.request = request;
    }

    /** How many files the import takes (the loop of the read and sync steps). */
    public int fileCount() {
        return sources.size();
    }

    /** The file in hand, read and parsed, or null when it was rejected (nothing to sync). */
    public RulesFile current() {
        return current;
    }

    @Override
    public String toString() {
        return "rules import of " + sources.size() + " file(s)";
    }
}
