package dev.levee.metrics;

/**
 * Every meter Levee publishes, with its tag keys. Names are dot-separated and lowercase, with no unit or
 * {@code total} suffix (registries add those: Prometheus shows {@code levee.calls} as
 * {@code levee_calls_seconds_count}, {@code levee.attempts} as {@code levee_attempts_total}). Tag values are
 * bounded: the upstream's configured name, enumerated values, and expectation names fixed in code.
 *
 * <p>The metrics reference ({@code resilience-core/METRICS.md}) gives each meter's meaning and an example
 * query.
 *
 * @since 0.1
 */
public final class LeveeMeters {

    private LeveeMeters() {
    }

    /** Common prefix of every meter. */
    public static final String PREFIX = "levee.";

    /** Timer of calls, from start to the last attempt's end: tags upstream, outcome, fallback. */
    public static final String CALLS = PREFIX + "calls";
    /** Counter of attempts, first and retries: tags upstream, kind, outcome. Attempts ÷ calls is the retry amplification. */
    public static final String ATTEMPTS = PREFIX + "attempts";
    /** Counter of retries that were due but not made: tags upstream, reason. */
    public static final String RETRIES_REFUSED = PREFIX + "retries.refused";
    /** Gauge, 1 for the circuit's current state and 0 for the others: tags upstream, state. */
    public static final String CIRCUIT_STATE = PREFIX + "circuit.state";
    /** Counter of circuit state transitions: tags upstream, from, to. @since 0.2 */
    public static final String CIRCUIT_TRANSITIONS = PREFIX + "circuit.transitions";
    /** Function counter of the seconds the circuit spent open, half-open or forced open: tag upstream. @since 0.2 */
    public static final String CIRCUIT_NOT_CLOSED = PREFIX + "circuit.not.closed";
    /** Gauge of the health state: 2 healthy, 1 degraded, 0 unavailable: tag upstream. */
    public static final String HEALTH = PREFIX + "health";
    /** Gauge of attempts holding a bulkhead permit: tag upstream. */
    public static final String IN_FLIGHT = PREFIX + "inflight";
    /** Gauge of the bulkhead's limit of concurrent calls: tag upstream. */
    public static final String BULKHEAD_LIMIT = PREFIX + "bulkhead.limit";
    /** Counter of responses that broke an expectation or could not be translated: tags upstream, expectation. */
    public static final String CONTRACT_VIOLATIONS = PREFIX + "contract.violations";
    /** Gauge, always 1, carrying static facts: tags upstream, owner, criticality. */
    public static final String INFO = PREFIX + "upstream.info";

    /** Gauge, 1 for the migration's stage in force and 0 for the others: tags migration, stage. @since 0.3 */
    public static final String MIGRATION_STAGE = PREFIX + "migration.stage";
    /** Gauge of the candidate's share of keys in RAMP, in percent: tag migration. @since 0.3 */
    public static final String MIGRATION_PERCENTAGE = PREFIX + "migration.percentage";
    /** Function counter of calls answered, by provider and whether the primary answered after the candidate failed: tags migration, provider, fallback. @since 0.3 */
    public static final String MIGRATION_ANSWERS = PREFIX + "migration.answers";
    /** Function counter of chances to shadow the primary with the candidate, by outcome: tags migration, outcome. @since 0.3 */
    public static final String MIGRATION_SHADOW_CALLS = PREFIX + "migration.shadow.calls";
    /** Gauge, 1 while shadowing is paused (candidate slow, unavailable or over budget): tag migration. @since 0.3 */
    public static final String MIGRATION_SHADOW_PAUSED = PREFIX + "migration.shadow.paused";
    /** Gauge of shadow calls in flight, never more than the candidate's bulkhead: tag migration. @since 0.3 */
    public static final String MIGRATION_SHADOW_IN_FLIGHT = PREFIX + "migration.shadow.inflight";
    /** Function counter of differences found between the two answers, by kind: tags migration, kind. @since 0.3 */
    public static final String MIGRATION_MISMATCHES = PREFIX + "migration.mismatches";
    /** Function counter of automatic rollbacks to the primary: tags migration, reason. @since 0.3 */
    public static final String MIGRATION_ROLLBACKS = PREFIX + "migration.rollbacks";

    /** Tag: the upstream's configured name. On every meter. */
    public static final String TAG_UPSTREAM = "upstream";
    /** Tag: an {@link dev.levee.Outcome#tag() outcome}, such as {@code success} or {@code circuit_open}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag: {@code true} if a fallback supplied the answer, else {@code false}. */
    public static final String TAG_FALLBACK = "fallback";
    /** Tag: {@code first} for a call's first attempt, {@code retry} for the others. */
    public static final String TAG_KIND = "kind";
    /** Tag: why a retry was refused, {@code budget} or {@code deadline}. */
    public static final String TAG_REASON = "reason";
    /** Tag: a circuit state, {@code closed}, {@code open}, {@code half_open}, {@code forced_open} or {@code disabled}. */
    public static final String TAG_STATE = "state";
    /** Tag: the circuit state a transition left, with the values of {@link #TAG_STATE}. @since 0.2 */
    public static final String TAG_FROM = "from";
    /** Tag: the circuit state a transition entered, with the values of {@link #TAG_STATE}. @since 0.2 */
    public static final String TAG_TO = "to";
    /** Tag: the name of a violated expectation, or {@code unreadable}, or {@code translation}. */
    public static final String TAG_EXPECTATION = "expectation";
    /** Tag: the upstream's owner. */
    public static final String TAG_OWNER = "owner";
    /** Tag: the upstream's criticality, {@code critical} or {@code optional}. */
    public static final String TAG_CRITICALITY = "criticality";

    /** Tag: the migration's configured name. On every migration meter. @since 0.3 */
    public static final String TAG_MIGRATION = "migration";
    /** Tag: a migration stage, {@code off}, {@code shadow}, {@code ramp} or {@code complete}. @since 0.3 */
    public static final String TAG_STAGE = "stage";
    /** Tag: which provider of a migration answered, {@code primary} or {@code candidate}. @since 0.3 */
    public static final String TAG_PROVIDER = "provider";

    /** Value of {@link #TAG_KIND} for first attempts. */
    public static final String KIND_FIRST = "first";
    /** Value of {@link #TAG_KIND} for retries. */
    public static final String KIND_RETRY = "retry";
    /**
     * The expectation tag value used once an upstream has this many distinct expectation names: the rest are
     * counted as {@code other}, so a bug can never grow the number of series without bound.
     */
    public static final int MAX_EXPECTATIONS = 50;
    /** Value of {@link #TAG_EXPECTATION} beyond {@link #MAX_EXPECTATIONS}. */
    public static final String EXPECTATION_OTHER = "other";
}
