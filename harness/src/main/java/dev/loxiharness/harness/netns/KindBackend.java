package dev.loxiharness.harness.netns;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.backend.Backend;
import dev.loxiharness.harness.backend.Plan;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.kind.KindTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kind backend: the topology's wires, namespace nodes and container nodes as the netns backend
 * makes them, and its Kubernetes nodes as kindest/node containers on those wires, brought up by
 * kubeadm with real Calico in BGP mode ({@link KindKubernetes}). Everything it needs is checked
 * before anything is made: a missing image is named with how to get it, and nothing is pulled.
 */
public final class KindBackend implements Backend {
    public static final String NAME = "kind";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "kind node containers (kubeadm, real Calico in BGP mode) on the same wires; needs their images";
    }

    @Override
    public Optional<String> whyNot(Topology topology, Path home) {
        if (topology == null) {
            return NetnsBackend.whyNot(null, home, NAME, false);
        }
        Topology t;
        try {
            t = KindTopology.expand(topology);
        } catch (IllegalArgumentException e) {
            return Optional.of("kind backend: " + e.getMessage());
        }
        Optional<String> base = NetnsBackend.whyNot(null, home, NAME, false).or(() -> DockerEngine.whyNot().map(e -> NAME + " backend: " + e));
        if (base.isPresent()) {
            return base;
        }
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String image : KindTopology.requiredImages(t)) {
            if (Images.isOurs(image)) {
                Images.whyNotAvailable(image, home).ifPresent(problems::add);
            } else if (!Images.present(image)) {
                missing.add(image);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(0, "images missing from the Docker engine (never pulled here): " + String.join(", ", missing)
                    + "\n    get them with docker pull IMAGE where a registry answers; on a machine with no registry, docker save them"
                    + " where they are (docker save -o DIR/NAME.tar IMAGE) and ./topology images load DIR here");
        }
        problems.addAll(NetnsBackend.nameConflicts(t));
        Path manifest = KindTopology.calicoManifest(t);
        if (!Files.isRegularFile(manifest)) {
            String v = t.kubernetes().calico().version();
            problems.add("Calico's release manifest " + manifest + " is missing: curl -fsSLo " + manifest
                    + " https://raw.githubusercontent.com/projectcalico/calico/" + v + "/manifests/calico.yaml (where GitHub answers)");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of("kind backend cannot run " + topology.name() + " here:\n  - "
                + String.join("\n  - ", problems));
    }

    /**
     * The netns plan of the expanded topology (wires, nodes, the kind node containers as
     * {@code docker create} would make them), the sessions the file means (Calico's, from the
     * original roles), and what only kind has: the cluster, the rendered kubeadm configs and Calico
     * settings, the images the nodes import.
     */
    @Override
    public Plan plan(Topology topology, Path home) {
        Topology t = KindTopology.expand(topology);
        ClusterLayout layout = ClusterLayout.of(t);
        NetnsPlan wires = new NetnsPlan(t, home, this, false);
        return new Plan().add("topology", wires.topology()).add("networks", wires.networks()).add("nodes", wires.nodes())
                .add("kind cluster", KindPlan.cluster(t, layout))
                .add("kubeadm (/kind/kubeadm.conf per node)", KindPlan.kubeadm(layout))
                .add("calico", KindPlan.calico(t, layout))
                .add("load balancer controller", KindPlan.controller(t, layout, home))
                .add("expected BGP sessions", new NetnsPlan(topology, home, this, false).sessions())
                .add("images", KindPlan.images(t, home))
                .add("checks", wires.checks());
    }

    @Override
    public RunningTopology up(Topology topology, Path home, Progress progress) {
        return NetnsBackend.up(KindTopology.expand(topology), home, progress, NAME, new KindKubernetes());
    }

    @Override
    public RunningTopology attach(StateDir state, Path home) {
        Topology t = TopologyLoader.load(Path.of(state.ledger().topologyFile), state.ledger().settings).withName(state.ledger().name);
        return new NetnsTopology(KindTopology.expand(t), state, home, NAME, new KindKubernetes());
    }

    @Override
    public void down(StateDir state) {
        NetnsBackend.remove(state);
    }

    /** The netns backend sweeps every labelled container and namespace of ours, the kind nodes' among them. */
    @Override
    public List<String> sweepUnrecorded(String name) {
        return List.of();
    }
}
