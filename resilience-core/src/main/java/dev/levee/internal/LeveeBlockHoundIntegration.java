package dev.levee.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Tells BlockHound, when an application installs it ({@code BlockHound.install()} finds this class through
 * {@code ServiceLoader} on the class path), that the one wait on Levee's path is not blocking: the outcome
 * window's striped lock ({@link OutcomeWindow}), held for the nanoseconds it takes to add one outcome or sum
 * the stripes, never for I/O or for time. A recorder that finds its stripe taken spins ({@code onSpinWait},
 * and {@code yield} every 64 turns), which BlockHound would otherwise report on a non-blocking thread.
 */
public final class LeveeBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(OutcomeWindow.class.getName(), "lockOwn");
        builder.allowBlockingCallsInside(OutcomeWindow.class.getName() + "$Stripe", "lock");
    }
}
