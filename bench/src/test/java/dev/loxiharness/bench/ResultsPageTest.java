package dev.loxiharness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of the last of four runs of {@code rules} in {@code src/test/resources/results} (and one
 * run of another benchmark, which is no part of its history). In the last run the REST load took
 * 12.0 s after 10.0, 10.4 and 10.2 s, and keep-alive throughput fell from about 5,000 to 4,000
 * req/s: both worse by more than their noise; raw nft moved within its noise, one more rule got
 * faster, and one figure could not be measured.
 */
class ResultsPageTest {
    static final String REST = "10,000 rules over REST (64 in flight)";
    static final String RAW = "raw nft -f stands in";
    static final String RPS = "VIP req/s, keep-alive, 1 rule";
    static final String ONE_MORE = "one more rule at 10,000 (median of 5)";
    static final String FAILED = "idle RSS after 10,000 rules";
    static final List<String> EARLIER_RUNS = List.of("12-01 10:00:00", "12-01 11:00:00", "12-01 12:00:00");

    static ResultsFolder folder;
    static Run last;
    static String page;

    @BeforeAll
    static void render() throws URISyntaxException {
        System.setProperty("java.awt.headless", "true");
        folder = new ResultsFolder(Path.of(ResultsPageTest.class.getResource("/results").toURI()));
        last = folder.newest("rules").orElseThrow();
        page = ResultsPage.render(last, folder.earlier(last));
    }

    @Test
    void everyFigureHasItsRowAndItsCard() {
        assertThat(last.figures()).extracting(Figure::label).containsExactly(REST, RAW, RPS, ONE_MORE, FAILED);
        for (String label : List.of(REST, RAW, RPS, ONE_MORE, FAILED)) {
            String h = ResultsPage.esc(label);
            assertThat(page).as("table row of %s", label).contains("\">" + h + "</a></td>");
            assertThat(section(label)).as("card of %s", label).isNotEmpty();
        }
        // a chart for each figure that has a value or a baseline somewhere; the failed one has neither
        assertThat(count(page, "<svg ")).isEqualTo(4);
        assertThat(section(FAILED)).contains("not measured in this run: daemon &lt;pid 42&gt; &amp; gone").doesNotContain("<svg");
    }

    @Test
    void eachChartHasTheEarlierRunsAndThisOne() {
        for (String label : List.of(REST, RAW, RPS, ONE_MORE)) {
            String svg = section(label).substring(section(label).indexOf("<svg"));
            for (String run : EARLIER_RUNS) {
                assertThat(svg).as("%s charted for %s", run, label).contains(">" + run + "</text>");
            }
            assertThat(svg).contains(">12-02 09:00:00</text>");
            // one marker per run with a value (and per baseline): the earlier values are drawn, not only named
            int markers = count(svg, "<path d='M") - count(svg, "<path d='M0.0,0.0L560.0");
            assertThat(markers).as("markers in the chart of %s", label).isGreaterThanOrEqualTo(4);
        }
        assertThat(section(REST)).contains("baseline, same run: raw nft -f");
        // this run's value and baseline written beside their points
        assertThat(section(REST)).contains(">12.00 s</text>").contains(">900.0 ms</text>").doesNotContain(">10.20 s</text>");
    }

    @Test
    void aFigureFarFromItsBaselineIsOnALogScaleSoNeitherLiesFlat() {
        // 12 s against 0.9 s: more than 5 times apart; 4,000 against 5,200 req/s: not
        assertThat(section(REST)).contains("chart on a log scale");
        assertThat(section(RPS)).doesNotContain("log scale");
    }

    @Test
    void theRunsOfAnotherBenchmarkAreNotItsHistory() {
        assertThat(folder.earlier(last)).extracting(Run::bench).containsOnly("rules").hasSize(3);
        assertThat(page).doesNotContain("99.00 s");
    }

    @Test
    void figuresWorseByMoreThanTheirNoiseAreMarkedAndNoOthers() {
        assertThat(page).contains("2 figures are worse than in the previous run by more than their noise");
        assertThat(section(REST)).startsWith("<section class=\"figure worse\"").contains("<span class=\"mark\">WORSE</span>")
                .contains("10.20 s, change +18 %: <b>worse by more than its noise</b>");
        // throughput is better higher: its fall is the regression
        assertThat(section(RPS)).startsWith("<section class=\"figure worse\"").contains("change -19 %");
        for (String fine : List.of(RAW, ONE_MORE, FAILED)) {
            assertThat(section(fine)).as(fine).startsWith("<section class=\"figure\"").doesNotContain("WORSE");
        }
        assertThat(count(page, "<tr class=\"worse\">")).isEqualTo(2);
        // the red band in the chart of a worse figure, the usual one elsewhere
        assertThat(section(REST)).contains("fill:rgb(248,200,200)");
        assertThat(section(RAW)).doesNotContain("fill:rgb(248,200,200)").contains("fill:rgb(232,240,252)");
    }

    @Test
    void selfContainedNothingFetchedWhenOpened() {
        assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script").doesNotContain("@import");
        assertThat(page).doesNotContain("xlink:href='http");
    }

    @Test
    void htmlOnlyWritesThePageBesideTheNewestJsonOfEachBenchmark(@TempDir Path root) throws IOException {
        Path results = Files.createDirectories(root.resolve("bench/results"));
        for (Path f : Files.list(folder.dir()).toList()) {
            Files.copy(f, results.resolve(f.getFileName()));
        }
        assertThat(BenchMain.htmlOnly(root, List.of())).isZero();
        assertThat(results.resolve("rules-20261202-090000.html")).isRegularFile();
        assertThat(results.resolve("startup-20261201-130000.html")).isRegularFile();
        assertThat(results.resolve("rules-20261201-120000.html")).doesNotExist();

        assertThat(BenchMain.htmlOnly(root, List.of(results.resolve("rules-20261201-120000.json").toString()))).isZero();
        String earlier = Files.readString(results.resolve("rules-20261201-120000.html"));
        assertThat(earlier).contains("compared with 2 earlier runs").doesNotContain("12-02 09:00:00");

        assertThat(BenchMain.htmlOnly(root, List.of("nosuch"))).isEqualTo(2);
    }

    /** The card of one figure: from its {@code <section>} to the next. */
    static String section(String label) {
        Matcher m = Pattern.compile("<section class=\"[^\"]*\" id=\"[^\"]*\">\\n<h3>(<span class=\"mark\">WORSE</span> )?"
                + Pattern.quote(ResultsPage.esc(label)) + "</h3>.*?</section>", Pattern.DOTALL).matcher(page);
        return m.find() ? m.group() : "";
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
