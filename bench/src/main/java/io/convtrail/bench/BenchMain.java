package io.convtrail.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark of issue 6: starts PostgreSQL and convtrail (a child JVM), runs the chosen
 * scenarios, prints the figures as a table and writes them as JSON under the results directory.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** A scenario's figures. */
    private interface Scenario {
        List<Figure> run() throws Exception;
    }

    /** Runs a scenario, noting when it ran (wall clock), so a profile of the service can be cut by scenario. */
    private static void phase(Map<String, Object> phases, String name, List<Figure> figures, Scenario scenario)
            throws Exception {
        String start = Instant.now().toString();
        try {
            figures.addAll(scenario.run());
        } finally {
            phases.put(name, List.of(start, Instant.now().toString()));
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        BenchOptions options = BenchOptions.parse(args);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path json = options.resultsDir().resolve(stamp + ".json");
        Path log = options.resultsDir().resolve(stamp + "-service.log");
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", Instant.now().toString());
        run.put("arguments", List.of(args));
        run.put("machine", Machine.describe());
        Progress.say("convtrail bench on " + Machine.oneLine(Machine.describe()));
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        try (BenchDatabase db = BenchDatabase.open(options)) {
            run.put("database", db.describe());
            Progress.say("database: " + db.describe() + "; starting convtrail, log in " + log);
            ServiceProcess service = ServiceProcess.start(options, db, log);
            try (ConvtrailClient client = new ConvtrailClient(service.baseUrl())) {
                Progress.say("convtrail is up at " + service.baseUrl() + " (pid " + service.pid() + ")");
                TurnDriver driver = new TurnDriver(client, options.messages());
                Map<String, Object> phases = new LinkedHashMap<>();
                run.put("phases", phases);
                if (options.runs(1)) {
                    phase(phases, "1+2", figures, () -> new ThroughputScenario(options, db, driver).run(details));
                }
                if (options.runs(3) || options.runs(6)) {
                    ServiceProcess streamed = service;
                    phase(phases, "3+6", figures,
                            () -> new StreamScenario(options, db, streamed, client, driver).run(details));
                }
                if (options.runs(5)) {
                    phase(phases, "5", figures, () -> new QueryScenario(options, db, client).run(details));
                }
                if (options.runs(4)) {
                    RebuildScenario rebuild = new RebuildScenario(options, db, driver, service);
                    try {
                        phase(phases, "4", figures, () -> rebuild.run(client, details));
                    } finally {
                        service = rebuild.service();
                    }
                }
            } finally {
                Report.json(json, run, figures, details);
                service.close();
            }
        }
        System.out.println();
        System.out.println(Report.table(figures));
        System.out.println("Machine: " + Machine.oneLine(Machine.describe()));
        System.out.println("Figures written to " + json);
    }
}
