package dev.agentetl.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A user's SELECT ({@code export --query FILE}), run so that it cannot write or signal: inside
 * {@code query_rows()} (V17), a SECURITY DEFINER function owned by role {@value #ROLE}, which reads every
 * table (pg_read_all_data) and holds no other privilege; in a READ ONLY transaction the export rolls back.
 * Inside a security-definer function PostgreSQL refuses SET ROLE and SET SESSION AUTHORIZATION, so the
 * query cannot take back the privileges of agent-etl's login. The function and its owner are checked before
 * every query: if they are not what V17 made them, the query is refused.
 */
final class ReadOnlyQuery {

    static final String ROLE = "agent_etl_query";

    /** SQLSTATEs of a query that tried to write or to do what its role may not: read_only_sql_transaction, insufficient_privilege. */
    private static final List<String> REFUSED = List.of("25006", "42501");

    private ReadOnlyQuery() {
    }

    /** The export query of a user's SELECT, and its columns as the export writes them. */
    record Prepared(ExportQuery query, List<Column> columns) {
    }

    /**
     * Checks the guard and describes the query without running it (Parse and Describe only). The result reads
     * the rows through query_rows(), with the names and types the query has; columns that share a name are
     * renamed by position inside and given their names back outside. A column type is given without its
     * modifier (PostgreSQL matches varchar(5) to varchar), except numeric's precision and scale, which decide
     * how Parquet stores it.
     */
    static Prepared prepare(Connection c, String sql, Map<String, Object> filters) throws SQLException {
        String function = requireGuard(c);
        String text = serverText(c, sql);
        List<Column> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ResultSetMetaData md = ps.getMetaData();
            if (md == null || md.getColumnCount() == 0) {
                throw new IllegalArgumentException("--query must be a SELECT that returns columns");
            }
            for (Column column : Exporter.columns(md)) {
                columns.add(column);
                types.add(column.precision() != null ? "numeric(" + column.precision() + "," + column.scale() + ")"
                        : column.type().startsWith("\"") ? column.type() : Dataset.quote(column.type()));
            }
        } catch (SQLException e) {
            RuntimeException refused = refusal(e);
            if (refused != null) throw refused;
            throw e;
        }
        StringBuilder select = new StringBuilder();
        StringBuilder definition = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            select.append(i > 0 ? ", " : "").append("q.c").append(i + 1).append(" AS ").append(Dataset.quote(columns.get(i).name()));
            definition.append(i > 0 ? ", " : "").append("c").append(i + 1).append(' ').append(types.get(i));
        }
        String from = " FROM " + function + "(%s) AS q (" + definition + ")";
        String query = "SELECT " + select + String.format(from, "?");
        String copy = "SELECT " + select + String.format(from, "current_setting('" + ExportQuery.setting(1) + "')");
        return new Prepared(new ExportQuery(query, copy, List.of(text), filters, true), columns);
    }

    /**
     * The query as the server is to run it, read as the JDBC driver reads it (which also describes it): one
     * statement, no parameters, and {@code ??} standing for PostgreSQL's {@code ?} operators (jsonb).
     */
    private static String serverText(Connection c, String sql) throws SQLException {
        List<org.postgresql.core.NativeQuery> statements = org.postgresql.core.Parser.parseJdbcSql(sql,
                c.unwrap(org.postgresql.core.BaseConnection.class).getStandardConformingStrings(), true, true, false, false);
        if (statements.size() != 1) {
            throw new IllegalArgumentException("--query takes one SELECT, found " + statements.size() + " statements");
        }
        if (statements.get(0).bindPositions.length > 0) {
            throw new IllegalArgumentException("--query takes no parameters: a ? outside quotes is one (write ?? for "
                    + "PostgreSQL's ? operators)");
        }
        return statements.get(0).nativeSql;
    }

    /**
     * query_rows() as V17 made it: SECURITY DEFINER, owned by a role that is no superuser, may not create roles
     * or databases, replicate or bypass row security, and has the privileges of no role but pg_read_all_data.
     * Returns its qualified name; refuses otherwise, saying what an administrator runs.
     */
    private static String requireGuard(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT quote_ident(n.nspname) || '.query_rows', p.prosecdef, r.rolname,
                       r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls,
                       (SELECT string_agg(m.rolname, ', ' ORDER BY m.rolname) FROM pg_roles m
                        WHERE m.oid <> r.oid AND m.rolname <> 'pg_read_all_data' AND pg_has_role(r.oid, m.oid, 'USAGE')),
                       has_function_privilege(p.oid, 'EXECUTE'), pg_has_role(r.oid, 'pg_read_all_data', 'USAGE'),
                       quote_ident(current_user)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner
                WHERE n.nspname = current_schema() AND p.proname = 'query_rows'
                  AND p.proargtypes = '25'::oidvector""");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("--query is refused: function query_rows(text) is missing from agent-etl's schema "
                        + "(run `agent-etl migrate`)");
            }
            String function = rs.getString(1);
            String owner = rs.getString(3);
            String why = !rs.getBoolean(2) ? "query_rows() is not SECURITY DEFINER"
                    : !owner.equals(ROLE) ? "query_rows() is owned by " + owner + ", not by the read-only role " + ROLE
                    : rs.getBoolean(4) ? "role " + ROLE + " has attributes beyond reading (superuser, createrole, createdb, replication or bypassrls)"
                    : rs.getString(5) != null ? "role " + ROLE + " has the privileges of " + rs.getString(5)
                    : !rs.getBoolean(7) ? "role " + ROLE + " is not a member of pg_read_all_data"
                    : !rs.getBoolean(6) ? "agent-etl's login may not call " + function : null;
            if (why != null) {
                throw new IllegalStateException("--query is refused, it could not be run read-only: " + why + ". A superuser sets it up "
                        + "with: CREATE ROLE " + ROLE + " NOLOGIN (unless it exists); GRANT pg_read_all_data TO " + ROLE
                        + "; ALTER FUNCTION " + function + "(text) OWNER TO " + ROLE + "; GRANT EXECUTE ON FUNCTION " + function
                        + "(text) TO " + rs.getString(8));
            }
            return function;
        }
    }

    /**
     * A query that tried to write or to do what its role may not, said so in one line; null for any other error
     * (a syntax error, an unknown table), which is reported as PostgreSQL said it.
     */
    static RuntimeException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && REFUSED.contains(sql.getSQLState())) {
                String message = sql.getMessage() == null ? sql.getSQLState() : sql.getMessage().strip();
                int nl = message.indexOf('\n');
                if (nl >= 0) message = message.substring(0, nl);
                return new IllegalStateException("--query may only read (it runs in a read-only transaction as role " + ROLE
                        + ", which may read every table and do nothing else): " + message, e);
            }
        }
        return null;
    }
}
