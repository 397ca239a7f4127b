package dev.levee.spring.actuate;

import dev.levee.InvalidSpecException;
import dev.levee.Upstreams;
import dev.levee.migration.Migration;
import dev.levee.migration.MigrationReport;
import dev.levee.migration.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** What the endpoint shows of provider migrations, and the moves an operator may make. */
final class MigrationControl {

    /** The path segment under the endpoint that holds the migrations. */
    static final String PATH = "migrations";

    private MigrationControl() {
    }

    static List<MigrationReport> reports(Upstreams upstreams) {
        List<MigrationReport> all = new ArrayList<>();
        for (Migration<?, ?> m : upstreams.migrations()) {
            all.add(m.report());
        }
        return all;
    }

    static MigrationReport move(Upstreams upstreams, String path, String name, @Nullable String stage,
            @Nullable Double percentage, @Nullable Boolean resume) {
        if (!PATH.equals(path)) {
            throw invalid("no such path: /upstreams/" + path + "/" + name + "; migrations are under /upstreams/migrations/{name}");
        }
        Optional<Migration<?, ?>> found = upstreams.findMigration(name);
        if (found.isEmpty()) {
            throw invalid(unknown(upstreams, name));
        }
        Migration<?, ?> m = found.get();
        if (Boolean.TRUE.equals(resume) && stage == null) {
            m.resume();
            return m.report();
        }
        Stage next = parse(stage).orElseThrow(() -> invalid(invalidStage(stage)));
        try {
            m.moveTo(next, percentage != null ? percentage : m.ramp().percentage());
        } catch (InvalidSpecException e) {
            throw invalid("percentage must be " + e.allowed() + ", but was " + e.value());
        } catch (IllegalStateException e) {
            throw invalid(e.getMessage());
        }
        return m.report();
    }

    static String unknown(Upstreams upstreams, String name) {
        return "no migration named '" + name + "'; migrations: " + String.join(", ", upstreams.migrations().stream().map(Migration::name).toList());
    }

    static String invalidStage(@Nullable String stage) {
        return "stage must be one of " + String.join(", ", stageNames()) + " (or resume: true), but was "
                + (stage == null ? "missing" : "'" + stage + "'");
    }

    static List<String> stageNames() {
        return Arrays.stream(Stage.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
    }

    static Optional<Stage> parse(@Nullable String stage) {
        if (stage == null) {
            return Optional.empty();
        }
        String v = stage.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(Stage.values()).filter(s -> s.name().equals(v)).findFirst();
    }

    private static InvalidEndpointRequestException invalid(String message) {
        return new InvalidEndpointRequestException(message, message);
    }
}
