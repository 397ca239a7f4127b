package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.testing.ApiSignature;
import dev.levee.testing.MainClasses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * levee-core's public API is the one recorded in {@code api/levee-core.api}: a change of it fails the build,
 * named as additive or breaking, until the file is regenerated and committed with the change (the report
 * gives the command). Nothing of {@code dev.levee.internal} is part of it.
 */
class ApiSignatureTest {

    static final String INTERNAL = "dev.levee.internal";

    static List<String> currentApi() {
        return ApiSignature.of(ApiSignature.classesIn(MainClasses.root(), Upstream.class.getClassLoader(),
                ApiSignatureTest::isApiPackage));
    }

    static boolean isApiPackage(String name) {
        return !name.equals(INTERNAL) && !name.startsWith(INTERNAL + ".");
    }

    @Test
    void thePublicApiIsTheRecordedOne() {
        ApiSignature.check("levee-core", Path.of(System.getProperty("basedir", "."), "api", "levee-core.api"), currentApi());
    }

    @Test
    void theReadmeGivesTheCommandThatRegeneratesTheFiles() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("basedir", "."), "..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains("`" + ApiSignature.UPDATE_COMMAND + "`", "resilience-core/api/levee-core.api",
                "resilience-spring/autoconfigure/api/levee-spring-boot-autoconfigure.api");
    }

    @Test
    void noInternalTypeIsReachableThroughThePublicApi() {
        assertThat(ApiSignature.mentioning(currentApi(), INTERNAL + ".")).as("public signatures naming an internal type").isEmpty();
    }
}
