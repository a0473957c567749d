package dev.loxiharness.bench;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run of one benchmark, read back from the JSON {@link BenchMain} wrote
 * ({@code bench/results/<name>-<timestamp>.json}).
 *
 * @param timestamp {@code yyyyMMdd-HHmmss}, as in the file name: runs sort by it
 * @param machine   CPUs, kernel and JVM, as one line
 * @param notes     how the figures were taken (the lines printed under the table); empty in older files
 */
record Run(Path file, String bench, String description, String timestamp, double seconds, String machine,
           String loadavgBefore, String loadavgAfter, List<Figure> figures, List<String> notes, String error) {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    // a figure that could not be taken may have been written as NaN
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static Run read(Path file) {
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        String bench = doc.path("bench").asText();
        List<Figure> figures = new ArrayList<>();
        for (JsonNode f : doc.path("figures")) {
            figures.add(new Figure(bench, f.path("label").asText(), number(f, "value"), text(f, "unit"),
                    number(f, "baseline"), text(f, "baselineLabel"), text(f, "target"),
                    f.path("met").isBoolean() ? f.path("met").asBoolean() : null, text(f, "failure")));
        }
        List<String> notes = new ArrayList<>();
        doc.path("notes").forEach(n -> notes.add(n.asText()));
        JsonNode m = doc.path("machine");
        String machine = m.isMissingNode() ? "" : m.path("cpus").asText() + " CPUs, kernel " + m.path("kernel").asText()
                + ", Java " + m.path("java").asText();
        return new Run(file, bench, doc.path("description").asText(), doc.path("timestamp").asText(),
                doc.path("seconds").asDouble(), machine, doc.path("loadavgBefore").asText(""),
                doc.path("loadavgAfter").asText(""), figures, notes, text(doc, "error"));
    }

    Optional<Figure> figure(String label) {
        return figures.stream().filter(f -> f.label().equals(label)).findFirst();
    }

    /** When it ran, readable: {@code 2026-12-03 14:59:48}. */
    String when() {
        return LocalDateTime.parse(timestamp, STAMP).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    /** When it ran, short, for a chart's axis: {@code 12-03 14:59:48}. */
    String shortWhen() {
        return LocalDateTime.parse(timestamp, STAMP).format(DateTimeFormatter.ofPattern("MM-dd HH:mm:ss"));
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
