package dev.loxiharness.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page of one run, written beside its JSON ({@code <name>-<timestamp>.html}): a table of the
 * figures, then one chart per figure with its baseline from the same run and its history over the
 * earlier runs' JSON in the same folder, a red band and a WORSE mark where a figure got worse than
 * the previous run by more than its noise ({@link Trend}). One self-contained file: styles inline,
 * charts as inline SVG, nothing fetched when it is opened.
 */
final class ResultsPage {
    private static final String STYLE = """
            body { font-family: sans-serif; margin: 1.5em auto; max-width: 1240px; color: #222; }
            h1 small, .meta { color: #666; font-weight: normal; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            td.num { text-align: right; white-space: nowrap; }
            tr.worse td { background: #fbe3e3; }
            .mark { color: #fff; background: #c62828; border-radius: 3px; padding: 0 0.4em; font-weight: bold; }
            .ok { color: #2e7d32; }
            .missed, .failed { color: #c62828; font-weight: bold; }
            .alarm { border-left: 6px solid #c62828; background: #fbe3e3; padding: 0.5em 1em; }
            .error { border-left: 6px solid #c62828; padding: 0.5em 1em; white-space: pre-wrap; }
            .figures { display: flex; flex-wrap: wrap; gap: 1em; }
            section.figure { border: 1px solid #ccc; border-radius: 4px; padding: 0.6em 0.9em; width: 600px; box-sizing: border-box; }
            section.figure.worse { border: 3px solid #c62828; }
            section.figure h3 { font-size: 1em; margin: 0.2em 0 0.4em; }
            section.figure p { margin: 0.25em 0; font-size: 0.9em; }
            """;

    private ResultsPage() {
    }

    /** Writes the page of {@code run} beside its JSON, charting the earlier runs found in {@code folder}; returns its path. */
    static Path write(ResultsFolder folder, Run run) {
        Path page = ResultsFolder.pageOf(run);
        try {
            Files.writeString(page, render(run, folder.earlier(run)));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + page + ": " + e.getMessage(), e);
        }
        return page;
    }

    static String render(Run run, List<Run> earlier) {
        List<Trend> trends = new ArrayList<>();
        for (Figure f : run.figures()) {
            trends.add(Trend.of(run, f, earlier));
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>bench ").append(esc(run.bench()))
                .append(' ').append(esc(run.when())).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        h.append("<h1>bench/run ").append(esc(run.bench())).append(" <small>").append(esc(run.when())).append("</small></h1>\n");
        h.append("<p>").append(esc(run.description())).append("</p>\n");
        h.append("<p class=\"meta\">took ").append(String.format(Locale.ROOT, "%.1f s", run.seconds()))
                .append(" &middot; ").append(esc(run.machine()))
                .append(" &middot; load average before ").append(esc(run.loadavgBefore())).append(", after ")
                .append(esc(run.loadavgAfter())).append(" &middot; compared with ").append(earlier.size())
                .append(earlier.size() == 1 ? " earlier run" : " earlier runs").append(" of ").append(esc(run.bench()))
                .append(" in the same folder</p>\n");
        if (run.error() != null) {
            h.append("<p class=\"error\">the benchmark failed: ").append(esc(run.error())).append("</p>\n");
        }
        List<Trend> worse = trends.stream().filter(Trend::worse).toList();
        if (!worse.isEmpty()) {
            h.append("<p class=\"alarm\"><span class=\"mark\">WORSE</span> ").append(worse.size())
                    .append(worse.size() == 1 ? " figure is" : " figures are")
                    .append(" worse than in the previous run by more than their noise: ")
                    .append(esc(String.join("; ", worse.stream().map(t -> t.figure().label()).toList()))).append("</p>\n");
        }
        table(h, trends);
        h.append("<h2>Charts</h2>\n<p>Each chart shows one figure (blue, solid) and its baseline measured in the same run "
                + "(grey, dashed) for the earlier runs found beside this file, oldest left, and this run on the shaded band "
                + "at the right: the band is red when the figure is worse than in the previous run by more than its noise. "
                + "The noise is how much the figure spread over the last " + Trend.SPREAD_RUNS + " earlier runs, at least "
                + Trend.FLOOR_PERCENT + " % of the previous value (" + Trend.UNKNOWN_PERCENT + " % while fewer than "
                + Trend.MIN_RUNS_FOR_SPREAD + " earlier runs are there). Lower is better, except for requests per second.</p>\n");
        if (!run.notes().isEmpty()) {
            h.append("<ul>\n");
            run.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
            h.append("</ul>\n");
        }
        h.append("<div class=\"figures\">\n");
        for (int i = 0; i < trends.size(); i++) {
            card(h, "figure-" + (i + 1), trends.get(i));
        }
        h.append("</div>\n</body></html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, List<Trend> trends) {
        h.append("<table>\n<tr><th>figure</th><th>this run</th><th>baseline (same run)</th><th>ratio</th>"
                + "<th>previous run</th><th>change</th><th>target</th></tr>\n");
        for (int i = 0; i < trends.size(); i++) {
            Trend t = trends.get(i);
            Figure f = t.figure();
            h.append(t.worse() ? "<tr class=\"worse\">" : "<tr>")
                    .append("<td><a href=\"#figure-").append(i + 1).append("\">").append(esc(f.label())).append("</a></td>")
                    .append("<td class=\"num\">").append(f.failure() != null ? "<span class=\"failed\">FAILED</span>"
                            : esc(f.valueText())).append("</td>")
                    .append("<td>").append(esc(f.baselineText())).append("</td>")
                    .append("<td class=\"num\">").append(esc(f.ratioText())).append("</td>")
                    .append("<td class=\"num\">").append(t.previous() == null ? "" : esc(Figure.format(t.previous(), f.unit())))
                    .append("</td><td class=\"num\">").append(esc(changeText(t)))
                    .append(t.worse() ? " <span class=\"mark\">WORSE</span>" : "").append("</td>")
                    .append("<td>").append(targetHtml(f)).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void card(StringBuilder h, String id, Trend t) {
        Figure f = t.figure();
        h.append("<section class=\"figure").append(t.worse() ? " worse" : "").append("\" id=\"").append(id).append("\">\n");
        h.append("<h3>").append(t.worse() ? "<span class=\"mark\">WORSE</span> " : "").append(esc(f.label())).append("</h3>\n");
        if (f.failure() != null) {
            h.append("<p class=\"failed\">not measured in this run: ").append(esc(f.failure())).append("</p>\n");
        } else {
            h.append("<p><b>").append(esc(f.valueText())).append("</b>");
            if (f.baseline() != null) {
                h.append(" against ").append(esc(Figure.format(f.baseline(), f.unit()))).append(" for the baseline, ")
                        .append(esc(f.baselineLabel())).append(", in the same run: ratio <b>").append(esc(f.ratioText()))
                        .append("</b> (figure &divide; baseline)");
            }
            h.append(" &middot; ").append(f.higherIsBetter() ? "higher" : "lower").append(" is better</p>\n");
        }
        if (f.target() != null) {
            h.append("<p>target: ").append(targetHtml(f)).append("</p>\n");
        }
        if (t.previous() != null) {
            h.append("<p>previous run (").append(esc(t.previousRun().when())).append("): ")
                    .append(esc(Figure.format(t.previous(), f.unit())));
            if (f.value() != null) {
                h.append(", change ").append(esc(changeText(t))).append(t.worse() ? ": <b>worse by more than its noise</b>"
                        : ": within its noise or better");
            }
            h.append(" (noise ").append(esc(Figure.format(t.noise(), f.unit()))).append(": ").append(esc(t.noiseBasis()))
                    .append(")</p>\n");
        } else {
            h.append("<p>no earlier run of this figure in the folder</p>\n");
        }
        if (t.points().stream().anyMatch(p -> p.value() != null || p.baseline() != null)) {
            if (FigureChart.logScale(t)) {
                h.append("<p>chart on a log scale: figure and baseline are more than ")
                        .append((int) FigureChart.LOG_SCALE_FACTOR).append(" times apart</p>\n");
            }
            h.append(FigureChart.svg(id + "-chart", t)).append('\n');
        }
        h.append("</section>\n");
    }

    private static String changeText(Trend t) {
        Figure f = t.figure();
        if (f.value() == null || t.previous() == null) {
            return "";
        }
        Double c = t.change();
        return c == null ? String.format(Locale.ROOT, "%+.3g", f.value() - t.previous())
                : String.format(Locale.ROOT, "%+.0f %%", c * 100);
    }

    private static String targetHtml(Figure f) {
        if (f.target() == null) {
            return "";
        }
        String met = f.met() == null ? "" : f.met() ? " <span class=\"ok\">met</span>" : " <span class=\"missed\">MISSED</span>";
        return esc(f.target()) + met;
    }

    /** Text for HTML: the five characters that could open markup, escaped. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
