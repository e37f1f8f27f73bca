package io.convtrail.bench;

import io.convtrail.testsupport.api.ConvtrailApi;
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
        if (options.drivesTarget()) {
            driveTarget(options, run, figures, details, json);
            printTable(figures, json);
            return;
        }
        try (BenchDatabase db = BenchDatabase.open(options)) {
            run.put("database", db.describe());
            Progress.say("database: " + db.describe() + "; starting convtrail, log in " + log);
            ServiceProcess service = ServiceProcess.start(options, db, log);
            try (ConvtrailApi client = new ConvtrailApi(service.baseUrl(), BenchTokens::authorization)) {
                Progress.say("convtrail is up at " + service.baseUrl() + " (pid " + service.pid() + ")");
                TurnDriver driver = new TurnDriver(client, options.messages(), options.readAfterTurn());
                warmUp(options, driver, List.of(service.pid()), db, details);
                if (options.runs(1)) {
                    List<Long> measured = List.of(service.pid());
                    figures.addAll(Phases.timed("scenario 1+2",
                            () -> new ThroughputScenario(options, db, driver, measured).run(details)));
                }
                if (options.runs(3) || options.runs(6)) {
                    ServiceProcess streamed = service;
                    figures.addAll(Phases.timed("scenario 3+6",
                            () -> new StreamScenario(options, db, streamed, client, driver).run(details)));
                }
                if (options.runs(5)) {
                    figures.addAll(Phases.timed("scenario 5",
                            () -> new QueryScenario(options, db, client).run(details)));
                }
                if (options.runs(7)) {
                    AlternatingRounds rounds = new AlternatingRounds(options, db, service);
                    try {
                        figures.addAll(Phases.timed("scenario 7",
                                () -> new SecurityOverheadScenario(rounds, driver).run(details)));
                    } finally {
                        service = rounds.service();
                    }
                }
                if (options.runs(10)) {
                    AlternatingRounds rounds = new AlternatingRounds(options, db, service);
                    try {
                        figures.addAll(Phases.timed("scenario 10",
                                () -> new EncryptionOverheadScenario(options, db, rounds, driver).run(client, details)));
                    } finally {
                        service = rounds.service();
                    }
                }
                if (options.runs(11)) {
                    AlternatingRounds rounds = new AlternatingRounds(options, db, service);
                    try {
                        figures.addAll(Phases.timed("scenario 11",
                                () -> new ReadYourWritesScenario(rounds, client, options).run(details)));
                    } finally {
                        service = rounds.service();
                    }
                }
                if (options.runs(12)) {
                    ServiceProcess alone = service;
                    figures.addAll(Phases.timed("scenario 12",
                            () -> new TwoNodesScenario(options, db, alone).run(client, details)));
                }
                if (options.runs(8)) {
                    ServiceProcess fuzzed = service;
                    figures.addAll(Phases.timed("scenario 8",
                            () -> new FuzzScenario(options, db, fuzzed, client).run(details)));
                }
                if (options.runs(4)) {
                    RebuildScenario rebuild = new RebuildScenario(options, db, driver, service);
                    try {
                        figures.addAll(Phases.timed("scenario 4", () -> rebuild.run(client, details)));
                    } finally {
                        service = rebuild.service();
                    }
                }
                if (options.runs(9)) {
                    ServiceProcess exporting = service;
                    figures.addAll(Phases.timed("scenario 9",
                            () -> new ExportScenario(db, exporting).run(exporting.baseUrl(), details)));
                }
            } finally {
                run.put("phases", Phases.all());
                Report.json(json, run, figures, details);
                service.close();
            }
        }
        printTable(figures, json);
    }

    /** The service's JIT warm-up ({@link JitWarmUp}), unless turned off. */
    private static void warmUp(BenchOptions options, TurnDriver driver, List<Long> pids, BenchDatabase db,
                               Map<String, Object> details) throws Exception {
        if (options.jitWarmupSeconds() > 0) {
            details.put("jitWarmUp", Phases.timed("JIT warm-up", () -> JitWarmUp.run(driver, pids, db,
                    options.jitWarmupSeconds(), options.turnsPerConversation())));
        }
    }

    /**
     * Scenario 1 against a service the bench did not start ({@code --target-url}): the same clients and turns, CPU
     * charged to the given pids and to the live backends of the given database.
     */
    private static void driveTarget(BenchOptions options, Map<String, Object> run, List<Figure> figures,
                                    Map<String, Object> details, Path json) throws Exception {
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("url", options.targetUrl());
        target.put("pids", options.targetPids());
        run.put("target", target);
        try (BenchDatabase db = BenchDatabase.open(options);
             ConvtrailApi client = new ConvtrailApi(options.targetUrl(), BenchTokens::authorization)) {
            run.put("database", db.describe());
            Phases.service(options.targetPids().get(0));
            Progress.say("driving the service at " + options.targetUrl() + " (pids " + options.targetPids()
                    + ", not started by the bench); database: " + db.describe());
            TurnDriver driver = new TurnDriver(client, options.messages(), options.readAfterTurn());
            warmUp(options, driver, options.targetPids(), db, details);
            figures.addAll(Phases.timed("scenario 1",
                    () -> new ThroughputScenario(options, db, driver, options.targetPids()).run(details)));
        } finally {
            run.put("phases", Phases.all());
            Report.json(json, run, figures, details);
        }
    }

    private static void printTable(List<Figure> figures, Path json) {
        System.out.println();
        System.out.println(Report.table(figures));
        System.out.println("Machine: " + Machine.oneLine(Machine.describe()));
        System.out.println("Figures written to " + json);
    }
}
