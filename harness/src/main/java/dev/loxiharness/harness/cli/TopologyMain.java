package dev.loxiharness.harness.cli;

import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Host;
import dev.loxiharness.exec.Paths;
import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.check.CheckResult;
import dev.loxiharness.harness.check.Checks;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyException;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./topology}: bring topologies up and down, check them, and work inside their nodes. */
@Command(name = "topology", mixinStandardHelpOptions = true, version = "loxiharness 0.1.0",
        description = {"Declarative loxilb + Calico BGP topologies, brought up, checked and taken down.",
            "Backends (./topology up --backend NAME, or backend: in the file):", "${BACKENDS}"},
        subcommands = {TopologyMain.Up.class, TopologyMain.PlanCmd.class, TopologyMain.Down.class, TopologyMain.Status.class,
                TopologyMain.ListCmd.class, ImagesCommand.class, TopologyMain.Exec.class, TopologyMain.Kubectl.class, TopologyMain.Capture.class,
                FaultCommand.class, GraphCommand.class, CommandLine.HelpCommand.class})
public final class TopologyMain {
    static final Path HOME = Host.home();
    static final Duration CHECK_BUDGET = Duration.ofSeconds(30);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        System.setProperty("BACKENDS", Backends.describeAll());
        CommandLine cl = new CommandLine(new TopologyMain());
        for (String passThrough : List.of("kubectl", "exec")) {
            // everything after the node (exec) or after kubectl belongs to the command run
            cl.getSubcommands().get(passThrough).setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof TopologyException te) {
                cmd.getErr().println("topology file rejected, nothing was created:");
                te.problems().forEach(p -> cmd.getErr().println("  " + p));
                return 2;
            }
            cmd.getErr().println("topology: " + e.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    static Path defaultFile() {
        return HOME.resolve("topologies/seed.yaml");
    }

    /** The running topology a command is about: the one named, or the only one that is up. */
    static String resolve(String name) {
        if (name != null) {
            return name;
        }
        List<String> up = StateDir.all();
        if (up.size() == 1) {
            return up.get(0);
        }
        throw new IllegalArgumentException(up.isEmpty() ? "no topology is up (./topology up [FILE])"
                : "several topologies are up (" + String.join(", ", up) + "): name one with -t NAME");
    }

    static int printChecks(List<CheckResult> results) {
        results.forEach(r -> System.out.println(r.line()));
        long failed = results.stream().filter(r -> !r.passed()).count();
        System.out.println(results.isEmpty() ? "no checks in this topology"
                : (results.size() - failed) + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 3;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Bring a topology up (default: topologies/seed.yaml), run its checks, leave it running.",
                "Exit code 0 when every check passed, 3 when a check failed, 1 when it could not come up.",
                "Backends:", "${BACKENDS}"})
    static final class Up implements Callable<Integer> {
        @Mixin
        TopologyArgs args;

        @Override
        public Integer call() {
            Path f = args.file();
            Topology t = args.load();
            Backend b = args.backend(t);
            var whyNot = b.whyNot(t, HOME);
            if (whyNot.isPresent()) {
                System.err.println("topology: cannot bring " + t.name() + " up here, nothing was created: " + whyNot.get());
                return 1;
            }
            System.out.println("topology " + t.name() + " (" + f + ") on the " + b.name() + " backend: " + t.description());
            Progress progress = Progress.on(System.out);
            RunningTopology topo = b.up(t, HOME, progress);
            progress.step("up");
            long longest = t.checks().stream().mapToLong(c -> Checks.budget(c, CHECK_BUDGET).toSeconds()).max().orElse(0);
            List<CheckResult> results;
            try (Progress.Task checks = progress.start("running " + t.checks().size() + " checks (budget " + CHECK_BUDGET.toSeconds()
                    + " s" + (longest > CHECK_BUDGET.toSeconds() ? ", up to " + longest + " s for some" : "") + ")")) {
                results = new Checks(topo).await(CHECK_BUDGET);
                checks.done("checks done");
            }
            int rc = printChecks(results);
            topo.kubernetesSummary().ifPresent(System.out::println);
            System.out.println("state: " + topo.state().dir() + "   nodes: ./topology exec NODE -- CMD   remove: ./topology down "
                    + t.name());
            return rc;
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = {"Print what up would make of a topology (default: topologies/seed.yaml), creating nothing:",
                "its networks, nodes, addresses, images, processes or containers, Kubernetes settings and expected BGP sessions.",
                "Nothing is made: no state folder, namespace, process or container; it only looks (e.g. whether images are present).",
                "Exit code 0; 2 when the file is rejected.", "Backends:", "${BACKENDS}"})
    static final class PlanCmd implements Callable<Integer> {
        @Mixin
        TopologyArgs args;

        @Override
        public Integer call() {
            Topology t = args.load();
            Backend b = args.backend(t);
            System.out.print(b.plan(t, HOME).render());
            System.out.println();
            System.out.println("up here: " + b.whyNot(t, HOME).map(why -> "would refuse: " + why).orElse("ready"));
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = {"Remove a topology: its processes, namespaces, containers and state. --all sweeps every leftover.",
                "down --all PREFIX sweeps only topologies (and leftovers) whose name starts with PREFIX."})
    static final class Down implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "topology name (default: the only one up); with --all a name prefix")
        String name;
        @Option(names = "--all", description = "remove every topology and anything named or labelled as ours (namespaces lxh-*, containers)")
        boolean all;

        @Override
        public Integer call() {
            long t0 = System.nanoTime();
            if (all) {
                List<String> removed = Backends.sweep(name == null ? "" : name, HOME);
                System.out.println(removed.isEmpty() ? "nothing to remove" : "removed: " + String.join(", ", removed));
            } else {
                String n = resolve(name);
                if (!Files.exists(StateDir.of(n).resolve("state.json")) && Files.isDirectory(StateDir.of(n))) {
                    // up was killed between making the folder and writing its ledger: nothing else was made yet
                    Paths.deleteTree(StateDir.of(n));
                    System.out.println("removed the state folder of " + n + " (it had no ledger: its up ended before making anything)");
                    return 0;
                }
                StateDir state = StateDir.open(n);
                Backends.named(state.ledger().backend == null ? Backends.DEFAULT : state.ledger().backend).down(state);
                System.out.printf("removed %s in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Run the checks of a running topology once: PASS/FAIL with what was seen.")
    static final class Status implements Callable<Integer> {
        @Option(names = {"-t", "--topology"}, description = "topology name")
        String name;

        @Override
        public Integer call() {
            return printChecks(new Checks(Backends.attach(resolve(name), HOME)).runOnce());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The topologies that are up, and topology files in topologies/.")
    static final class ListCmd implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            List<String> up = StateDir.all();
            System.out.println("up: " + (up.isEmpty() ? "none" : String.join(", ", up)));
            List<String> files = new ArrayList<>();
            try (var s = Files.list(HOME.resolve("topologies"))) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> {
                    try {
                        Topology t = TopologyLoader.load(p);
                        files.add(String.format("  %-22s %-10s %s", p.getFileName(), t.name(), t.description()));
                    } catch (TopologyException e) {
                        // manifests and other YAML files live there too
                    }
                });
            }
            System.out.println("topology files:");
            files.forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = "Run a command inside a node, e.g. ./topology exec lb -- gobgp neigh")
    static final class Exec implements Callable<Integer> {
        @Option(names = {"-t", "--topology"}, description = "topology name")
        String name;
        @Parameters(index = "0", description = "node")
        String node;
        @Parameters(index = "1..*", arity = "1..*", description = "command")
        List<String> command;

        @Override
        public Integer call() throws Exception {
            RunningTopology topo = Backends.attach(resolve(name), HOME);
            List<String> cmd = !command.isEmpty() && command.get(0).equals("--") ? command.subList(1, command.size()) : command;
            List<String> argv = topo.node(node).interactive(cmd);
            Process p = new ProcessBuilder(argv).inheritIO().start();
            return p.waitFor();
        }
    }

    @Command(name = "kubectl", description = "Run the real kubectl against the topology's (simulated) API server, "
            + "e.g. ./topology kubectl get svc", mixinStandardHelpOptions = true)
    static final class Kubectl implements Callable<Integer> {
        @Option(names = {"-t", "--topology"}, description = "topology name")
        String name;
        @Parameters(arity = "0..*", description = "kubectl arguments")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            RunningTopology topo = Backends.attach(resolve(name), HOME);
            Process p = new ProcessBuilder(topo.kubectl().argv(args)).inheritIO().start();
            return p.waitFor();
        }
    }

    @Command(name = "capture", mixinStandardHelpOptions = true,
            description = "Capture packets on a node's interface into a pcap file (Ctrl-C to stop), with the host's tcpdump in the node's network.")
    static final class Capture implements Callable<Integer> {
        @Option(names = {"-t", "--topology"}, description = "topology name")
        String name;
        @Option(names = {"-w", "--write"}, description = "pcap file (default: NODE-IFACE.pcap)")
        Path out;
        @Option(names = {"-c", "--count"}, description = "stop after this many packets")
        Integer count;
        @Parameters(index = "0", description = "node")
        String node;
        @Parameters(index = "1", description = "interface")
        String iface;

        @Override
        public Integer call() throws Exception {
            RunningTopology topo = Backends.attach(resolve(name), HOME);
            Path file = out != null ? out : Path.of(node + "-" + iface + ".pcap");
            List<String> cmd = new ArrayList<>(List.of("tcpdump", "-i", iface, "-U", "-w", file.toAbsolutePath().toString()));
            if (count != null) {
                cmd.addAll(List.of("-c", String.valueOf(count)));
            }
            System.out.println("capturing " + node + ":" + iface + " into " + file + " (Ctrl-C to stop)");
            Process p = new ProcessBuilder(topo.node(node).inNetwork(cmd)).inheritIO().start();
            return p.waitFor();
        }
    }

}
