package dev.levee.examples.orders;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Makes a stub upstream fail or recover while the example runs, to watch the degraded behaviour:
 * {@code POST /stubs/recommendations/down} (orders still answer, without recommendations, and
 * {@code levee_calls_seconds_count{fallback="true"}} rises), {@code POST /stubs/inventory/down} (orders answer
 * 503, readiness goes DOWN), {@code POST /stubs/loyalty/down} (orders answer without loyalty points, from the
 * fallback), {@code POST /stubs/recommendations-v2/down} (the migration's candidate: shadowing pauses, a ramp
 * rolls back to v1), {@code POST /stubs/{upstream}/up} to recover. An HTTP stub that is down answers every request
 * with 503; the loyalty database's stand-in refuses every query. Answers 404 when the stubs are off ({@code orders.stubs.enabled=false}).
 */
@RestController
class StubControlController {

    private final ObjectProvider<StubUpstreams> stubs;
    private final LoyaltyDatabase.Outage loyalty;

    StubControlController(ObjectProvider<StubUpstreams> stubs, LoyaltyDatabase.Outage loyalty) {
        this.stubs = stubs;
        this.loyalty = loyalty;
    }

    @PostMapping("/stubs/{upstream}/{state}")
    ResponseEntity<?> set(@PathVariable String upstream, @PathVariable String state) {
        StubUpstreams available = stubs.getIfAvailable();
        if (available == null) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "The stub upstreams are off (orders.stubs.enabled=false).")).build();
        }
        if (!(StubUpstreams.NAMES.contains(upstream) || upstream.equals("loyalty")) || !(state.equals("down") || state.equals("up"))) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "POST /stubs/{inventory|recommendations|recommendations-v2|loyalty}/{down|up}")).build();
        }
        if (upstream.equals("loyalty")) {
            loyalty.set(state.equals("down"));
        } else if (state.equals("down")) {
            available.down(upstream);
        } else {
            available.up(upstream);
        }
        return ResponseEntity.ok(java.util.Map.of("upstream", upstream, "stub", state));
    }
}
