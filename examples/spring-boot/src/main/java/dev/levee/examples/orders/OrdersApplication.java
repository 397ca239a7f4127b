package dev.levee.examples.orders;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * An orders service protected by Levee. {@code GET /orders/{id}} combines a critical inventory upstream
 * (an HTTP service interface client, protected with no code: its group is named like the upstream) and an
 * optional recommendations upstream (a RestClient from the {@code UpstreamRestClients} bean, behind a port that
 * translates its answers, with a per-call fallback of no recommendations). Everything Levee does here is configured in {@code application.yml}.
 *
 * <p>By default it starts stub upstreams on loopback ({@link StubUpstreams}); run it with
 * {@code --orders.stubs.enabled=false --spring.http.serviceclient.inventory.base-url=... --orders.recommendations.base-url=...}
 * to call real ones. While the stubs run, {@code POST /stubs/{upstream}/down} and {@code /up} make one fail and
 * recover ({@link StubControlController}).
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(OrdersApplication.class).initializers(new StubUpstreams()).run(args);
    }
}
