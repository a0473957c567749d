package dev.loxiharness.harness.cli;

import dev.loxiharness.harness.backend.Backends;
import dev.loxiharness.harness.fault.Action;
import dev.loxiharness.harness.fault.FaultRecord;
import dev.loxiharness.harness.fault.Faults;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./topology fault}: one fault on a running topology, printed with its time, for scripted chaos. */
@Command(name = "fault", mixinStandardHelpOptions = true,
        description = {"Inject one fault into a running topology and print what was done (time, pid, signal).",
            "  fault NODE kill|stop|start|restart DAEMON   e.g. fault lb kill loxilb, fault lb kill gobgpd, fault router stop bird",
            "  fault pod/NAME kill|stop|start|restart      a pod's nginx (pod/NAME is pod/default/NAME; pod/NS/NAME)",
            "  fault NODE link IFACE down|up               e.g. fault lb link eth0 down",
            "kill    SIGKILL; it stays dead (loxilb itself starts its gobgpd again).",
            "stop    SIGSTOP: frozen, sockets open, answers nothing; peers notice only when their hold timer expires.",
            "start   SIGCONT to a stopped daemon; a dead one is started again with the argv it was first started with.",
            "restart SIGTERM (SIGKILL after 3 s), then started again with its recorded argv.",
            "A container node's own process goes through Docker: kill = docker kill, stop/start = docker pause/unpause",
            "(docker start when it is not running), restart = docker restart; the container watch wires it again.",
            "Daemons are found in the topology's ledger by pid (their children, such as gobgpd, by parent pid), never by name.",
            "Exit code 0 when done; 1 with what exists when the node, pod, daemon or interface is unknown, or the fault failed."})
final class FaultCommand implements Callable<Integer> {
    @Option(names = {"-t", "--topology"}, description = "topology name (default: the only one up)")
    String name;
    @Parameters(index = "0", paramLabel = "NODE", description = "node, or pod/NAME")
    String target;
    @Parameters(index = "1", paramLabel = "ACTION", description = "kill, stop, start, restart, or link")
    String action;
    @Parameters(index = "2..*", arity = "0..2", paramLabel = "ARG", description = "the daemon; for link: the interface and down|up")
    List<String> args = List.of();

    @Override
    public Integer call() {
        Faults faults = new Faults(Backends.attach(TopologyMain.resolve(name), TopologyMain.HOME));
        FaultRecord done;
        if (action.equals("link")) {
            if (args.size() != 2 || !List.of("down", "up").contains(args.get(1))) {
                throw new IllegalArgumentException("usage: fault NODE link IFACE down|up");
            }
            var link = faults.link(target, args.get(0));
            done = args.get(1).equals("down") ? link.down() : link.up();
        } else {
            Action a = Action.parse(action);
            if (args.size() > 1) {
                throw new IllegalArgumentException("usage: fault NODE " + action + " DAEMON");
            }
            done = faults.apply(target, a, args.isEmpty() ? null : args.get(0));
        }
        System.out.println(done.line());
        return 0;
    }
}
