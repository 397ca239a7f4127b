package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.levee.testing.MainClasses;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link UpstreamException} family is closed: exactly six final kinds, no other subclass compiles, and on
 * JDK 21+ a {@code switch} over the six needs no {@code default}. Callers can rely on handling every kind.
 */
class ExceptionFamilyTest {

    private static final Set<Class<?>> KINDS = Set.of(UpstreamTimeoutException.class, UpstreamRejectedException.class,
            DeadlineExceededException.class, UpstreamFailureException.class, ContractViolationException.class,
            CallerFaultException.class);

    @TempDir
    Path sources;

    @Test
    void theFamilyIsSealedToItsSixFinalKinds() {
        assertThat(UpstreamException.class.isSealed()).isTrue();
        assertThat(Set.of(UpstreamException.class.getPermittedSubclasses())).isEqualTo(KINDS);
        assertThat(KINDS).allSatisfy(kind -> assertThat(Modifier.isFinal(kind.getModifiers())).as("%s is final", kind).isTrue());
    }

    @Test
    void invalidSpecExceptionIsAConfigurationErrorOutsideTheFamily() {
        assertThat(UpstreamException.class.isAssignableFrom(InvalidSpecException.class)).isFalse();
        assertThat(Modifier.isFinal(InvalidSpecException.class.getModifiers())).isTrue();
    }

    @Test
    void noOtherSubclassCompiles() throws IOException {
        String errors = compile("Mine", """
                package app;
                public class Mine extends dev.levee.UpstreamException {
                    public Mine() { super("x", dev.levee.Outcome.FAILURE, null, false); }
                    protected String describe() { return "mine"; }
                }
                """, 17);
        assertThat(errors).contains("sealed");
    }

    @Test
    void aSwitchOverTheSixKindsIsExhaustiveOnJdk21() throws IOException {
        int jdk = Runtime.version().feature();
        assumeTrue(jdk >= 21, "pattern matching in switch needs JDK 21; this is " + jdk);
        String errors = compile("Handler", """
                package app;
                import dev.levee.*;
                public class Handler {
                    static String kind(UpstreamException e) {
                        return switch (e) {
                            case UpstreamTimeoutException t -> "timeout";
                            case UpstreamRejectedException r -> "rejected";
                            case DeadlineExceededException d -> "deadline";
                            case UpstreamFailureException f -> "failure";
                            case ContractViolationException c -> "contract";
                            case CallerFaultException c -> "caller";
                        };
                    }
                }
                """, jdk);
        assertThat(errors).isEmpty();
    }

    /** Compiles one source file against the main classes; returns the compiler's diagnostics, empty if it compiled. */
    private String compile(String className, String source, int release) throws IOException {
        Path file = Files.createDirectories(sources.resolve("app")).resolve(className + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        boolean ok = javac.getTask(out, null, null, List.of("--release", String.valueOf(release), "-proc:none",
                        "-classpath", MainClasses.root().toString(), "-d", sources.resolve("out").toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(file)).call();
        assertThat(ok).as("compiled: %s", out).isEqualTo(out.toString().isEmpty());
        return out.toString();
    }
}
