package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * loxilb with the node's arguments, as the seed runs it: {@code loxilb --host=0.0.0.0 -b} with
 * gobgpd's config at {@code /opt/loxilb/gobgp_loxilb.yaml} and its rules under {@code /etc/loxilb/}.
 * Where the node keeps those paths elsewhere (a namespace shares the host's file system) the daemon
 * is told where they are.
 */
public final class LoxilbRole extends NamedRole {
    public static final int API_PORT = 11111;
    public static final String GOBGP_CONFIG = "/opt/loxilb/gobgp_loxilb.yaml";
    public static final String CONFIG_PATH = "/etc/loxilb/";

    public LoxilbRole() {
        super("loxilb", true);
    }

    @Override
    public void start(Node node, Topology topology) {
        Topology.Loxilb l = node.spec().loxilb() != null ? node.spec().loxilb() : new Topology.Loxilb(List.of(), null);
        List<String> argv = new ArrayList<>(List.of("loxilb"));
        argv.addAll(l.args());
        String configPath = node.path(CONFIG_PATH);
        if (!configPath.equals(CONFIG_PATH)) {
            argv.add("--config-path=" + configPath);
        }
        if (l.gobgpConfig() != null) {
            String yaml = node.writeFile(GOBGP_CONFIG, l.gobgpConfig());
            if (!yaml.equals(GOBGP_CONFIG)) {
                argv.add("--gobgp-config=" + yaml);
            }
        }
        node.daemon("loxilb", argv);
    }

    @Override
    public void awaitReady(Node node) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (node.exec("curl", "-s", "-m", "1", "-o", "/dev/null", "http://127.0.0.1:" + API_PORT + "/netlox/v1/version").ok()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(node.name() + ": loxilb API did not answer within 60 s; its log ends:\n"
                + node.logTail("loxilb", 15));
    }
}
