package dev.agentetl.rules;

import java.sql.SQLException;
import java.util.List;

/** Brings one rules table to the state a file describes, inside the caller's transaction. */
interface RuleSync {

    record Counts(long created, long updated, long unchanged, long deactivated) {
    }

    Counts apply(List<RulesFile.Row> rows) throws SQLException;
}
