package dev.loxiharness.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.check.CheckResult;
import dev.loxiharness.harness.check.Checks;
import dev.loxiharness.harness.evidence.Evidence;
import dev.loxiharness.harness.fault.DaemonFaults;
import dev.loxiharness.harness.fault.FaultRecord;
import dev.loxiharness.harness.fault.Faults;
import dev.loxiharness.harness.fault.LinkFault;
import dev.loxiharness.harness.graph.Diagram;
import dev.loxiharness.harness.graph.TopologyGraph;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BgpPath;
import dev.loxiharness.harness.probe.BirdProtocol;
import dev.loxiharness.harness.probe.Birdc;
import dev.loxiharness.harness.probe.Curl;
import dev.loxiharness.harness.probe.Gobgp;
import dev.loxiharness.harness.probe.HttpResponse;
import dev.loxiharness.harness.probe.Ip;
import dev.loxiharness.harness.probe.KubectlGet;
import dev.loxiharness.harness.probe.Loxicmd;
import dev.loxiharness.harness.probe.Nft;
import dev.loxiharness.harness.probe.Route;
import dev.loxiharness.junit.capture.Capture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running topology as a test sees it: run commands in its nodes and read back what the daemons
 * believe, parsed by the harness's probes (gobgp and iproute2 JSON, BIRD's protocol table,
 * nftables JSON, kubectl JSON), send HTTP from a node and capture packets on a node's interface.
 * Nodes are named as in the topology file ({@code lb}, {@code router}, {@code node1}, ...). It works
 * the same on every backend; every probe runs inside the topology, nothing here touches the host's
 * network.
 */
public final class TopologyHandle {
    private static final AtomicInteger CAPTURES = new AtomicInteger();

    private final RunningTopology topo;
    private final Path file;
    private final Path home;

    TopologyHandle(RunningTopology topo, Path file, Path home) {
        this.topo = topo;
        this.file = file;
        this.home = home;
    }

    /** The name it runs under (the file's name plus a unique suffix, e.g. {@code seed-k3f}). */
    public String name() {
        return topo.name();
    }

    /** The topology file it was brought up from. */
    public Path file() {
        return file;
    }

    public String backend() {
        return topo.backend();
    }

    public Topology topology() {
        return topo.topology();
    }

    /** The running topology itself (its nodes, state folder, kubectl), for what this class does not offer. */
    public RunningTopology running() {
        return topo;
    }

    /** A node, to run commands in or to hand to the harness's probes. */
    public Node node(String name) {
        return topo.node(name);
    }

    /** The repository root. */
    public Path home() {
        return home;
    }

    /** A file beside the topology file, e.g. a manifest: {@code manifest("test-nginx-svc.yaml")}. */
    public Path manifest(String name) {
        return topo.topology().source().resolveSibling(name);
    }

    public List<String> nodes() {
        return List.copyOf(topo.topology().nodes().keySet());
    }

    public List<String> nodesWithRole(String role) {
        return topo.topology().nodes().entrySet().stream().filter(e -> e.getValue().has(role)).map(Map.Entry::getKey).toList();
    }

    public boolean hasRole(String node, String role) {
        Topology.Node n = topo.topology().nodes().get(node);
        return n != null && n.has(role);
    }

    /** Runs {@code cmd} inside {@code node}. */
    public ExecResult exec(String node, String... cmd) {
        return topo.node(node).exec(cmd);
    }

    /** The real kubectl against the topology's API server. */
    public ExecResult kubectl(String... args) {
        return topo.kubectl().run(args);
    }

    /** {@code kubectl ARGS -o json}, parsed; fails with kubectl's error when it fails. */
    public JsonNode kubectlJson(String... args) {
        return KubectlGet.json(topo.kubectl(), args);
    }

    /** {@code loxicmd ARGS} inside {@code node} (a loxilb node), by name as in the seed. */
    public ExecResult loxicmd(String node, String... args) {
        return Loxicmd.run(topo.node(node), args);
    }

    /** {@code gobgp ARGS -j} inside {@code node}, parsed. */
    public JsonNode gobgpJson(String node, String... args) {
        return Gobgp.json(topo.node(node), args);
    }

    /** {@code gobgp neighbor -j}: the BGP sessions of a loxilb node. */
    public List<BgpNeighbor> bgpNeighbors(String node) {
        return Gobgp.neighbors(topo.node(node));
    }

    /** {@code gobgp global rib -a ipv4 -j}: every path of a loxilb node's RIB, by prefix. */
    public Map<String, List<BgpPath>> bgpRib(String node) {
        return Gobgp.rib(topo.node(node));
    }

    /** {@code birdc ARGS} against the node's BIRD. */
    public String birdc(String node, String... args) {
        return Birdc.run(topo.node(node), args);
    }

    /** {@code birdc show protocols}, parsed. */
    public List<BirdProtocol> birdProtocols(String node) {
        return Birdc.protocols(topo.node(node));
    }

    /** {@code ip -j route show SELECTOR} (e.g. {@code 123.123.123.15/32}, {@code proto bgp}), parsed. */
    public List<Route> routes(String node, String... selector) {
        return Ip.routes(topo.node(node), selector);
    }

    /** {@code nft -j list ruleset} inside {@code node}: its {@code nftables} array. */
    public JsonNode nftRuleset(String node) {
        return Nft.ruleset(topo.node(node));
    }

    /** An HTTP GET with curl from inside {@code node} (2 s budget); status 0 when nothing answered. */
    public HttpResponse http(String node, String url) {
        return Curl.get(topo.node(node), url);
    }

    /**
     * Starts capturing on {@code iface} of {@code node} ({@code filter}: a BPF expression or null)
     * into {@code target/captures/}; stop it (or close it) to get the decoded packets. When a test
     * reported to Allure is running, the {@code .pcap} is attached to it when the capture stops.
     */
    public Capture capture(String node, String iface, String filter) {
        Path pcap = Settings.capturesDir().resolve(name() + "-" + node + "-" + iface + "-" + CAPTURES.incrementAndGet() + ".pcap");
        return Capture.start(node, topo.node(node).networkNamespace(), iface, filter, pcap,
                c -> AllureGlue.attachFile(node + " " + iface + " capture" + (filter == null ? "" : " (" + filter + ")"),
                        "application/vnd.tcpdump.pcap", c.file(), "pcap"));
    }

    /**
     * Faults on the daemons of node or pod {@code target} ({@code lb}, {@code router},
     * {@code pod/nginx}), found by pid in what the topology recorded, never by name on the host:
     * {@code topo.fault("lb").kill("loxilb")}, {@code topo.fault("lb").kill("gobgpd")} (the Java
     * loxilb starts it again), {@code topo.fault("router").stop("bird")} then {@code start("bird")}.
     * Each returns what was done and when ({@link FaultRecord#at()}), to measure recovery from; an
     * unknown node, pod or daemon throws {@link IllegalArgumentException} naming what exists. The
     * semantics are {@code ./topology fault}'s (README, "Faults").
     */
    public DaemonFaults fault(String target) {
        return new Faults(topo).on(target);
    }

    /**
     * Interface {@code iface} of {@code node} ({@code link("lb", "eth0").down()}, then {@code up()}),
     * from the node's side: the switch port on the other end loses its carrier, and BGP sessions over
     * the link end when their hold timer expires.
     */
    public LinkFault link(String node, String iface) {
        return new Faults(topo).link(node, iface);
    }

    /**
     * The picture of the topology now ({@code ./topology graph}): each BGP session with the state its
     * speakers report, each VIP's path as the kernels and loxilbs forward it. Draw it with
     * {@link dev.loxiharness.harness.graph.DotWriter}; the extension attaches it to every test's report.
     */
    public Diagram diagram() {
        return TopologyGraph.observed(topo);
    }

    /** The topology file's own checks, run once. */
    public List<CheckResult> checks() {
        return new Checks(topo).runOnce();
    }

    /** Collects the evidence folder (what the extension does on a failed test) into {@code dir}. */
    public Evidence.Report collectEvidence(Path dir) throws IOException {
        return new Evidence(topo).collect(dir);
    }

    void down() {
        topo.down();
    }

    @Override
    public String toString() {
        return "topology " + name() + " (" + file.getFileName() + ", " + backend() + " backend)";
    }
}
