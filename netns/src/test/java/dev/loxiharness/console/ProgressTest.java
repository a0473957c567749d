package dev.loxiharness.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Both ways of telling progress, on a clock the test moves and with the redraws the test makes. */
class ProgressTest {
    static final String CLEAR = "\r\u001b[2K";

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Progress progress(boolean live) {
        return new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), live, clock::get, null);
    }

    void seconds(double s) {
        clock.addAndGet((long) (s * 1e9));
    }

    String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesAreOnePerStepWithTheTimeSinceTheStart() {
        Progress p = progress(false);
        p.step("namespaces: 6");
        seconds(1.5);
        try (Progress.Task t = p.start("daemons")) {
            seconds(2);
            p.tick();
            t.done("daemons ready");
        }
        assertThat(out()).isEqualTo("   0.00s  namespaces: 6\n   3.50s  daemons ready\n");
    }

    @Test
    void plainLinesOfACountedLoadArePerTenth() {
        Progress p = progress(false);
        try (Progress.Task t = p.start("10,000 rules over REST", 10_000)) {
            for (int i = 1; i <= 10_000; i += 7) {
                t.advance(i);
                p.tick();
            }
            t.advance(10_000);
            t.done("10,000 rules over REST: all 200");
        }
        String[] lines = out().split("\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).isEqualTo("   0.00s  10,000 rules over REST: 10 % (1,002 of 10,000)");
        assertThat(lines[8]).endsWith("10,000 rules over REST: 90 % (9,003 of 10,000)");
        assertThat(lines[9]).endsWith("10,000 rules over REST: all 200");
        assertThat(out()).doesNotContain("\r").doesNotContain("\u001b");
    }

    @Test
    void plainSaysOnceThatALongTaskIsStillUnderWay() {
        Progress p = progress(false);
        try (Progress.Task t = p.start("kind: kubeadm init on node1")) {
            seconds(9);
            p.tick();
            assertThat(out()).isEmpty();
            seconds(1);
            p.tick();
            seconds(30);
            p.tick();
            t.done("kind: kubeadm init on node1");
        }
        assertThat(out()).isEqualTo("  10.00s  kind: kubeadm init on node1 ... (under way for 10 s)\n"
                + "  40.00s  kind: kubeadm init on node1\n");
    }

    @Test
    void aTaskClosedWithoutDoneLeavesNoLine() {
        Progress p = progress(false);
        try (Progress.Task t = p.start("image loxiharness/loxilb: docker build")) {
            seconds(1);
        }
        assertThat(out()).isEmpty();
    }

    @Test
    void liveTheWorkUnderWayIsOneLineRedrawnInPlace() {
        Progress p = progress(true);
        Progress.Task t = p.start("image loxiharness/loxilb:abc: docker build");
        seconds(2.5);
        p.tick();
        assertThat(out()).endsWith(CLEAR + "   2.50s  image loxiharness/loxilb:abc: docker build 2.5 s /")
                .doesNotContain("\n");

        p.step("image base: present");
        assertThat(out()).endsWith(CLEAR + "   2.50s  image base: present\n"
                + CLEAR + "   2.50s  image loxiharness/loxilb:abc: docker build 2.5 s -");

        seconds(1);
        t.done("image loxiharness/loxilb:abc: built in 3.5 s");
        assertThat(out()).endsWith(CLEAR + "   3.50s  image loxiharness/loxilb:abc: built in 3.5 s\n");
        int before = out().length();
        p.tick();
        assertThat(out()).hasSize(before);
    }

    @Test
    void liveACountedLoadIsABar() {
        Progress p = progress(true);
        try (Progress.Task t = p.start("rules", 1_000)) {
            t.advance(500);
            seconds(1);
            p.tick();
            assertThat(out()).endsWith(CLEAR + "   1.00s  rules [##########..........]  50 % 500/1,000 1.0 s /");
            t.advance(1_000);
            p.tick();
            assertThat(out()).contains("[####################] 100 % 1,000/1,000");
        }
        assertThat(out()).endsWith(CLEAR).doesNotContain("\n");
    }

    @Test
    void liveALongTextIsShortenedToTheTerminalKeepingHowFarAndHowLong() {
        Progress p = progress(true);
        p.width(60);
        try (Progress.Task t = p.start("image loxiharness/loxilb:0123456789ab: docker build --network none, FROM base")) {
            seconds(12.25);
            p.tick();
        }
        String drawn = out().split(Pattern.quote(CLEAR))[2];
        assertThat(drawn).isEqualTo("  12.25s  image loxiharness/loxilb:0123456789ab... 12.3 s /").hasSizeLessThan(60);
    }

    @Test
    void liveOnlyWhenSomeoneWatchesATerminal() {
        assertThat(Progress.watched(null, "xterm-256color", true)).isTrue();
        assertThat(Progress.watched("true", "xterm-256color", true)).as("CI=true").isFalse();
        assertThat(Progress.watched(null, "dumb", true)).as("TERM=dumb").isFalse();
        assertThat(Progress.watched(null, null, true)).as("no TERM").isFalse();
        assertThat(Progress.watched(null, "xterm", false)).as("no console: a pipe, a file, surefire").isFalse();
    }

    @Test
    void theRedrawThreadLivesOnlyWhileSomethingRuns() throws InterruptedException {
        Progress p = Progress.plain(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Thread ticker;
        try (Progress.Task t = p.start("work")) {
            ticker = Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("progress"))
                    .findFirst().orElseThrow(() -> new AssertionError("no progress thread while a task runs"));
            t.done("work done");
        }
        ticker.join(5_000);
        assertThat(ticker.isAlive()).as("progress thread after the last task ended").isFalse();
    }

    @Test
    void silentPrintsNothingAndStillTimes() {
        try (Progress.Task t = Progress.SILENT.start("x", 10)) {
            t.advance(5);
            t.done("x done");
        }
        Progress.SILENT.step("y");
        assertThat(Progress.SILENT.seconds()).isGreaterThanOrEqualTo(0);
    }
}
