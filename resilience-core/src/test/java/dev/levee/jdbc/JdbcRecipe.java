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

    // README:jdbc:begin
    static <T> T query(CallContext ctx, DataSource dataSource, String sql, Rows<T> rows) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            ctx.onAbandon(() -> cancel(s));                   // Levee gave up: stop the statement on the server
            s.setQueryTimeout(ctx.remainingTimeoutSeconds()); // the driver's own bound, rounded up (0 means none)
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
    // README:jdbc:end
}
