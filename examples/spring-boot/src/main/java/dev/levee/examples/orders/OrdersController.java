package dev.levee.examples.orders;

import dev.levee.UpstreamException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /orders/{id}}; when a critical upstream fails, an RFC 9457 problem response with status 503. */
@RestController
class OrdersController {

    private final OrderService orders;

    OrdersController(OrderService orders) {
        this.orders = orders;
    }

    @GetMapping("/orders/{id}")
    OrderService.OrderView order(@PathVariable String id) {
        return orders.order(id);
    }

    @ExceptionHandler(UpstreamException.class)
    ProblemDetail upstreamFailed(UpstreamException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The order cannot be shown: upstream '" + e.upstream() + "' is not answering (" + e.outcome().tag() + ").");
        problem.setTitle("Dependency unavailable");
        problem.setProperty("upstream", e.upstream());
        problem.setProperty("outcome", e.outcome().tag());
        return problem;
    }
}
