package dev.levee.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The signature generator and the check the build runs: what a line records, and how a change is reported (public: its samples are API). */
public class ApiSignatureSelfTest {

    private static final String P = "dev.levee.testing.ApiSignatureSelfTest.";

    @TempDir
    Path dir;

    // ---- what the generator records ----------------------------------------------------------------------------

    @Test
    void recordsGenericsDefaultsVarargsAnnotationsAndConstants() {
        assertThat(ApiSignature.of(List.of(Port.class))).containsExactly(
                P + "Port: @FunctionalInterface public interface Port<T extends java.lang.Comparable<? super T>> extends java.util.function.Supplier<java.util.List<T>>",
                P + "Port: @Deprecated public default void old()",
                P + "Port: public default <R> java.util.Map<java.lang.String, ? extends R>[] many(R, java.lang.String...) throws java.io.IOException",
                P + "Port: public static final int LIMIT = 5",
                P + "Port: public static final java.lang.String NAME = \"a \\\"port\\\"\"");
    }

    @Test
    void recordsSealedFamiliesAndHidesWhatNoCallerCanReach() {
        assertThat(ApiSignature.of(List.of(Family.class, Closed.class, Open.class, Hidden.class))).containsExactly(
                P + "Closed: public static final class Closed extends " + P + "Family",
                P + "Closed: public Closed()",
                P + "Family: public abstract static sealed class Family implements java.io.Serializable permits " + P + "Closed, " + P + "Open",
                // protected members count: Open lets any caller subclass the family
                P + "Family: protected abstract java.lang.String describe()",
                P + "Family: public final java.lang.String name()",
                P + "Open: public static non-sealed class Open extends " + P + "Family",
                P + "Open: protected java.lang.String describe()",
                P + "Open: public Open()");
        assertThat(ApiSignature.of(List.of(FinalWithProtected.class))).containsExactly(
                P + "FinalWithProtected: public static final class FinalWithProtected",
                P + "FinalWithProtected: public FinalWithProtected()");
    }

    @Test
    void recordsRecordsAndEnumsWithoutTheirImplicitSupertypes() {
        assertThat(ApiSignature.of(List.of(Point.class, Mode.class))).containsExactly(
                P + "Mode: public enum Mode",
                P + "Mode: public static " + P + "Mode valueOf(java.lang.String)",
                P + "Mode: public static " + P + "Mode[] values()",
                P + "Mode: public static final " + P + "Mode FAST",
                P + "Point: public record Point",
                P + "Point: public Point(int, java.util.List<? extends java.lang.Number>)",
                P + "Point: public int x()",
                P + "Point: public java.util.List<? extends java.lang.Number> ys()");
    }

    @Test
    void findsATypeNamedAnywhereInASignature() {
        List<String> api = ApiSignature.of(List.of(Port.class));
        assertThat(ApiSignature.mentioning(api, "java.io.")).singleElement().asString().contains("throws java.io.IOException");
        assertThat(ApiSignature.mentioning(api, "dev.levee.internal.")).isEmpty();
    }

    // ---- what the check says -----------------------------------------------------------------------------------

    @Test
    void anUnchangedApiPasses() throws IOException {
        Path file = write(signature(Wide.class));
        assertThat(ApiSignature.check("sample", file, signature(Wide.class)).unchanged()).isTrue();
    }

    /** Each: the class whose signature is committed, the current API, and what the report must say. */
    static Stream<Arguments> changes() {
        String removed = "  - " + P + "Sample: public void removed()";
        return Stream.of(
                argumentSet("a removed method is breaking", Wide.class, signature(Narrow.class),
                        List.of("was not updated. BREAKING change: 1 removed or changed, 0 added.", removed, "Breaking:")),
                argumentSet("a changed method is breaking", Wide.class, wideWith("removed()", "removed(int)"),
                        List.of("BREAKING change: 1 removed or changed, 1 added.", removed, "  + " + P + "Sample: public void removed(int)")),
                argumentSet("an added method is additive, and still fails until recorded", Narrow.class, signature(Wide.class),
                        List.of("was not updated. ADDITIVE change: 0 removed or changed, 1 added.", "  + " + P + "Sample: public void removed()",
                                "Additive: allowed in a minor release.")),
                argumentSet("deprecating a member is additive", Wide.class,
                        wideWith("public void removed()", "@Deprecated(forRemoval=true) public void removed()"),
                        List.of("ADDITIVE change: 0 removed or changed, 0 added, 1 with a changed deprecation.", removed,
                                "  + " + P + "Sample: @Deprecated(forRemoval=true) public void removed()")));
    }

    @ParameterizedTest
    @MethodSource("changes")
    void aChangeFailsTheCheckWithItsKindAndTheCommand(Class<?> recorded, List<String> current, List<String> says) throws IOException {
        Path file = write(signature(recorded));
        Throwable failure = catchThrowable(() -> ApiSignature.check("sample", file, current));
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).contains(says).contains(ApiSignature.UPDATE_COMMAND);
    }

    @Test
    void aMissingFileCountsAsEmpty() {
        assertThatThrownBy(() -> ApiSignature.check("sample", dir.resolve("none.api"), signature(Narrow.class)))
                .hasMessageContaining("ADDITIVE change: 0 removed or changed, 3 added.");
    }

    @Test
    void theUpdateModeWritesTheFileWithAHeaderThatNamesTheCommand() throws IOException {
        Path file = write(signature(Wide.class));
        System.setProperty(ApiSignature.UPDATE_PROPERTY, "true");
        try {
            ApiSignature.check("sample", file, signature(Narrow.class));
        } finally {
            System.clearProperty(ApiSignature.UPDATE_PROPERTY);
        }
        List<String> written = Files.readAllLines(file);
        assertThat(written).filteredOn(l -> l.startsWith("#")).anySatisfy(l -> assertThat(l).contains(ApiSignature.UPDATE_COMMAND));
        assertThat(written).filteredOn(l -> !l.startsWith("#")).isEqualTo(signature(Narrow.class));
        assertThat(ApiSignature.check("sample", file, signature(Narrow.class)).unchanged()).isTrue();
    }

    /** The signature of {@code Wide} with one line reading differently. */
    private static List<String> wideWith(String from, String to) {
        return signature(Wide.class).stream().map(l -> l.replace(from, to)).collect(Collectors.toList());
    }

    /** The signature of {@code type} as if it were named {@code Sample}: two versions of one class. */
    private static List<String> signature(Class<?> type) {
        return ApiSignature.of(List.of(type)).stream().map(l -> l.replace(type.getSimpleName(), "Sample")).collect(Collectors.toList());
    }

    private Path write(List<String> lines) throws IOException {
        return Files.write(dir.resolve("sample.api"), lines);
    }

    // ---- samples -----------------------------------------------------------------------------------------------

    @FunctionalInterface
    public interface Port<T extends Comparable<? super T>> extends Supplier<List<T>> {
        int LIMIT = 5;
        String NAME = "a \"port\"";

        @SuppressWarnings("unchecked")
        default <R> java.util.Map<String, ? extends R>[] many(R first, String... rest) throws IOException {
            return null;
        }

        @Deprecated
        default void old() {
        }

        private void hidden() {
        }
    }

    public abstract static sealed class Family implements Serializable permits Closed, Open {
        private static final long serialVersionUID = 1L;

        Family() {
        }

        public final String name() {
            return describe();
        }

        protected abstract String describe();

        void packagePrivate() {
        }
    }

    public static final class Closed extends Family {
        private static final long serialVersionUID = 1L;

        @Override
        protected String describe() {
            return "closed";
        }
    }

    public static non-sealed class Open extends Family {
        private static final long serialVersionUID = 1L;

        @Override
        protected String describe() {
            return "open";
        }
    }

    static class Hidden {
        public void notApi() {
        }
    }

    public static final class FinalWithProtected {
        protected void unreachable() {
        }

        @Override
        public String toString() {
            return "left out";
        }
    }

    public record Point(int x, List<? extends Number> ys) {
    }

    public enum Mode {
        FAST
    }

    public static class Wide {
        public void kept() {
        }

        public void removed() {
        }
    }

    public static class Narrow {
        public void kept() {
        }
    }
}
