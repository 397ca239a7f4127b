package dev.levee.jdbc;

import dev.levee.CallContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The JDBC recipe of the README ("Protecting a JDBC call"), exactly as the tests use it. */
final class JdbcRecipe {

    /** Reads a query's result set into a value. */
    @FunctionalInterface
    interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private JdbcRecipe() {
    }

    static <T> T query(CallContext ctx, DataSource dataSource, String sql, Rows<T> rows) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            // TODO(onAbandon): ctx.onAbandon(() -> cancel(s)); and ctx.remainingTimeoutSeconds()
            long nanos = ctx.remainingNanos();
            s.setQueryTimeout((int) Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
            try (ResultSet r = s.executeQuery()) {
                return rows.read(r);
            }
        }
    }

    /** Cancels a statement; a statement that has ended or whose connection broke has nothing left to stop. */
    static void cancel(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException ended) {
            // nothing to stop
        }
    }
}
