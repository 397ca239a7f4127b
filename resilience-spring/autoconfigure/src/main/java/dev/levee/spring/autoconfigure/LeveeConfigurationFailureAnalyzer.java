package dev.levee.spring.autoconfigure;

import dev.levee.spring.LeveeConfigurationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed on an invalid {@code levee.*} property: which property, which value, what is
 * allowed.
 *
 * @since 0.1
 */
public final class LeveeConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<LeveeConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LeveeConfigurationException cause) {
        return new FailureAnalysis(
                "Invalid Levee configuration: property '" + cause.property() + "' has the value " + cause.value()
                        + ", but it must be " + cause.allowed() + ".",
                "Change '" + cause.property() + "' in your application's configuration to a value that is " + cause.allowed() + ".",
                cause);
    }
}
