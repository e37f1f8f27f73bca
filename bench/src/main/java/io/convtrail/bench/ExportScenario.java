package io.convtrail.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 9: export every stored conversation ({@code GET /api/v1/conversation/export}, as an admin)
 * and count its lines as they arrive; meanwhile sample the service's heap live set every few seconds (a
 * class histogram after a full GC: one operation, so the export's garbage of the moment is not counted).
 * The export streams from a database cursor, so the live set during it should stay near the one before
 * it, however many events there are. Run after scenario 4 (or with a reused
 * {@code --data-dir}) to export a large store. Baseline: {@link RawReplayBound}, reading the same
 * events without writing them anywhere.
 */
final class ExportScenario {

    private static final long SAMPLE_MILLIS = 3_000;
    private static final long FLAT_BYTES = 64L * 1024 * 1024;

    private final BenchDatabase db;
    private final ServiceProcess service;

    ExportScenario(BenchDatabase db, ServiceProcess service) {
        this.db = db;
        this.service = service;
    }

    List<Figure> run(String baseUrl, Map<String, Object> details) throws Exception {
        long head = db.head();
        double raw = RawReplayBound.eventsPerSecond(db);
        Progress.say(String.format("s9 baseline: %.0f events/s read and parsed", raw));
        long before = service.liveHeapBytes();
        AtomicLong peak = new AtomicLong(before);
        AtomicLong samples = new AtomicLong();
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(SAMPLE_MILLIS);
                    peak.accumulateAndGet(service.liveHeapBytes(), Math::max);
                    samples.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                Progress.say("s9 heap sample failed: " + e.getMessage());
            }
        }, "export-heap-sampler");
        long records = 0;
        long bytes = 0;
        long start = System.nanoTime();
        sampler.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/api/v1/conversation/export")).timeout(Duration.ofHours(1))
                    .header("Authorization", "Bearer " + BenchTokens.ADMIN).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /api/v1/conversation/export answered " + response.statusCode());
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    bytes += line.length() + 1;
                    if (line.startsWith("{\"type\":\"record\"")) {
                        records++;
                    }
                }
            }
        } finally {
            sampler.interrupt();
            sampler.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = records / seconds;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("storedEvents", head);
        d.put("exportedRecords", records);
        d.put("bytes", bytes);
        d.put("seconds", seconds);
        d.put("heapLiveBeforeMb", ServiceMemory.mb(before));
        d.put("heapLivePeakDuringMb", ServiceMemory.mb(peak.get()));
        d.put("heapSamples", samples.get());
        details.put("s9", d);
        Progress.say(String.format("s9 export: %d records (%.0f MB) in %.1f s = %.0f records/s; heap live %.0f MB "
                        + "before, at most %.0f MB during (%d samples)", records, bytes / 1e6, seconds, rate,
                ServiceMemory.mb(before), ServiceMemory.mb(peak.get()), samples.get()));
        String note = String.format("%d records of %d stored events, %.0f MB; heap live set %.0f MB before, "
                        + "at most %.0f MB during (%d class histograms after a full GC)", records, head, bytes / 1e6,
                ServiceMemory.mb(before), ServiceMemory.mb(peak.get()), samples.get());
        boolean flat = peak.get() - before <= FLAT_BYTES;
        return List.of(Figure.rate("9", "export, " + records + " records", "records/s", rate,
                "plain JDBC read + JSON parse of all events", raw,
                "heap flat (peak ≤ before + 64 MB)", flat, note));
    }
}
