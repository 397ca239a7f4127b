package dev.levee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.levee.testing.MainClasses;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link UpstreamException} family: what each carries, what its message says and never says, serialization. */
class UpstreamExceptionTest {

    /** Stands for a request or response body: it must never reach a Levee message. */
    private static final String SECRET = "card=4111111111111111";

    private static IOException payloadCause() {
        return new IOException("HTTP 503, body: {\"" + SECRET + "\"}");
    }

    /** One of each exception, with the outcome it must carry and its exact message. */
    static Stream<Arguments> samples() {
        return Stream.of(
                sample("failure, one attempt", () -> new UpstreamFailureException("pricing", "http 503", 1, null, payloadCause()),
                        Outcome.FAILURE, "upstream 'pricing': failed (http 503)"),
                sample("failure, three attempts, retry-after",
                        () -> new UpstreamFailureException("pricing", "http 429", 3, Duration.ofSeconds(2), payloadCause()),
                        Outcome.FAILURE, "upstream 'pricing': failed (http 429) after 3 attempts"),
                sample("timeout, Levee's", () -> new UpstreamTimeoutException("pricing", Duration.ofMillis(300), 2, null),
                        Outcome.TIMEOUT, "upstream 'pricing': attempt 2 timed out after 300 ms"),
                sample("timeout, client's, sub-millisecond",
                        () -> new UpstreamTimeoutException("pricing", Duration.ofNanos(1_500_000), 1,
                                new SocketTimeoutException("read timed out: " + SECRET)),
                        Outcome.TIMEOUT, "upstream 'pricing': attempt 1 timed out after 1.500 ms"),
                sample("deadline, one attempt", () -> new DeadlineExceededException("pricing", Duration.ofSeconds(1), 1, null),
                        Outcome.DEADLINE_EXCEEDED, "upstream 'pricing': deadline of 1000 ms exceeded after 1 attempt"),
                sample("deadline, last failure as cause",
                        () -> new DeadlineExceededException("pricing", Duration.ofSeconds(3), 2, payloadCause()),
                        Outcome.DEADLINE_EXCEEDED, "upstream 'pricing': deadline of 3000 ms exceeded after 2 attempts"),
                sample("caller fault", () -> new CallerFaultException("pricing", "http 400", payloadCause()),
                        Outcome.CALLER_FAULT, "upstream 'pricing': refused the request (http 400)"),
                sample("contract violation", () -> new ContractViolationException("pricing", "has-currency",
                                new IllegalStateException("currency missing in " + SECRET)),
                        Outcome.CONTRACT_VIOLATION, "upstream 'pricing': response violates expectation 'has-currency'"),
                sample("translation failure", () -> new ContractViolationException("pricing", ContractViolationException.TRANSLATION,
                                new NumberFormatException("For input string: \"" + SECRET + "\"")),
                        Outcome.CONTRACT_VIOLATION, "upstream 'pricing': response violates expectation 'translation'"),
                sample("circuit open", () -> new UpstreamRejectedException("pricing", Outcome.CIRCUIT_OPEN, 0),
                        Outcome.CIRCUIT_OPEN, "upstream 'pricing': rejected, circuit is open"),
                sample("bulkhead full", () -> new UpstreamRejectedException("pricing", Outcome.BULKHEAD_FULL, 25),
                        Outcome.BULKHEAD_FULL, "upstream 'pricing': rejected, bulkhead is full (25 concurrent calls)"));
    }

    private static Arguments sample(String label, Supplier<UpstreamException> exception, Outcome outcome, String message) {
        return argumentSet(label, exception, outcome, message);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void carriesTheUpstreamAndItsOutcome(Supplier<UpstreamException> exception, Outcome outcome, String message) {
        UpstreamException e = exception.get();
        assertThat(e.upstream()).isEqualTo("pricing");
        assertThat(e.outcome()).isEqualTo(outcome).isNotEqualTo(Outcome.SUCCESS);
        assertThat(e).isInstanceOf(RuntimeException.class);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void messageNamesTheUpstreamAndWhatFired(Supplier<UpstreamException> exception, Outcome outcome, String message) {
        assertThat(exception.get()).hasMessage(message);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void messageNeverContainsThePayloadOfTheCause(Supplier<UpstreamException> exception, Outcome outcome, String message) {
        UpstreamException e = exception.get();
        assertThat(e.getMessage()).doesNotContain(SECRET);
        assertThat(e.getLocalizedMessage()).doesNotContain(SECRET);
        assertThat(e.toString()).doesNotContain(SECRET).isEqualTo(e.getClass().getName() + ": " + message);
        if (e.getCause() != null) {
            assertThat(e.getCause().getMessage()).as("the cause keeps its own message for debugging").contains(SECRET);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void messageIsStableAcrossCalls(Supplier<UpstreamException> exception, Outcome outcome, String message) {
        UpstreamException e = exception.get();
        String first = e.getMessage();
        assertThat(e.getMessage()).isSameAs(first);
        assertThat(e.getMessage()).isSameAs(first);
        assertThat(e.toString()).isEqualTo(e.toString());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void onlyRejectionsSkipTheStackTrace(Supplier<UpstreamException> exception, Outcome outcome, String message) {
        UpstreamException e = exception.get();
        if (outcome.isRejection()) {
            assertThat(e).isInstanceOf(UpstreamRejectedException.class);
            assertThat(e.getStackTrace()).isEmpty();
            e.fillInStackTrace();
            assertThat(e.getStackTrace()).as("still empty after fillInStackTrace").isEmpty();
        } else {
            assertThat(e.getStackTrace()).isNotEmpty();
            assertThat(e.getStackTrace()[0].getClassName()).isEqualTo(UpstreamExceptionTest.class.getName());
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void suppressionIsDisabled(Supplier<UpstreamException> exception, Outcome outcome, String message) {
        UpstreamException e = exception.get();
        e.addSuppressed(new IOException(SECRET));
        assertThat(e.getSuppressed()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void roundTripsThroughJavaSerialization(Supplier<UpstreamException> exception, Outcome outcome, String message)
            throws Exception {
        UpstreamException e = exception.get();
        UpstreamException copy = roundTrip(e);
        assertThat(copy).isNotSameAs(e).hasSameClassAs(e);
        assertThat(copy.upstream()).isEqualTo("pricing");
        assertThat(copy.outcome()).isSameAs(outcome);
        assertThat(copy.getMessage()).isEqualTo(message);
        assertThat(state(copy)).isEqualTo(state(e));
        assertThat(copy.getStackTrace()).hasSameSizeAs(e.getStackTrace());
        if (e.getCause() == null) {
            assertThat(copy.getCause()).isNull();
        } else {
            assertThat(copy.getCause()).hasSameClassAs(e.getCause()).hasMessage(e.getCause().getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, mode = EnumSource.Mode.EXCLUDE, names = {"CIRCUIT_OPEN", "BULKHEAD_FULL", "CLOSED"})
    void rejectedExceptionRefusesANonRejectionOutcome(Outcome outcome) {
        assertThatThrownBy(() -> new UpstreamRejectedException("pricing", outcome, 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outcome must be CIRCUIT_OPEN, BULKHEAD_FULL or CLOSED, but was " + outcome);
    }

    @Test
    void nullUpstreamOrOutcomeIsNamed() {
        assertThatThrownBy(() -> new UpstreamRejectedException("pricing", null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessage("outcome");
        assertThatThrownBy(() -> new UpstreamRejectedException(null, Outcome.CIRCUIT_OPEN, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream");
        assertThatThrownBy(() -> new UpstreamFailureException(null, "x", 1, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream");
        assertThatThrownBy(() -> new UpstreamTimeoutException(null, Duration.ofSeconds(1), 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream");
        assertThatThrownBy(() -> new DeadlineExceededException(null, Duration.ofSeconds(1), 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream");
        assertThatThrownBy(() -> new CallerFaultException(null, "x", null))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream");
        assertThatThrownBy(() -> new ContractViolationException(null, "x", null))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream");
    }

    @Test
    void subclassSpecificState() {
        UpstreamFailureException failure = new UpstreamFailureException("pricing", "http 429", 3, Duration.ofSeconds(2), null);
        assertThat(failure.reason()).isEqualTo("http 429");
        assertThat(failure.attempts()).isEqualTo(3);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(new UpstreamFailureException("pricing", "x", 1, null, null).retryAfter()).isEmpty();
        assertThat(new UpstreamFailureException("pricing", "x", 1, Duration.ZERO, null).retryAfter()).contains(Duration.ZERO);

        UpstreamTimeoutException timeout = new UpstreamTimeoutException("pricing", Duration.ofMillis(300), 2, null);
        assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(timeout.attempt()).isEqualTo(2);

        DeadlineExceededException deadline = new DeadlineExceededException("pricing", Duration.ofSeconds(3), 4, null);
        assertThat(deadline.deadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(deadline.attempts()).isEqualTo(4);

        assertThat(new CallerFaultException("pricing", "http 409", null).reason()).isEqualTo("http 409");
        assertThat(new ContractViolationException("pricing", "has-currency", null).expectation()).isEqualTo("has-currency");
    }

    // ---- class-level contract: every exception class of the main code ---------------------------------------

    /** Every named exception class of the main code (an anonymous internal sentinel is never serialized). */
    static List<Class<?>> exceptionClasses() {
        return MainClasses.inPackages(Set.of("dev.levee", "dev.levee.spi", "dev.levee.internal")).stream()
                .filter(Throwable.class::isAssignableFrom)
                .filter(c -> !c.isAnonymousClass())
                .collect(Collectors.toList());
    }

    @Test
    void theScanFindsEveryKnownExceptionClass() {
        assertThat(exceptionClasses()).contains(UpstreamException.class, UpstreamFailureException.class,
                UpstreamTimeoutException.class, UpstreamRejectedException.class, DeadlineExceededException.class,
                CallerFaultException.class, ContractViolationException.class, InvalidSpecException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exceptionClasses")
    void everyExceptionClassDeclaresSerialVersionUid(Class<?> type) {
        Field uid = java.util.Arrays.stream(type.getDeclaredFields()).filter(f -> f.getName().equals("serialVersionUID"))
                .findFirst().orElseThrow(() -> new AssertionError(type.getName() + " declares no serialVersionUID"));
        assertThat(uid.getType()).isEqualTo(long.class);
        assertThat(Modifier.isPrivate(uid.getModifiers())).as("private").isTrue();
        assertThat(Modifier.isStatic(uid.getModifiers())).as("static").isTrue();
        assertThat(Modifier.isFinal(uid.getModifiers())).as("final").isTrue();
    }

    @Test
    void invalidSpecExceptionRoundTripsThroughJavaSerialization() throws Exception {
        InvalidSpecException e = new InvalidSpecException("retry.maxAttempts", 0, "between 1 and 10");
        InvalidSpecException copy = roundTrip(e);
        assertThat(copy.field()).isEqualTo("retry.maxAttempts");
        assertThat(copy.value()).isEqualTo("0");
        assertThat(copy.allowed()).isEqualTo("between 1 and 10");
        assertThat(copy).hasMessage("retry.maxAttempts must be between 1 and 10, but was 0");
    }

    // ---- through a real upstream: the client's payload never reaches the message ---------------------------

    private final Upstreams upstreams = Upstreams.builder().build();

    @AfterEach
    void close() {
        upstreams.close();
    }

    @Test
    void payloadsOfRealCallsNeverReachTheMessage() {
        Upstream payments = upstreams.register(UpstreamSpec.named("payments")
                .classification(c -> c.callerFault(IllegalArgumentException.class)).build());

        assertThatThrownBy(() -> payments.call(ctx -> {
            throw payloadCause();
        })).isInstanceOfSatisfying(UpstreamFailureException.class, e -> {
            assertThat(e).hasMessage("upstream 'payments': failed (IOException)");
            assertThat(e.getCause()).hasMessageContaining(SECRET);
        });

        assertThatThrownBy(() -> payments.call(ctx -> {
            throw new SocketTimeoutException("timed out reading " + SECRET);
        })).isInstanceOfSatisfying(UpstreamTimeoutException.class,
                // the client's own timeout, thrown at once: the message gives the time the attempt really took
                e -> assertThat(e.getMessage()).matches("upstream 'payments': attempt 1 timed out after [0-9.]+ ms"));

        assertThatThrownBy(() -> payments.call(ctx -> {
            throw new IllegalArgumentException("bad request " + SECRET);
        })).isInstanceOfSatisfying(CallerFaultException.class,
                e -> assertThat(e).hasMessage("upstream 'payments': refused the request (IllegalArgumentException)"));

        assertThatThrownBy(() -> payments.call(ctx -> SECRET, response -> {
            throw new IllegalStateException("cannot parse " + response);
        })).isInstanceOfSatisfying(ContractViolationException.class, e -> {
            assertThat(e).hasMessage("upstream 'payments': response violates expectation 'translation'");
            assertThat(e.getCause()).hasMessageContaining(SECRET);
        });

        Adapter<String, String> expecting = new Adapter<>() {
            @Override
            public String translate(String response) {
                return response;
            }

            @Override
            public List<Expectation<? super String>> expectations() {
                return List.of(Expectation.of("has-currency", r -> r.contains("EUR")));
            }
        };
        assertThatThrownBy(() -> payments.call(ctx -> SECRET, expecting))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e).hasMessage("upstream 'payments': response violates expectation 'has-currency'");
                    assertThat(e.toString()).doesNotContain(SECRET);
                });
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** The subclass-specific state, to compare before and after serialization. */
    private static List<Object> state(UpstreamException e) {
        if (e instanceof UpstreamFailureException f) {
            return List.of(f.reason(), f.attempts(), f.retryAfter());
        }
        if (e instanceof UpstreamTimeoutException t) {
            return List.of(t.timeout(), t.attempt());
        }
        if (e instanceof DeadlineExceededException d) {
            return List.of(d.deadline(), d.attempts());
        }
        if (e instanceof CallerFaultException c) {
            return List.of(c.reason());
        }
        if (e instanceof ContractViolationException c) {
            return List.of(c.expectation());
        }
        if (e instanceof UpstreamRejectedException r) {
            return List.of(r.getMessage());
        }
        throw new AssertionError("no state extractor for " + e.getClass());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
