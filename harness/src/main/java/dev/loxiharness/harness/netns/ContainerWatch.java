package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.Host;
import dev.loxiharness.harness.docker.Containers;
import dev.loxiharness.harness.state.Processes;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The process that keeps a topology's containers wired: a stopped container loses its network
 * namespace and with it its links, so when Docker reports that one of ours started again
 * ({@code docker start loxilb}, or a restart by its policy) it is attached and wired again, the
 * same links with the same addresses. It runs beside the daemons, recorded in the ledger, until
 * {@code down}.
 */
public final class ContainerWatch {
    private ContainerWatch() {
    }

    static void launch(NetnsTopology topo, Path home) {
        List<String> cmd = new ArrayList<>(List.of(Host.java(),
                "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-D" + Host.HOME_PROPERTY + "=" + home,
                "-Dloxiharness.state=" + StateDir.ROOT,
                "-cp", System.getProperty("java.class.path"), ContainerWatch.class.getName(), topo.name()));
        Processes.start(topo.state(), "", "container watch", cmd, topo.state().file("container-watch.log"));
    }

    public static void main(String[] args) throws Exception {
        StateDir state = StateDir.open(args[0]);
        NetnsTopology topo = (NetnsTopology) new NetnsBackend().attach(state, Host.home());
        while (true) {
            try (var events = Containers.onStartAndDie(topo.name(), name -> rewire(topo, name), name -> unwire(topo, name))) {
                log("watching the containers of " + topo.name() + ": "
                        + String.join(", ", topo.containers().stream().map(ContainerNode::container).toList()));
                topo.containers().forEach(c -> rewire(topo, c.container())); // one that restarted while nobody watched
                events.awaitCompletion();
            } catch (RuntimeException e) {
                log("the Docker engine's events: " + e.getMessage());
            }
            log("the event stream ended (engine restarted?); subscribing again in 1 s");
            Thread.sleep(1000);
        }
    }

    private static void rewire(NetnsTopology topo, String container) {
        for (ContainerNode c : topo.containers()) {
            if (c.container().equals(container)) {
                try {
                    if (c.wire()) {
                        log(container + " started: attached to " + c.namespace() + " and wired again");
                    }
                } catch (RuntimeException e) {
                    log(container + " started, wiring it failed: " + e.getMessage());
                }
            }
        }
    }

    private static void unwire(NetnsTopology topo, String container) {
        for (ContainerNode c : topo.containers()) {
            if (c.container().equals(container)) {
                try {
                    c.unwire();
                    log(container + " stopped: its links are cut until it starts again");
                } catch (RuntimeException e) {
                    log(container + " stopped, cutting its links failed: " + e.getMessage());
                }
            }
        }
    }

    private static void log(String line) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
    }
}
