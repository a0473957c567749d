package dev.loxiharness.harness.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A topology file: L2 networks, nodes with roles, the Kubernetes part, the load balancer's
 * controller and the checks that say whether the setup works. The single source of truth for a
 * run; {@link TopologyLoader} reads and validates it.
 */
public record Topology(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("description") String description,
        /** The backend that runs it ({@code netns} when absent); {@code ./topology up --backend} overrides it. */
        @JsonProperty("backend") String backend,
        @JsonProperty(value = "networks", required = true) Map<String, Network> networks,
        @JsonProperty(value = "nodes", required = true) Map<String, Node> nodes,
        @JsonProperty("kubernetes") Kubernetes kubernetes,
        @JsonProperty("loadBalancer") LoadBalancer loadBalancer,
        @JsonProperty("checks") List<Check> checks,
        /** Where the file was read from; manifests are found relative to it. */
        Path source,
        /** The settings changed on top of the file ({@code --set PATH=VALUE}), kept so a running topology is read back as it was made. */
        Map<String, String> settings) {

    /** The schema's limit for names: {@code ^[a-z][a-z0-9-]{0,11}$}. */
    public static final int MAX_NAME = 12;

    public Topology {
        networks = networks == null ? Map.of() : new LinkedHashMap<>(networks);
        nodes = nodes == null ? Map.of() : new LinkedHashMap<>(nodes);
        checks = checks == null ? List.of() : List.copyOf(checks);
        description = description == null ? "" : description;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /**
     * The same topology under another name (so under another name prefix and state folder): how a
     * test runs the seed while someone's ./topology up of it is running.
     */
    public Topology withName(String newName) {
        return new Topology(newName, description, backend, networks, nodes, kubernetes, loadBalancer, checks, source, settings);
    }

    /**
     * The same topology under a name of its own (e.g. {@code seed-k3f}): how tests run side by side,
     * and beside someone's {@code ./topology up} of the same file or another build's tests.
     */
    public Topology withUniqueName() {
        return withName(uniqueName(name));
    }

    /** {@code base} shortened to leave room, then {@code -} and three random characters; within the schema's 12. */
    public static String uniqueName(String base) {
        String suffix = Integer.toString(36 * 36 + ThreadLocalRandom.current().nextInt(36 * 36 * 35), 36);
        String stem = base.length() > MAX_NAME - 4 ? base.substring(0, MAX_NAME - 4) : base;
        while (stem.endsWith("-")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        return stem + "-" + suffix;
    }

    /** Which node has each address (interfaces and loopback), without prefix length. */
    public Map<String, String> addressOwners() {
        Map<String, String> owner = new LinkedHashMap<>();
        nodes.forEach((name, node) -> {
            node.interfaces().forEach(i -> owner.put(i.ip(), name));
            node.loopback().forEach(a -> owner.put(a.split("/")[0], name));
        });
        return owner;
    }

    public Topology withSource(Path file) {
        return new Topology(name, description, backend, networks, nodes, kubernetes, loadBalancer, checks, file, settings);
    }

    /** The same topology, recording the settings that changed it on top of its file. */
    public Topology withSettings(Map<String, String> changed) {
        return new Topology(name, description, backend, networks, nodes, kubernetes, loadBalancer, checks, source, changed);
    }

    /**
     * How a container node runs: its name (the node's name when absent), and what its image needs
     * beyond NET_ADMIN and NET_RAW (upstream loxilb's image: privileged, bpffs).
     */
    public record Container(
            @JsonProperty("name") String name,
            @JsonProperty("capAdd") List<String> capAdd,
            @JsonProperty("privileged") Boolean privileged,
            @JsonProperty("securityOpt") List<String> securityOpt,
            @JsonProperty("tmpfs") List<String> tmpfs,
            @JsonProperty("env") Map<String, String> env,
            /** {@code /var} (an anonymous volume) or {@code HOST:CONTAINER[:ro]} (a bind mount), as docker run --volume says it. */
            @JsonProperty("volumes") List<String> volumes,
            /** {@code private} or {@code host}: the cgroup namespace (kind's nodes: private). */
            @JsonProperty("cgroupns") String cgroupns) {

        public static final Container DEFAULTS = new Container(null, null, null, null, null, null, null, null);

        public Container {
            capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
            privileged = privileged != null && privileged;
            securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
            tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
            env = env == null ? Map.of() : Map.copyOf(env);
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
        }
    }

    /** An L2 segment: a bridge that the nodes' interfaces on it plug into. */
    public record Network(@JsonProperty(value = "subnet", required = true) String subnet) {
    }

    public record Node(
            @JsonProperty(value = "roles", required = true) List<String> roles,
            @JsonProperty("interfaces") List<Interface> interfaces,
            @JsonProperty("loopback") List<String> loopback,
            @JsonProperty("routes") List<Route> routes,
            @JsonProperty("bgp") Bgp bgp,
            @JsonProperty("calico") Calico calico,
            @JsonProperty("loxilb") Loxilb loxilb,
            /** Run the node as a container of this image instead of a network namespace. */
            @JsonProperty("image") String image,
            @JsonProperty("container") Container container) {

        public Node {
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
            loopback = loopback == null ? List.of() : List.copyOf(loopback);
            routes = routes == null ? List.of() : List.copyOf(routes);
        }

        public boolean has(String role) {
            return roles.contains(role);
        }

        /** Whether the node runs as a container ({@code image:}) rather than a network namespace. */
        public boolean isContainer() {
            return image != null;
        }

        /** The name of the node's {@code i}-th interface: as the file says, else {@code eth<i>}. */
        public String interfaceName(int i) {
            Interface itf = interfaces.get(i);
            return itf.name() != null ? itf.name() : "eth" + i;
        }

        /** The node's first address (without prefix length), e.g. its BGP router id. */
        public String primaryAddress() {
            return interfaces.isEmpty() ? null : interfaces.get(0).ip();
        }
    }

    public record Interface(
            @JsonProperty(value = "network", required = true) String network,
            @JsonProperty(value = "address", required = true) String address,
            @JsonProperty("name") String name) {

        /** The address without its prefix length. */
        public String ip() {
            return address.substring(0, address.indexOf('/'));
        }
    }

    public record Route(@JsonProperty(value = "to", required = true) String to,
                        @JsonProperty(value = "via", required = true) String via) {
    }

    /** BGP of a router node: its AS, its neighbours and the networks it advertises. */
    public record Bgp(
            @JsonProperty(value = "as", required = true) long as,
            @JsonProperty("routerId") String routerId,
            @JsonProperty("neighbors") List<Neighbor> neighbors,
            @JsonProperty("export") List<String> export) {

        public Bgp {
            neighbors = neighbors == null ? List.of() : List.copyOf(neighbors);
            export = export == null ? List.of() : List.copyOf(export);
        }
    }

    public record Neighbor(@JsonProperty(value = "address", required = true) String address,
                           @JsonProperty(value = "as", required = true) long as) {
    }

    /** A Calico node's IPAM blocks (the pod CIDR's blocks this node owns). */
    public record Calico(@JsonProperty("blocks") List<String> blocks) {
        public Calico {
            blocks = blocks == null ? List.of() : List.copyOf(blocks);
        }
    }

    /** The Java loxilb on this node: its command-line arguments and gobgpd's config for -b. */
    public record Loxilb(@JsonProperty("args") List<String> args,
                         @JsonProperty("gobgpConfig") String gobgpConfig) {
        private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

        public Loxilb {
            args = args == null ? List.of() : List.copyOf(args);
        }

        /** Whether loxilb runs in BGP mode ({@code -b} or {@code --bgp}): only then does it start gobgpd. */
        public boolean bgp() {
            return args.contains("-b") || args.contains("--bgp") || args.contains("--bgp=true");
        }

        /** gobgpd's own AS ({@code global.config.as}); empty without a config or an AS in it. */
        public OptionalLong gobgpAs() {
            JsonNode as = gobgpTree().path("global").path("config").path("as");
            return as.isNumber() ? OptionalLong.of(as.asLong()) : OptionalLong.empty();
        }

        /** The neighbours of gobgpd's config ({@code neighbors[].config}: neighbor-address, peer-as); none without it. */
        public List<Neighbor> gobgpNeighbors() {
            List<Neighbor> out = new ArrayList<>();
            for (JsonNode n : gobgpTree().path("neighbors")) {
                JsonNode c = n.path("config");
                out.add(new Neighbor(c.path("neighbor-address").asText(), c.path("peer-as").asLong()));
            }
            return out;
        }

        private JsonNode gobgpTree() {
            if (gobgpConfig == null) {
                return YAML.missingNode();
            }
            try {
                JsonNode tree = YAML.readTree(gobgpConfig);
                return tree == null ? YAML.missingNode() : tree;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("gobgpConfig is not YAML: " + e.getOriginalMessage(), e);
            }
        }
    }

    public record Kubernetes(
            @JsonProperty("serviceCIDR") String serviceCidr,
            @JsonProperty("podCIDR") String podCidr,
            @JsonProperty("blockSize") Integer blockSize,
            @JsonProperty("calico") CalicoCluster calico,
            @JsonProperty("manifests") List<Manifest> manifests,
            /** The kind cluster (backend: kind): its node image. */
            @JsonProperty("kind") Kind kind) {

        public Kubernetes {
            serviceCidr = serviceCidr == null ? "10.233.0.0/18" : serviceCidr;
            podCidr = podCidr == null ? "10.233.64.0/18" : podCidr;
            blockSize = blockSize == null ? 26 : blockSize;
            manifests = manifests == null ? List.of() : List.copyOf(manifests);
            calico = calico == null ? new CalicoCluster(null, null, null, null) : calico;
            kind = kind == null ? new Kind(null, null) : kind;
        }
    }

    /**
     * One entry of {@code kubernetes.manifests}: a file applied as it is ({@code - test-nginx-svc.yaml}),
     * or {@code - { file: F, copies: N }}, whose documents are applied N times with every {@code ${i}}
     * in the file replaced by the copy's number, 1 to N (1,000 Services from one small file).
     */
    public record Manifest(@JsonProperty(value = "file", required = true) String file, @JsonProperty("copies") Integer copies) {
        /** What {@code ${i}} is replaced with in a copied file. */
        public static final String INDEX = "${i}";

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Manifest of(String file) {
            return new Manifest(file, null);
        }

        /** Whether the file is applied in copies ({@code copies:} given), with {@code ${i}} replaced. */
        public boolean copied() {
            return copies != null;
        }

        /** How many times its documents are applied. */
        public int count() {
            return copies == null ? 1 : copies;
        }
    }

    /**
     * Calico of the cluster: its AS and mesh (both backends), and for real Calico (backend kind)
     * the release whose images run and the manifest it is installed from (the release's
     * {@code manifests/calico.yaml}; found beside the topology file, else in the image folder).
     */
    public record CalicoCluster(@JsonProperty("asNumber") Long asNumber,
                                @JsonProperty("nodeToNodeMesh") Boolean nodeToNodeMesh,
                                @JsonProperty("version") String version,
                                @JsonProperty("manifest") String manifest) {
        public static final String DEFAULT_VERSION = "v3.29.3";

        public CalicoCluster {
            asNumber = asNumber == null ? 64512L : asNumber;
            nodeToNodeMesh = nodeToNodeMesh == null || nodeToNodeMesh;
            version = version == null ? DEFAULT_VERSION : version;
            manifest = manifest == null ? "calico-" + version + ".yaml" : manifest;
        }
    }

    /**
     * A kind cluster's settings: the kindest/node image every Kubernetes node runs, and whether its
     * containers are privileged (as kind runs them; false only for a stand-in node image on an
     * engine that cannot grant it, as the harness's own tests do).
     */
    public record Kind(@JsonProperty("nodeImage") String nodeImage, @JsonProperty("privileged") Boolean privileged) {
        public static final String DEFAULT_NODE_IMAGE = "kindest/node:v1.32.2";

        public Kind {
            nodeImage = nodeImage == null ? DEFAULT_NODE_IMAGE : nodeImage;
            privileged = privileged == null || privileged;
        }
    }

    public record LoadBalancer(@JsonProperty("controller") Controller controller) {
    }

    /** The load-balancer controller: loxi-ccm ({@code ccm}) or kube-loxilb role, on a node. */
    public record Controller(
            @JsonProperty("mode") String mode,
            @JsonProperty("node") String node,
            @JsonProperty("apiServerURL") List<String> apiServerUrl,
            @JsonProperty("externalCIDR") String externalCidr,
            @JsonProperty("setBGP") Boolean setBgp,
            @JsonProperty("setLBMode") Integer setLbMode) {

        public Controller {
            mode = mode == null ? "ccm" : mode;
            apiServerUrl = apiServerUrl == null ? List.of() : List.copyOf(apiServerUrl);
            setBgp = setBgp != null && setBgp;
            setLbMode = setLbMode == null ? 0 : setLbMode;
        }

        /**
         * The data of loxi-ccm's ConfigMap {@code kube-system/loxilb-config} for this controller, in
         * the seed's flat keys; one place so the simulated cluster and the real one get the same.
         */
        public Map<String, String> loxilbConfig() {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("apiServerURL", String.join(",", apiServerUrl));
            if (externalCidr != null) {
                data.put("externalCIDR", externalCidr);
            }
            data.put("setBGP", String.valueOf(setBgp));
            data.put("setLBMode", String.valueOf(setLbMode));
            return data;
        }
    }

    /**
     * One expectation of the setup, checked by {@code status} and at the end of {@code up}. Which
     * fields matter depends on {@code type}; the schema says which.
     */
    public record Check(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "type", required = true) String type,
            @JsonProperty("node") String node,
            @JsonProperty("from") String from,
            @JsonProperty("peer") String peer,
            @JsonProperty("prefix") String prefix,
            @JsonProperty("prefixes") List<String> prefixes,
            @JsonProperty("nextHop") String nextHop,
            @JsonProperty("via") String via,
            @JsonProperty("asPath") String asPath,
            @JsonProperty("url") String url,
            @JsonProperty("status") Integer status,
            @JsonProperty("body") String body,
            @JsonProperty("attempts") Integer attempts,
            @JsonProperty("service") String service,
            @JsonProperty("externalIP") String externalIp,
            @JsonProperty("ports") String ports,
            @JsonProperty("row") String row,
            @JsonProperty("command") List<String> command,
            @JsonProperty("contains") String contains,
            /** rib: instead of exact prefixes (a real cluster's Calico blocks are not known in advance), paths within this CIDR... */
            @JsonProperty("within") String within,
            /** ...at least this many of them (default 1). */
            @JsonProperty("atLeast") Integer atLeast,
            /** load-balancers: how many LoadBalancer Services there must be. */
            @JsonProperty("count") Integer count,
            /** How long {@code up} waits for this check to pass, in seconds (default: the CLI's budget). */
            @JsonProperty("budget") Integer budget) {

        public Check {
            prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
            command = command == null ? List.of() : List.copyOf(command);
        }
    }
}
