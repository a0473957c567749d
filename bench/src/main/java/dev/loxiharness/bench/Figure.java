package dev.loxiharness.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured figure beside its baseline from the same run. {@code ratio} is value / baseline;
 * {@code target} is what we aim for, as text, and {@code met} whether this run met it (null when
 * there is no target). A figure that could not be measured carries {@code failure} instead.
 */
record Figure(String bench, String label, Double value, String unit, Double baseline, String baselineLabel,
              String target, Boolean met, String failure) {

    static Figure of(String bench, String label, double value, String unit, Double baseline, String baselineLabel,
                     String target, Boolean met) {
        return new Figure(bench, label, value, unit, baseline, baselineLabel, target, met, null);
    }

    static Figure failed(String bench, String label, String why) {
        return new Figure(bench, label, null, null, null, null, null, false, why);
    }

    /**
     * What the figure is called across runs: its label without a trailing {@code [remark]} on this run
     * (such as {@code [noisy]}), so that the runs of one figure line up in the history.
     */
    String key() {
        return label.replaceAll("\\s*\\[[^\\]]*]$", "");
    }

    /** Throughput is better higher; times, sizes, counts of failures and ratios of them lower. */
    boolean higherIsBetter() {
        return "req/s".equals(unit);
    }

    Double ratio() {
        return value == null || baseline == null || baseline == 0 ? null : value / baseline;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("value", value);
        m.put("unit", unit);
        m.put("baseline", baseline);
        m.put("baselineLabel", baselineLabel);
        m.put("ratio", ratio());
        m.put("target", target);
        m.put("met", met);
        if (failure != null) {
            m.put("failure", failure);
        }
        return m;
    }

    String valueText() {
        return failure != null ? "FAILED" : format(value, unit);
    }

    String baselineText() {
        return baseline == null ? "" : format(baseline, unit) + " " + baselineLabel;
    }

    String ratioText() {
        Double r = ratio();
        return r == null ? "" : String.format(Locale.ROOT, r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r);
    }

    String verdict() {
        if (failure != null) {
            String one = failure.replaceAll("\u001B\\[[0-9;]*m", "").replaceAll("\\s+", " ").strip();
            return "FAIL: " + (one.length() > 160 ? one.substring(0, 157) + "..." : one) + " (details in the JSON)";
        }
        return target == null ? "" : target + (met == null ? "" : met ? "  ok" : "  MISSED");
    }

    static String format(double v, String unit) {
        return switch (unit) {
            case "s" -> v < 1 ? String.format(Locale.ROOT, "%.1f ms", v * 1000) : String.format(Locale.ROOT, "%.2f s", v);
            case "ms" -> String.format(Locale.ROOT, v < 10 ? "%.3f ms" : "%.1f ms", v);
            case "req/s" -> String.format(Locale.ROOT, "%,.0f req/s", v);
            case "MB" -> String.format(Locale.ROOT, "%.0f MB", v);
            case "x" -> String.format(Locale.ROOT, "%.2fx", v);
            default -> String.format(Locale.ROOT, "%.3g %s", v, unit).strip();
        };
    }
}
