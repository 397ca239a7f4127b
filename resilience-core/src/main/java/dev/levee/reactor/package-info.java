/**
 * The Reactor entry point: a {@code Mono} (or a {@code Flux} for a request that yields one response) wrapped
 * by an upstream's whole call path. Needs {@code io.projectreactor:reactor-core} on the classpath, which the
 * core declares as an optional dependency; nothing else in the core uses it.
 *
 * <pre>{@code
 * ReactorUpstream pricing = ReactorUpstream.of(upstreams.upstream("pricing"));
 * Mono<Price> price = pricing.mono(ctx -> webClient.get().uri("/prices/{sku}", sku).retrieve()
 *         .bodyToMono(PriceDto.class).timeout(ctx.remaining()), PriceAdapter.INSTANCE, CallOptions.idempotent());
 * }</pre>
 *
 * @since 0.3
 */
@NullMarked
package dev.levee.reactor;

import org.jspecify.annotations.NullMarked;
