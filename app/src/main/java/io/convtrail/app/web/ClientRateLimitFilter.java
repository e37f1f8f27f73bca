package io.convtrail.app.web;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.convtrail.api.refusal.Refusal;
import io.convtrail.api.refusal.RefusedException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;

/**
 * Per-client request rate ({@code convtrail.request.per-client-rate}, bursts of
 * {@code per-client-burst}): a token bucket per remote address (Bucket4j), answered 429 with
 * {@code Retry-After} when empty. The client is the remote address as the container sees it, so
 * behind a proxy set {@code server.forward-headers-strategy} or every client shares one bucket.
 * Buckets of clients idle for ten minutes are dropped; at most 100,000 are kept. The actuator is
 * not limited: health probes must never be refused. Limits are per node.
 */
class ClientRateLimitFilter extends OncePerRequestFilter {

    private final ProblemFactory problems;
    private final LoadingCache<String, Bucket> buckets;

    ClientRateLimitFilter(ProblemFactory problems, RequestLimitProperties limits) {
        this.problems = problems;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(10))
                .maximumSize(100_000)
                .build(client -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(limits.perClientBurst())
                                .refillGreedy(limits.perClientRate(), Duration.ofSeconds(1)))
                        .build());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe probe = buckets.get(request.getRemoteAddr()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            problems.write(new RefusedException(Refusal.RATE_LIMITED, null,
                    "This client sent more requests than it may; retry later.",
                    Duration.ofNanos(probe.getNanosToWaitForRefill())), request, response);
            return;
        }
        chain.doFilter(request, response);
    }
}
