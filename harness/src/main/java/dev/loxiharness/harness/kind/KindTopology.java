package dev.loxiharness.harness.kind;

import dev.loxiharness.harness.docker.OurImage;
import dev.loxiharness.harness.model.Manifests;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topology file as the kind backend runs it: its Kubernetes nodes become kindest/node containers
 * with kind's own container settings, the simulated roles (calico-node, kube-proxy, control-plane)
 * give way to the real components kubeadm and Calico bring, and what the cluster needs (images,
 * Calico's release manifest, the rendered objects) is found and named here, before anything runs.
 */
public final class KindTopology {
    /** kind's {@code docker run} settings for a node (kind's pkg/cluster/internal/providers/docker). */
    public static final List<String> SECURITY_OPT = List.of("seccomp=unconfined", "apparmor=unconfined");
    public static final List<String> TMPFS = List.of("/tmp", "/run");
    public static final List<String> VOLUMES = List.of("/var", "/lib/modules:/lib/modules:ro");

    /** Where the nodes see the images saved for them: a read-only bind of the state folder's {@link #imagesDir}, so no copy is made. */
    public static final String IMAGES_IN_NODE = "/kind/images";

    private KindTopology() {
    }

    /** The host folder the cluster's images are saved in (docker save), bound into every node at {@link #IMAGES_IN_NODE}. */
    public static Path imagesDir(String topology) {
        return StateDir.of(topology).resolve("kind-images").toAbsolutePath();
    }

    /** The topology with its Kubernetes nodes as kind node containers (other nodes as they are). */
    public static Topology expand(Topology t) {
        ClusterLayout layout = ClusterLayout.of(t);
        Map<String, ClusterLayout.ClusterNode> cluster = layout.byNode();
        Map<String, Topology.Node> nodes = new LinkedHashMap<>();
        t.nodes().forEach((name, n) -> {
            ClusterLayout.ClusterNode c = cluster.get(name);
            if (c == null) {
                nodes.put(name, n);
                return;
            }
            Topology.Container given = n.container() != null ? n.container() : Topology.Container.DEFAULTS;
            List<String> volumes = new ArrayList<>(VOLUMES);
            volumes.add(imagesDir(t.name()) + ":" + IMAGES_IN_NODE + ":ro");
            Topology.Container kind = new Topology.Container(c.container(), given.capAdd(), t.kubernetes().kind().privileged(),
                    SECURITY_OPT, TMPFS, given.env(), volumes, "private");
            String role = c.equals(layout.controlPlane()) ? ClusterLayout.CONTROL_PLANE_ROLE : ClusterLayout.WORKER_ROLE;
            nodes.put(name, new Topology.Node(List.of(role), n.interfaces(), n.loopback(), n.routes(), null, null, null,
                    layout.nodeImage(), kind));
        });
        return new Topology(t.name(), t.description(), t.backend(), t.networks(), nodes, t.kubernetes(), t.loadBalancer(), t.checks(),
                t.source(), t.settings());
    }

    /** Calico's release manifest: {@code kubernetes.calico.manifest} beside the topology file. */
    public static Path calicoManifest(Topology t) {
        Path dir = t.source() == null ? Path.of(".") : t.source().toAbsolutePath().getParent();
        return dir.resolve(t.kubernetes().calico().manifest());
    }

    /** The topology's own manifests, read (relative to the file), copies expanded. */
    public static List<String> manifests(Topology t) {
        return Manifests.entries(t).stream().map(m -> Manifests.text(t, m)).toList();
    }

    /**
     * The images the cluster's nodes import (never pull): kindest/node itself is not among them.
     * Calico's (as its manifest names them, or as the release is known to), those of the topology's
     * manifests (the seed's nginx), and loxi-ccm.
     */
    public static List<String> clusterImages(Topology t) {
        Path manifest = calicoManifest(t);
        List<String> images = new ArrayList<>();
        try {
            images.addAll(Files.isRegularFile(manifest) ? CalicoConfig.imagesOf(Files.readString(manifest))
                    : CalicoConfig.images(t.kubernetes().calico()));
        } catch (IOException e) {
            throw new UncheckedIOException("Calico's manifest " + manifest + ": " + e.getMessage(), e);
        }
        manifests(t).forEach(m -> CalicoConfig.imagesOf(m).stream().filter(i -> !images.contains(i)).forEach(images::add));
        images.add(OurImage.LOXI_CCM.latest());
        return images;
    }

    /** Every image {@code up} needs on the host: the node image, the cluster's images, the other container nodes'. */
    public static List<String> requiredImages(Topology t) {
        List<String> images = new ArrayList<>(List.of(t.kubernetes().kind().nodeImage()));
        clusterImages(t).forEach(images::add);
        t.nodes().values().stream().filter(Topology.Node::isContainer).map(Topology.Node::image).filter(i -> !images.contains(i))
                .forEach(images::add);
        return images;
    }
}
