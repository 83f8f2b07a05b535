package dev.agentetl.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The YAML route files a one-shot command needs: the file whose route is the job's {@code direct:<job>}, the files
 * of the {@code direct:} routes those call (and so on), and every file that defines no {@code direct:} route (route
 * configurations such as error-handling, templates). Camel then builds a handful of routes instead of all of them,
 * and looks into only the beans those call: about a sixth of a short command's start-up CPU.
 * <p>
 * Read as text, not parsed: a definition is a {@code from:} whose uri is {@code direct:NAME}, a use is any other
 * {@code direct:NAME}. When a file computes the name ({@code direct:${...}}, {@code direct:{{...}}}) or the job is
 * found nowhere, every file is loaded, as before (and Camel says what is missing).
 */
final class RouteFiles {

    private static final String NAME = "[A-Za-z0-9_.\\-]+";
    private static final Pattern DEFINITION = Pattern.compile("from:\\s*(?:\\{\\s*)?(?:uri:\\s*)?[\"']?direct:(" + NAME + ")");
    private static final Pattern USE = Pattern.compile("direct:(" + NAME + ")");
    private static final Pattern COMPUTED = Pattern.compile("direct:(?:\\$\\{|\\{\\{)");

    private RouteFiles() {
    }

    /** The *.yaml files of the folder (not its sub-folders), sorted by name. */
    static List<Path> all(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the routes folder " + folder, e);
        }
    }

    /** The files {@code direct:<job>} needs, in name order; all of them when that cannot be told from the text. */
    static List<Path> forJob(Path folder, String job) {
        List<Path> files = all(folder);
        Map<Path, Set<String>> defines = new LinkedHashMap<>();
        Map<Path, Set<String>> uses = new LinkedHashMap<>();
        for (Path f : files) {
            String text = withoutComments(read(f));
            if (COMPUTED.matcher(text).find()) return files;
            defines.put(f, names(DEFINITION.matcher(text)));
            uses.put(f, names(USE.matcher(text)));
        }
        Set<Path> chosen = new LinkedHashSet<>();
        List<String> wanted = new ArrayList<>(List.of(job));
        for (int i = 0; i < wanted.size(); i++) {
            String name = wanted.get(i);
            for (Path f : files) {
                if (defines.get(f).contains(name) && chosen.add(f)) {
                    for (String used : uses.get(f)) if (!wanted.contains(used)) wanted.add(used);
                }
            }
        }
        if (chosen.isEmpty()) return files;
        // route configurations, templates: what every route may refer to by id
        for (Path f : files) if (defines.get(f).isEmpty()) chosen.add(f);
        return files.stream().filter(chosen::contains).toList();
    }

    private static Set<String> names(Matcher m) {
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** Lines that are YAML comments dropped (they often speak of direct:&lt;job&gt; routes). */
    private static String withoutComments(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (!line.stripLeading().startsWith("#")) kept.append(line).append('\n');
        }
        return kept.toString();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the route file " + f, e);
        }
    }
}
