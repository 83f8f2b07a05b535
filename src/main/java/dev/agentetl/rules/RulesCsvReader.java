package dev.agentetl.rules;

import dev.agentetl.prompts.CatalogException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and validates a context_rules or negate_keys CSV (UTF-8 with or without BOM, LF or CRLF, RFC 4180
 * quoting). Every problem is collected as {@code file:line: reason}; any problem rejects the whole file.
 */
public final class RulesCsvReader {

    static final Set<String> OPERATORS = Set.of("=", "!=", "=~", "!~");
    private static final Map<String, Integer> MAX_LENGTH = Map.of("context", 100, "important", 10_000, "ignore", 10_000,
            "description", 2_000, "label", 100, "operator", 20, "value", 255);

    private RulesCsvReader() {
    }

    /** The sample files bundled in the jar (rules/index.txt), in agent-loggy's layout. */
    public static List<String> bundled() {
        List<String> names = new ArrayList<>();
        for (String line : new String(bundledBytes("index.txt"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) names.add(line.strip());
        }
        return names;
    }

    /** One bundled sample file, named {@code classpath:rules/<name>} in reports and the audit trail. */
    public static RulesFile readBundled(String name) {
        byte[] content = bundledBytes(name);
        return parse("classpath:rules/" + name, () -> new java.io.ByteArrayInputStream(content));
    }

    private static byte[] bundledBytes(String name) {
        try (InputStream in = RulesCsvReader.class.getClassLoader().getResourceAsStream("rules/" + name)) {
            if (in == null) throw new IllegalStateException("bundled rules file missing: " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Source {
        InputStream open() throws IOException;
    }

    public static RulesFile read(Path file) {
        String source = file.toString();
        try {
            String notUtf8 = dev.agentetl.importing.Utf8.problem(file, source);
            if (notUtf8 != null) {
                throw new CatalogException(notUtf8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
        return parse(source, () -> Files.newInputStream(file));
    }

    private static RulesFile parse(String source, Source content) {
        List<String> problems = new ArrayList<>();
        List<RulesFile.Row> rows = new ArrayList<>();
        RuleKind kind;
        try (InputStream in = BOMInputStream.builder().setInputStream(content.open()).get();
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
             CSVParser parser = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get().parse(reader)) {
            var records = parser.iterator();
            if (!records.hasNext()) {
                throw new CatalogException(source + ":1: the file is empty; a header line is required");
            }
            CSVRecord header = records.next();
            kind = RuleKind.ofHeader(header.toList());
            if (kind == null) {
                throw new CatalogException(source + ":1: unknown header '" + String.join(",", header.toList())
                        + "'; expected '[id,]context,important,ignore,description' or 'label,operator,value'");
            }
            List<String> columns = header.toList().stream().map(s -> s.strip().toLowerCase(java.util.Locale.ROOT)).toList();
            long line = parser.getCurrentLineNumber() + 1;
            Map<String, Integer> firstLine = new HashMap<>();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                int start = (int) line;
                line = parser.getCurrentLineNumber() + 1;
                if (record.size() != columns.size()) {
                    problems.add(source + ":" + start + ": expected " + columns.size() + " fields, found " + record.size());
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    fields.put(columns.get(i), record.get(i).strip());
                }
                if (kind == RuleKind.NEGATE_KEYS) defaults(fields);
                validate(source, start, kind, fields, firstLine, problems);
                rows.add(new RulesFile.Row(start, fields));
            }
        } catch (CharacterCodingException e) {
            throw new CatalogException(source + ": not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        } catch (IllegalStateException | UncheckedIOException e) {
            // commons-csv reports malformed quoting this way, with its own position
            throw new CatalogException(source + ": malformed CSV: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(String.join("\n", problems));
        }
        return new RulesFile(source, kind, rows);
    }

    /**
     * Seed 003's migration of negate_keys.csv: a blank label is {@code default}, a blank operator {@code !=}
     * (scripts/migrate_prompts.py); the value stays required.
     */
    private static void defaults(Map<String, String> fields) {
        if (fields.get("label").isEmpty()) fields.put("label", "default");
        if (fields.get("operator").isEmpty()) fields.put("operator", "!=");
    }

    private static void validate(String source, int line, RuleKind kind, Map<String, String> f,
                                 Map<String, Integer> firstLine, List<String> problems) {
        String at = source + ":" + line + ": ";
        for (Map.Entry<String, String> e : f.entrySet()) {
            if (e.getValue().indexOf('\0') >= 0) {
                problems.add(at + e.getKey() + " contains a NUL byte (0x00), which PostgreSQL text cannot hold");
            }
            Integer max = MAX_LENGTH.get(e.getKey());
            if (max != null && e.getValue().length() > max) {
                problems.add(at + e.getKey() + " is " + e.getValue().length() + " characters, the limit is " + max);
            }
        }
        if (kind == RuleKind.CONTEXT_RULES) {
            if (f.containsKey("id") && !f.get("id").isEmpty() && !f.get("id").matches("\\d{1,18}")) {
                problems.add(at + "id must be a whole number, got '" + f.get("id") + "'");
            }
            require(at, f, "context", problems);
            duplicate(at, "context '" + f.get("context") + "'", f.get("context"), line, firstLine, problems);
        } else {
            require(at, f, "label", problems);
            require(at, f, "value", problems);
            String op = f.get("operator");
            if (!OPERATORS.contains(op)) {
                problems.add(at + "unknown operator '" + op + "'; Loki label matchers are =, !=, =~, !~");
            } else if (op.endsWith("~")) {
                try {
                    Pattern.compile(f.get("value"));
                } catch (PatternSyntaxException e) {
                    problems.add(at + "value is not a valid regular expression: " + e.getDescription());
                }
            }
            String key = f.get("label") + " " + op + " " + f.get("value");
            duplicate(at, "negate key '" + key + "'", key, line, firstLine, problems);
        }
    }

    private static void require(String at, Map<String, String> f, String column, List<String> problems) {
        if (f.get(column).isEmpty()) {
            problems.add(at + column + " is required");
        }
    }

    private static void duplicate(String at, String what, String key, int line, Map<String, Integer> firstLine,
                                  List<String> problems) {
        Integer first = firstLine.putIfAbsent(key, line);
        if (first != null) {
            problems.add(at + "duplicate " + what + " (first on line " + first + ")");
        }
    }
}
