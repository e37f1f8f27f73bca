package io.convtrail.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service's read-side backpressure meters ({@code convtrail_turn_backpressure_*} on
 * {@code /actuator/prometheus}) since it started: how many turns waited for the read side, how long in all,
 * how many were refused, and the lag last read. Empty when the service does not expose them.
 */
final class BackpressureMeters {

    private static final String PREFIX = "convtrail_turn_backpressure_";

    private BackpressureMeters() {
    }

    static Map<String, Double> of(ServiceProcess service) {
        Map<String, Double> meters = new LinkedHashMap<>();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/actuator/prometheus"))
                    .header("Authorization", BenchTokens.authorization("/actuator"))
                    .timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return meters;
            }
            for (String line : response.body().split("\n")) {
                if (line.startsWith(PREFIX) && line.indexOf(' ') > 0) {
                    String name = line.substring(PREFIX.length(), line.lastIndexOf(' '));
                    meters.put(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        } catch (Exception e) {
            Progress.say("cannot read the backpressure meters: " + e);
        }
        return meters;
    }
}
