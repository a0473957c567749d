package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.cli.TopologyMain;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import dev.loxiharness.netns.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cleanup guarantee: {@code ./topology up} (the harness jar, as a child process) killed with
 * SIGKILL at a random point, then {@code ./topology down NAME}, leaves nothing of ours (namespaces,
 * processes, state folder, containers; nft tables and veths live only in our namespaces) and the
 * root namespace's links, addresses, routes, rules and nft ruleset as they were. SIGKILL runs no
 * shutdown hook, so this proves that everything is recorded before it is made. Ten runs on a
 * small topology without Kubernetes under a name of its own ({@code itkill-xyz}); the delays come from a seed that
 * is printed ({@code -Ditkill.seed=N} repeats a run).
 */
class KilledUpIT {
    static final String NAME = Topology.uniqueName("itkill");
    static final int RUNS = 10;
    /**
     * Odd runs are killed up to 150 ms after the ledger appears: namespaces, links and daemons are
     * all made within about 120 ms of it. Even runs up to 3 s after the start: the JVM starting,
     * the daemons getting ready, the checks, or an up that had finished.
     */
    static final int MAKING_MS = 150;
    static final int ANY_MS = 3000;
    @Test
    void upKilledAtRandomPointsThenDownLeavesNothing() throws Exception {
        Assumptions.assumeTrue(Lab.usable(), "needs root with ip, nft, nginx, curl, bird2 and gobgpd (bin/install-packages)");
        Path jar = NetnsBackendIT.HOME.resolve("harness/target/harness.jar");
        Assumptions.assumeTrue(Files.exists(jar), "harness.jar not built");
        assertThat(leftovers()).as("leftovers of an earlier run of " + NAME + " (./topology down --all " + NAME + ")").isEmpty();
        long seed = Long.getLong("itkill.seed", System.nanoTime());
        System.out.println("KilledUpIT: seed " + seed + " (-Ditkill.seed=" + seed + " repeats these delays)");
        Random random = new Random(seed);
        for (int run = 1; run <= RUNS; run++) {
            String before = NetnsBackendIT.rootSnapshot(NAME);
            boolean making = run % 2 == 1;
            int delay = random.nextInt(making ? MAKING_MS : ANY_MS);
            Path log = Path.of("target/" + NAME + "-up-" + run + ".log").toAbsolutePath();
            Process up = new ProcessBuilder("java", "-XX:TieredStopAtLevel=1", "-Dloxiharness.home=" + NetnsBackendIT.HOME, "-jar", jar.toString(),
                    "up", NetnsBackendIT.SMALL.toString(), "--set", "name=" + NAME)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (making) {
                await("the ledger of " + NAME).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2))
                        .until(() -> Files.exists(StateDir.of(NAME).resolve("state.json")) || !up.isAlive());
            }
            boolean finished = up.waitFor(delay, TimeUnit.MILLISECONDS);
            up.destroyForcibly().waitFor();
            int down = TopologyMain.run("down", NAME);
            System.out.printf("KilledUpIT run %d: SIGKILL %d ms after %s%s, last line of up: %s; down %s: exit %d%n", run, delay,
                    making ? "its ledger appeared" : "it started", finished ? " (up had finished)" : "", lastLine(log), NAME, down);

            assertThat(down).as("down " + NAME + " exits 0, or 1 when up made nothing (no state folder)")
                    .isIn(0, Files.exists(StateDir.of(NAME)) ? 0 : 1);
            assertThat(leftovers()).as("run %d (SIGKILL after %d ms, seed %d): what down left", run, delay, seed).isEmpty();
            assertThat(NetnsBackendIT.rootSnapshot(NAME)).as("run %d (SIGKILL after %d ms, seed %d): the root namespace", run, delay, seed).isEqualTo(before);
        }
        assertThat(Backends.sweep(NAME, NetnsBackendIT.HOME)).as("down --all " + NAME + " after the runs: nothing left to sweep").isEmpty();
    }

    /** Everything of {@code itkill} that could be left: namespaces, processes, the state folder, containers. */
    static List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        Commands.run(List.of("ip", "netns", "list")).stdout().lines().filter(l -> l.startsWith(NetnsBackend.PREFIX + NAME + "-"))
                .forEach(l -> left.add("namespace " + l));
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline = read(p.resolve("cmdline")).replace('\0', ' ');
                boolean ours = cmdline.contains(StateDir.of(NAME) + "/") || cmdline.contains(NetnsBackend.PREFIX + NAME + "-")
                        || cmdline.contains("name=" + NAME);
                if (ours && Long.parseLong(p.getFileName().toString()) != self) {
                    left.add("process " + p.getFileName() + ": " + cmdline.strip());
                }
            }
        }
        if (Files.exists(StateDir.of(NAME))) {
            left.add("state folder " + StateDir.of(NAME));
        }
        if (DockerEngine.whyNot().isEmpty()) {
            Containers.labelled(NAME).forEach(c -> left.add("container " + c));
        }
        return left;
    }

    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "(nothing yet)" : lines.get(lines.size() - 1);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return ""; // ended meanwhile
        }
    }
}
