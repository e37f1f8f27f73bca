package io.convtrail.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's figures as a Markdown table (pasted as is into docs/performance.md) and as JSON. */
final class Report {

    private Report() {
    }

    static String table(List<Figure> figures) {
        StringBuilder t = new StringBuilder();
        t.append("| # | figure | median | p99 | baseline (same run) | baseline median | baseline p99 | ratio | target | met | note |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            t.append("| ").append(f.scenario())
                    .append(" | ").append(f.name())
                    .append(" | ").append(number(f.median(), f.unit()))
                    .append(" | ").append(f.p99() == null ? "" : number(f.p99(), f.unit()))
                    .append(" | ").append(f.baseline() == null ? "" : f.baseline())
                    .append(" | ").append(Double.isNaN(f.baselineMedian()) ? "" : baselineNumber(f.baselineMedian(), f.unit()))
                    .append(" | ").append(f.baselineP99() == null ? "" : baselineNumber(f.baselineP99(), f.unit()))
                    .append(" | ").append(Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f×", f.ratio()))
                    .append(" | ").append(f.target() == null ? "" : f.target())
                    .append(" | ").append(f.met() == null ? "" : f.met() ? "yes" : "**no**")
                    .append(" | ").append(f.note() == null ? "" : f.note())
                    .append(" |\n");
        }
        return t.toString();
    }

    static void json(Path file, Map<String, Object> run, List<Figure> figures, Map<String, Object> details)
            throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", f.scenario());
            row.put("figure", f.name());
            row.put("unit", f.unit());
            row.put("median", Double.isNaN(f.median()) ? null : f.median());
            row.put("p99", f.p99());
            row.put("baseline", f.baseline());
            row.put("baselineMedian", Double.isNaN(f.baselineMedian()) ? null : f.baselineMedian());
            row.put("baselineP99", f.baselineP99());
            row.put("ratio", Double.isNaN(f.ratio()) ? null : f.ratio());
            row.put("target", f.target());
            row.put("met", f.met());
            row.put("note", f.note());
            rows.add(row);
        }
        Map<String, Object> all = new LinkedHashMap<>(run);
        all.put("figures", rows);
        all.put("details", details);
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), all);
    }

    /** A baseline may count something else (requests, rows), so its rate carries no unit; ms, MB and CPU ms do. */
    private static String baselineNumber(double value, String unit) {
        return unit.endsWith("/s") ? String.format(Locale.ROOT, "%,.0f/s", value) : number(value, unit);
    }

    private static String number(double value, String unit) {
        if (Double.isNaN(value)) {
            return "not measured";
        }
        if (unit.equals("ms")) {
            return String.format(Locale.ROOT, value < 10 ? "%.2f ms" : "%.1f ms", value);
        }
        if (unit.equals(Figure.CPU_PER_TURN)) {
            return String.format(Locale.ROOT, "%.2f ms", value);
        }
        if (unit.equals("MB")) {
            return String.format(Locale.ROOT, "%.0f MB", value);
        }
        return String.format(Locale.ROOT, "%,.0f %s", value, unit);
    }
}
