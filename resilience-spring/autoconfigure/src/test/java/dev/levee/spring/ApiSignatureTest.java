package dev.levee.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levee.spring.autoconfigure.LeveeAutoConfiguration;
import dev.levee.testing.ApiSignature;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Spring module's public API (the starter has no code of its own) is the one recorded in
 * {@code api/levee-spring-boot-autoconfigure.api}: a change of it fails the build, named as additive or
 * breaking, until the file is regenerated and committed with the change. No core internal type, nor any
 * type of an {@code internal} package of this module, is reachable through it.
 */
class ApiSignatureTest {

    static List<String> currentApi() throws URISyntaxException {
        Path root = Path.of(LeveeAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ApiSignature.of(ApiSignature.classesIn(root, LeveeAutoConfiguration.class.getClassLoader(),
                p -> p.startsWith("dev.levee.spring") && !p.contains(".internal")));
    }

    @Test
    void thePublicApiIsTheRecordedOne() throws URISyntaxException {
        ApiSignature.check("levee-spring-boot-autoconfigure",
                Path.of(System.getProperty("basedir", "."), "api", "levee-spring-boot-autoconfigure.api"), currentApi());
    }

    @Test
    void noInternalTypeIsReachableThroughThePublicApi() throws URISyntaxException {
        List<String> api = currentApi();
        assertThat(api).hasSizeGreaterThan(50);
        assertThat(ApiSignature.mentioning(api, "dev.levee.internal.")).as("public signatures naming a core internal type").isEmpty();
        assertThat(api).as("public signatures naming a type of an internal package").noneMatch(l -> l.matches(".*dev\\.levee\\.spring\\.[\\w.]*internal\\..*"));
    }
}
