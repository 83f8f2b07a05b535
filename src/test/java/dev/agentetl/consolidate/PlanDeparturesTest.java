package dev.agentetl.consolidate;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's table of where consolidation departs from seed 001's plan says what the transforms do. */
class PlanDeparturesTest {

    private static final Pattern TARGET = Pattern.compile("`((?:rl|agent|ui|sys)_[a-z_]+)`");

    private static String section() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("#### Where seed 001's plan and consolidation part ways");
        assertTrue(start >= 0, "the README has the section");
        return readme.substring(start, readme.indexOf("\n### ", start));
    }

    @Test
    void should_name_the_targets_each_departing_table_really_has() throws Exception {
        int rows = 0;
        for (String line : section().split("\n")) {
            if (!line.startsWith("| `")) continue;
            String[] cells = line.split("\\|");
            String legacy = cells[1].strip();
            String name = legacy.substring(1, legacy.indexOf('`', 1));
            String layout = legacy.contains("conversation store") ? "conversation" : LegacyTable.DEFAULT_LAYOUT;
            LegacyTable table = LegacyCatalog.all().stream().filter(t -> t.name().equals(name) && t.layout().equals(layout))
                    .findFirst().orElseThrow(() -> new AssertionError("no legacy table " + legacy));
            Set<String> written = new TreeSet<>();
            Matcher m = TARGET.matcher(cells[3]);
            while (m.find()) written.add(m.group(1));
            assertEquals(new TreeSet<>(table.fanOut().keySet()), written, legacy);
            Set<String> planned = new TreeSet<>();
            Matcher p = TARGET.matcher(cells[2]);
            while (p.find()) planned.add(p.group(1));
            assertFalse(planned.equals(written), legacy + " is listed as a departure but goes where the plan says");
            rows++;
        }
        assertEquals(14, rows);
    }

    @Test
    void should_list_as_empty_only_tables_no_legacy_table_writes() throws Exception {
        String section = section();
        String empty = section.substring(section.indexOf("Tables that stay empty"));
        List<String> names = new ArrayList<>();
        Matcher m = TARGET.matcher(empty.substring(0, empty.indexOf("- `sys_metadata`")));
        while (m.find()) names.add(m.group(1));
        for (String target : List.of("rl_pattern", "rl_pattern_use", "agent_workflow_run", "agent_prompt_style",
                "agent_prompt_element", "agent_curriculum_stage", "agent_curriculum_metric")) {
            assertTrue(names.contains(target), target + " is listed as empty");
            assertTrue(LegacyCatalog.all().stream().noneMatch(t -> t.fanOut().containsKey(target)), target + " is written by nothing");
        }
        assertEquals(List.of("schema_version"), LegacyCatalog.all().stream().filter(t -> t.fanOut().containsKey("sys_metadata"))
                .map(LegacyTable::name).toList(), "sys_metadata gets only the conversation store's version");
    }
}
