package dev.loxiharness.harness.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.exec.Host;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTML page of {@code ./topology graph -o x.html} in a real browser: headless Chromium, in a
 * network namespace of its own that holds only {@code lo} (it cannot reach any network), dumps the
 * DOM after a small script has written down the text of every {@code <text>} of the SVG that the
 * browser laid out with a non-empty box. Every node, pod and network of the file must be among them.
 */
class DiagramInBrowserIT {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize();
    static final long BROWSER_SECONDS = 90;
    /** What the page tells the test: the rendered texts, one a line. */
    static final String SCRIPT = """
            <pre id="seen"></pre>
            <script>
            document.getElementById('seen').textContent = Array.from(document.querySelectorAll('svg text'))
                .filter(t => { const b = t.getBBox(); return b.width > 0 && b.height > 0; })
                .map(t => t.textContent.trim()).join('\\n');
            </script>
            """;
    static final Pattern SEEN = Pattern.compile("<pre id=\"seen\">(.*?)</pre>", Pattern.DOTALL);

    static Lab lab;
    static Netns browserNet;

    @TempDir
    Path dir;

    @BeforeAll
    static void offline() {
        Assumptions.assumeTrue(Host.isRoot(), "needs root: the browser runs in a network namespace of its own");
        Assumptions.assumeTrue(Paths.onPath("chromium"), "Chromium is not installed (bin/install-packages --browser, as ./verify runs it)");
        Assumptions.assumeTrue(Graphviz.whyNot().isEmpty(), () -> Graphviz.whyNot().orElse(""));
        lab = Lab.create("lxhweb");
        browserNet = lab.namespace("browser");
    }

    @AfterAll
    static void removeNamespace() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed.yaml", "ha.yaml", "seed-docker.yaml"})
    void everyNodePodAndNetworkIsDrawnAsVisibleText(String file) throws Exception {
        Topology t = TopologyLoader.load(HOME.resolve("topologies").resolve(file));
        Diagram d = TopologyGraph.planned(t);
        Path page = dir.resolve(t.name() + ".html");
        Files.writeString(page, HtmlPage.of(d.title(), Graphviz.svg(DotWriter.write(d))).replace("</body>", SCRIPT + "</body>"));

        List<String> seen = renderedTexts(page);

        assertThat(seen).as("texts Chromium laid out").containsAll(d.names()).containsAll(t.networks().keySet())
                .contains(d.title());
        t.networks().values().forEach(n -> assertThat(seen).contains(n.subnet()));
    }

    /** Chromium's DOM of {@code page} once its script ran: the texts it wrote down. */
    private List<String> renderedTexts(Path page) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage",
                "--user-data-dir=" + dir.resolve("profile"), "--dump-dom", page.toUri().toString()));
        Process p = new ProcessBuilder(browserNet.wrap(cmd)).redirectError(dir.resolve("chromium.err").toFile()).start();
        p.getOutputStream().close();
        byte[] dom;
        try {
            dom = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(BROWSER_SECONDS, TimeUnit.SECONDS)).as("chromium ended within " + BROWSER_SECONDS + " s").isTrue();
        } finally {
            // ours only: the browser and what it started, by pid
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = new String(dom, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("chromium exit; stderr: " + Files.readString(dir.resolve("chromium.err"))).isZero();
        Matcher m = SEEN.matcher(out);
        assertThat(m.find()).as("the page's list of texts in the DOM: " + out.substring(0, Math.min(out.length(), 500))).isTrue();
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&").lines().toList();
    }
}
