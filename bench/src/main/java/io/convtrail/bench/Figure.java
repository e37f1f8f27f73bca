package io.convtrail.bench;

/**
 * One measured figure next to the baseline measured in the same run. {@code median} is the median
 * (p50) of the samples, {@code p99} is set for latencies; {@code ratio} is median over the
 * baseline's median. {@code met} is null when the issue sets no target for the figure. A figure
 * that is itself the context of others (the 1-client step) may have no baseline: {@code baseline}
 * null, {@code baselineMedian} NaN.
 */
public record Figure(
        String scenario,
        String name,
        String unit,
        double median,
        Double p99,
        String baseline,
        double baselineMedian,
        Double baselineP99,
        String target,
        Boolean met,
        String note) {

    /** CPU milliseconds per turn (from /proc), printed with two decimals: the target is a few ms. */
    static final String CPU_PER_TURN = "CPU ms/turn";

    public double ratio() {
        return baselineMedian == 0 ? Double.NaN : median / baselineMedian;
    }

    static Figure latency(String scenario, String name, Percentiles measured, String baseline,
                          Percentiles base, String target, Boolean met, String note) {
        return new Figure(scenario, name, "ms", measured.p50Millis(), measured.p99Millis(), baseline,
                base == null ? Double.NaN : base.p50Millis(), base == null ? null : base.p99Millis(), target, met, note);
    }

    static Figure rate(String scenario, String name, String unit, double median, String baseline,
                       double baselineMedian, String target, Boolean met, String note) {
        return new Figure(scenario, name, unit, median, null, baseline, baselineMedian, null, target, met, note);
    }
}
