package dev.levee.spring.autoconfigure;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains a startup that failed on a {@code levee.*} key Levee does not know: which key, in which upstream or
 * base configuration, the settings that are there, and the one a typo most likely meant. Spring Boot's own analysis
 * of the same failure shows only the key, behind a description of the binding target.
 *
 * @since 0.2
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class LeveeUnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

    private static final ConfigurationPropertyName LEVEE = ConfigurationPropertyName.of("levee");

    @Override
    protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        List<ConfigurationProperty> unknown = cause.getUnboundProperties().stream()
                .filter(p -> LEVEE.isAncestorOf(p.getName())).sorted().toList();
        if (unknown.isEmpty()) {
            return null;
        }
        StringBuilder description = new StringBuilder("Levee does not know ")
                .append(unknown.size() == 1 ? "this property:\n" : "these properties:\n");
        StringBuilder action = new StringBuilder();
        for (ConfigurationProperty property : unknown) {
            description.append("\n    ").append(property.getName()).append(" = \"").append(property.getValue()).append('"');
            if (property.getOrigin() != null) {
                description.append(" (").append(property.getOrigin()).append(')');
            }
            UnknownProperty why = UnknownProperty.of(property.getName());
            if (why != null) {
                description.append("\n        ").append(why.explanation());
                if (why.suggestion() != null) {
                    action.append("Did you mean '").append(why.suggestion()).append("' instead of '")
                            .append(property.getName()).append("'?\n");
                }
            }
        }
        action.append("Correct or remove ").append(unknown.size() == 1 ? "the property" : "these properties")
                .append(" in your application's configuration. Unknown levee.* keys fail startup so that a misspelt setting")
                .append(" never silently leaves an upstream unprotected.");
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }
}
