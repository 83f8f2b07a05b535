package dev.agentetl.cli;

import dev.agentetl.finetune.FinetuneRequest;
import dev.agentetl.runtime.AppConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scheduled job's request is its command's options (agent-etl.schedule.<job>.args), parsed by the command itself. */
class ScheduledRequestsTest {

    private static ScheduledRequests with(Map<String, String> settings) {
        return new ScheduledRequests(AppConfig.load().with(settings));
    }

    @Test
    void should_build_the_request_the_command_builds_from_the_same_options() {
        Object body = with(Map.of("agent-etl.schedule.finetune.args", "--format parquet --since 2026-01-01 --min-rating 4"))
                .body("finetune");
        FinetuneRequest request = (FinetuneRequest) body;
        assertEquals("parquet", request.format());
        assertEquals(2026, request.since().getYear());
    }

    @Test
    void should_give_no_request_without_args_and_find_any_job_with_a_command() {
        assertNull(with(Map.of()).body("refresh-stats"), "a job's own default");
        assertNotNull(with(Map.of("agent-etl.schedule.archive.args", "sessions --older-than 30d")).body("archive"));
    }

    @Test
    void should_refuse_options_the_command_refuses_naming_the_key() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> with(Map.of("agent-etl.schedule.finetune.args", "--no-such-option")).body("finetune"));
        assertTrue(e.getMessage().startsWith("agent-etl.schedule.finetune.args: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> with(Map.of("agent-etl.schedule.export-snapshots.args", "--x")).body("export-snapshots"));
        assertTrue(e.getMessage().contains("has no command"), e.getMessage());
    }

    @Test
    void should_split_words_keeping_quoted_spaces() {
        assertArrayEquals(new String[]{"--where", "model=gpt 4", "x", ""}, ScheduledRequests.split("--where 'model=gpt 4'  x \"\""));
    }
}
