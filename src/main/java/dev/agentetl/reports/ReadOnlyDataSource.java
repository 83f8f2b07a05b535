package dev.agentetl.reports;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The pool's connections, handed out read-only: the report route's jdbc endpoint runs each query in a
 * transaction of its own (autocommit off), which pgjdbc then opens as {@code BEGIN READ ONLY}, so a report
 * can never change data. HikariCP puts the read-only flag back when the connection returns to the pool.
 */
public final class ReadOnlyDataSource implements DataSource {

    private final DataSource pool;

    public ReadOnlyDataSource(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return readOnly(pool.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return readOnly(pool.getConnection(user, password));
    }

    private static Connection readOnly(Connection c) throws SQLException {
        try {
            c.setReadOnly(true);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override public PrintWriter getLogWriter() throws SQLException { return pool.getLogWriter(); }
    @Override public void setLogWriter(PrintWriter out) throws SQLException { pool.setLogWriter(out); }
    @Override public void setLoginTimeout(int seconds) throws SQLException { pool.setLoginTimeout(seconds); }
    @Override public int getLoginTimeout() throws SQLException { return pool.getLoginTimeout(); }
    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException { return pool.getParentLogger(); }
    @Override public <T> T unwrap(Class<T> type) throws SQLException { return pool.unwrap(type); }
    @Override public boolean isWrapperFor(Class<?> type) throws SQLException { return pool.isWrapperFor(type); }
}
