package dev.loxiharness.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.harness.state.StateDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./topology plan}: prints the plan, exits 0, makes nothing; a rejected file exits 2 with the loader's message. */
class PlanCommandTest {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize();

    record Run(int rc, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int rc = TopologyMain.run(args);
            return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void planPrintsAndCreatesNoStateFolder() {
        assertThat(StateDir.ROOT).as("tests keep away from the state of topologies that are up").isNotEqualTo(Path.of("/run/loxiharness"));
        Run r = run("plan", HOME.resolve("topologies/seed.yaml").toString(), "--set", "name=plantest");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.out()).contains("name          plantest", "networks:", "nodes:", "expected BGP sessions:", "up here: ");
        assertThat(StateDir.of("plantest")).doesNotExist();
        assertThat(StateDir.all()).doesNotContain("plantest");
    }

    @Test
    void aRejectedFileExitsNonZeroWithTheLoadersMessage(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(HOME.resolve("topologies/seed.yaml")).replace("network: clientnet, address: 198.51.100.10",
                "network: clinet, address: 198.51.100.10"));
        Run r = run("plan", bad.toString());
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("topology file rejected, nothing was created:", "unknown network \"clinet\"");
        assertThat(r.out()).doesNotContain("nodes:");
    }

    @Test
    void helpSaysItCreatesNothing() {
        Run r = run("plan", "--help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("creating nothing", "--set=PATH=VALUE", "--backend=NAME");
    }
}
