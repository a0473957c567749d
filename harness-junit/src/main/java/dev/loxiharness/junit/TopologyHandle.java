package dev.loxiharness.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loxiharness.harness.backend.NetnsTopology;
import dev.loxiharness.harness.check.CheckResult;
import dev.loxiharness.harness.check.Checks;
import dev.loxiharness.harness.evidence.Evidence;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.junit.capture.Capture;
import dev.loxiharness.junit.probe.BgpNeighbor;
import dev.loxiharness.junit.probe.BgpPath;
import dev.loxiharness.junit.probe.BirdProtocol;
import dev.loxiharness.junit.probe.HttpResponse;
import dev.loxiharness.junit.probe.Route;
import dev.loxiharness.netns.ExecResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running topology as a test sees it: run commands in its nodes and read back what the daemons
 * believe, parsed (gobgp and iproute2 JSON, BIRD's protocol table, nftables JSON, kubectl JSON),
 * send HTTP from a node and capture packets on a node's interface. Nodes are named as in the
 * topology file ({@code lb}, {@code router}, {@code node1}, ...). Every probe runs inside the
 * topology; nothing here touches the host's network.
 */
public final class TopologyHandle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);
    private static final AtomicInteger CAPTURES = new AtomicInteger();

    private final NetnsTopology topo;
    private final Path file;
    private final String backend;
    private final Path home;

    TopologyHandle(NetnsTopology topo, Path file, String backend, Path home) {
        this.topo = topo;
        this.file = file;
        this.backend = backend;
        this.home = home;
    }

    /** The name it runs under (the file's name plus a unique suffix, e.g. {@code seed-k3f}). */
    public String name() {
        return topo.topology().name();
    }

    /** The topology file it was brought up from. */
    public Path file() {
        return file;
    }

    public String backend() {
        return backend;
    }

    public Topology topology() {
        return topo.topology();
    }

    /** The netns backend's own handle, for what this class does not offer. */
    public NetnsTopology netns() {
        return topo;
    }

    /** The repository root (where {@code bin/loxicmd} lives). */
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
        return topo.exec(node, cmd);
    }

    /** The real kubectl against the topology's API server. */
    public ExecResult kubectl(String... args) {
        return topo.kubectl().run(args);
    }

    /** {@code kubectl ARGS -o json}, parsed; fails with kubectl's error when it fails. */
    public JsonNode kubectlJson(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-o", "json"));
        return json(orThrow(kubectl(all.toArray(String[]::new))).stdout());
    }

    /** {@code bin/loxicmd ARGS} inside {@code node} (the loxilb node). */
    public ExecResult loxicmd(String node, String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/loxicmd").toString()));
        cmd.addAll(Arrays.asList(args));
        return exec(node, cmd.toArray(String[]::new));
    }

    /** {@code gobgp ARGS -j} inside {@code node}, parsed. */
    public JsonNode gobgpJson(String node, String... args) {
        List<String> cmd = new ArrayList<>(List.of("gobgp"));
        cmd.addAll(Arrays.asList(args));
        cmd.add("-j");
        return json(orThrow(exec(node, cmd.toArray(String[]::new))).stdout());
    }

    /** {@code gobgp neighbor -j}: the BGP sessions of a loxilb node. */
    public List<BgpNeighbor> bgpNeighbors(String node) {
        return BgpNeighbor.parse(gobgpJson(node, "neighbor"));
    }

    /** {@code gobgp global rib -a ipv4 -j}: every path of a loxilb node's RIB, by prefix. */
    public Map<String, List<BgpPath>> bgpRib(String node) {
        return BgpPath.parse(gobgpJson(node, "global", "rib", "-a", "ipv4"));
    }

    /** {@code birdc ARGS} against the node's BIRD (its control socket in the state folder). */
    public String birdc(String node, String... args) {
        List<String> cmd = new ArrayList<>(List.of("birdc", "-s", topo.state().file(node + ".bird.ctl").toString()));
        cmd.addAll(Arrays.asList(args));
        return orThrow(exec(node, cmd.toArray(String[]::new))).stdout();
    }

    /** {@code birdc show protocols}, parsed. */
    public List<BirdProtocol> birdProtocols(String node) {
        return BirdProtocol.parse(birdc(node, "show", "protocols"));
    }

    /** {@code ip -j route show SELECTOR} (e.g. {@code 123.123.123.15/32}, {@code proto bgp}), parsed. */
    public List<Route> routes(String node, String... selector) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-j", "route", "show"));
        cmd.addAll(Arrays.asList(selector));
        String out = orThrow(exec(node, cmd.toArray(String[]::new))).stdout();
        return Route.parse(json(out.isBlank() ? "[]" : out));
    }

    /** {@code nft -j list ruleset} inside {@code node}: its {@code nftables} array. */
    public JsonNode nftRuleset(String node) {
        return json(orThrow(exec(node, "nft", "-j", "list", "ruleset")).stdout()).path("nftables");
    }

    /** An HTTP GET with curl from inside {@code node} (2 s budget); status 0 when nothing answered. */
    public HttpResponse http(String node, String url) {
        ExecResult r = topo.node(node).exec(HTTP_TIMEOUT.plusSeconds(3), null, "curl", "-s", "-S",
                "-m", String.valueOf(HTTP_TIMEOUT.toSeconds()), "-w", "\n%{http_code}", url);
        String out = r.stdout();
        int cut = out.lastIndexOf('\n');
        String code = cut < 0 ? out.strip() : out.substring(cut + 1).strip();
        String body = cut < 0 ? "" : out.substring(0, cut);
        int status = code.matches("\\d{3}") ? Integer.parseInt(code) : 0;
        return new HttpResponse(url, status, body, r.ok() ? "" : "curl exit " + r.exitCode() + ": " + r.stderr().strip());
    }

    /**
     * Starts capturing on {@code iface} of {@code node} ({@code filter}: a BPF expression or null)
     * into {@code target/captures/}; stop it (or close it) to get the decoded packets. When a test
     * reported to Allure is running, the {@code .pcap} is attached to it when the capture stops.
     */
    public Capture capture(String node, String iface, String filter) {
        Path pcap = Settings.capturesDir().resolve(name() + "-" + node + "-" + iface + "-" + CAPTURES.incrementAndGet() + ".pcap");
        return Capture.start(topo.node(node).name(), iface, filter, pcap,
                c -> AllureGlue.attachFile(node + " " + iface + " capture" + (filter == null ? "" : " (" + filter + ")"),
                        "application/vnd.tcpdump.pcap", c.file(), "pcap"));
    }

    /** The topology file's own checks, run once. */
    public List<CheckResult> checks() {
        return new Checks(topo).runOnce();
    }

    /** Collects the evidence folder (what the extension does on a failed test) into {@code dir}. */
    public Evidence.Report collectEvidence(Path dir) throws IOException {
        return Evidence.of(topo, home).collect(dir);
    }

    void down() {
        topo.down();
    }

    private static ExecResult orThrow(ExecResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.toString());
        }
        return r;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text), e);
        }
    }

    @Override
    public String toString() {
        return "topology " + name() + " (" + file.getFileName() + ", " + backend + " backend)";
    }
}
