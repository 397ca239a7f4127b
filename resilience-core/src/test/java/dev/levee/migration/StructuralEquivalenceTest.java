package dev.levee.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levee.InvalidSpecException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The structural equivalence: each difference by path and kind, and each setting that hides one. */
class StructuralEquivalenceTest {

    private static final Recs.Item A = new Recs.Item("a", "Alpha", 0.5);
    private static final Recs.Item B = new Recs.Item("b", "Beta", 0.25);

    private final Equivalence<Recs> strict = Equivalence.<Recs>structural().build();

    @Test
    void equalAnswersHaveNoDifference() {
        assertThat(strict.compare(Recs.of("c1", 10, A, B), Recs.of("c1", 10, A, B))).isEmpty();
    }

    @Test
    void eachDifferenceIsNamedByPathAndKind() {
        Recs p = Recs.of("c1", 10, A, B);
        Recs c = new Recs("c1", List.of(new Recs.Item("a", "Alpha", 0.6)), 11, 0);
        assertThat(strict.compare(p, c)).extracting(Difference::path, Difference::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("items", MismatchKind.SIZE),
                org.assertj.core.groups.Tuple.tuple("items[0].score", MismatchKind.VALUE),
                org.assertj.core.groups.Tuple.tuple("items[1]", MismatchKind.MISSING),
                org.assertj.core.groups.Tuple.tuple("total", MismatchKind.VALUE));
    }

    @Test
    void ignoredFieldsToleranceAndUnorderedListsHideTheirDifferences() {
        Equivalence<Recs> lenient = Equivalence.<Recs>structural()
                .ignoring("generatedAt").tolerance("items[].score", 0.01).unordered("items").build();
        Recs p = new Recs("c1", List.of(A, B), 10, 1);
        Recs c = new Recs("c1", List.of(new Recs.Item("b", "Beta", 0.255), new Recs.Item("a", "Alpha", 0.495)), 10, 2);
        assertThat(lenient.compare(p, c)).isEmpty();
        assertThat(strict.compare(p, c)).isNotEmpty();
        Recs beyond = new Recs("c1", List.of(B, new Recs.Item("a", "Alpha", 0.52)), 10, 2);
        assertThat(lenient.compare(p, beyond)).extracting(Difference::path, Difference::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("items[0]", MismatchKind.MISSING),
                org.assertj.core.groups.Tuple.tuple("items[1]", MismatchKind.UNEXPECTED));
    }

    @Test
    void mapsNumbersNullsAndTypes() {
        Equivalence<Object> eq = Equivalence.structural().unordered("$").build();
        assertThat(eq.compare(Map.of("a", 1, "b", 2L), Map.of("a", 1L, "c", 2))).extracting(Difference::path, Difference::kind)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("b", MismatchKind.MISSING),
                        org.assertj.core.groups.Tuple.tuple("c", MismatchKind.UNEXPECTED));
        assertThat(eq.compare(Map.of("a", "1"), Map.of("a", 1))).extracting(Difference::kind).containsExactly(MismatchKind.TYPE);
        assertThat(eq.compare(List.of(1, 2, 3), List.of(3, 2, 1))).isEmpty();
        assertThat(eq.compare(Set.of("x"), Set.of("x"))).isEmpty();
        assertThat(Equivalence.structural().build().compare(new Recs("c", List.of(), 1, 0), new Recs(null, List.of(), 1, 0)))
                .extracting(Difference::path, Difference::kind).containsExactly(org.assertj.core.groups.Tuple.tuple("customer", MismatchKind.MISSING));
    }

    @Test
    void aDifferenceNeverShowsItsValuesInItsText() {
        Difference d = new Difference("card", MismatchKind.VALUE, "4111-1111", "4111-2222");
        assertThat(d.toString()).doesNotContain("4111").contains("card");
        assertThat(new Difference("items[12].score", MismatchKind.VALUE, 1, 2).field()).isEqualTo("items[].score");
    }

    @Test
    void badSettingsFailAtTheBuilderNamingTheValue() {
        assertThatThrownBy(() -> Equivalence.structural().tolerance("score", -0.5))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("tolerance(score)").hasMessageContaining("-0.5");
        assertThatThrownBy(() -> Equivalence.structural().ignoring(" ")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("ignoring");
    }
}
