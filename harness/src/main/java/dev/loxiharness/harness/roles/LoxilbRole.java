package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.NodeContext;
import dev.loxiharness.harness.backend.NodeRole;
import dev.loxiharness.harness.model.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java loxilb ({@code bin/loxilb}) with the node's arguments, its rules under the state folder
 * and, for {@code -b}, gobgpd's config written from the topology (the seed's gobgp_loxilb.yaml).
 */
public final class LoxilbRole implements NodeRole {
    public static final int API_PORT = 11111;

    @Override
    public String name() {
        return "loxilb";
    }

    @Override
    public boolean forwards() {
        return true;
    }

    @Override
    public void start(NodeContext ctx) {
        Topology.Loxilb l = ctx.node().loxilb() != null ? ctx.node().loxilb() : new Topology.Loxilb(List.of(), null);
        List<String> cmd = new ArrayList<>(List.of(ctx.home().resolve("bin/loxilb").toString()));
        cmd.addAll(l.args());
        cmd.addAll(List.of("--config-path", ctx.state().file(ctx.name() + "-config").toString()));
        if (l.gobgpConfig() != null) {
            Path yaml = ctx.write(ctx.name() + "-gobgp_loxilb.yaml", l.gobgpConfig());
            cmd.addAll(List.of("--gobgp-config", yaml.toString()));
        }
        ctx.daemon("loxilb", cmd);
    }

    @Override
    public void awaitReady(NodeContext ctx) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (ctx.ns().exec("curl", "-s", "-m", "1", "-o", "/dev/null", "http://127.0.0.1:" + API_PORT + "/netlox/v1/version").ok()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(ctx.name() + ": loxilb API did not answer within 60 s; its log ends:\n"
                + ctx.tail(ctx.name() + ".loxilb.log", 15));
    }
}
