package dev.levee.internal;

import dev.levee.TimeSource;

/**
 * A migration's budget of shadow calls: a token bucket holding at most one second's worth, refilled
 * continuously on the candidate's time source.
 */
final class ShadowBudget {

    private final TimeSource time;
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    ShadowBudget(TimeSource time, int perSecond) {
        this.time = time;
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.last = time.nanoTime();
    }

    synchronized boolean tryTake() {
        long now = time.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
