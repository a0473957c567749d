package dev.loxiharness.testcontainers;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * loxilb as a Testcontainers container: the Java loxilb image ({@code loxiharness/loxilb}, built by
 * {@code ./topology images}) or upstream's ({@code ghcr.io/loxilb-io/loxilb}, which wants
 * {@code withPrivilegedMode(true)}). Started like the seed starts it, {@code --host=0.0.0.0}, with
 * {@code -b} and {@code /opt/loxilb/gobgp_loxilb.yaml} after {@link #withBgp}.
 *
 * <pre>{@code
 * try (Network net = Network.newNetwork();
 *      LoxilbContainer loxilb = new LoxilbContainer().withNetwork(net).withBgp(gobgpYaml)) {
 *     loxilb.start();
 *     loxilb.loxicmd("get", "lb");        // loxicmd inside the container
 *     URI api = loxilb.apiUrl();          // http://HOST:PORT of the REST API (/netlox/v1/...)
 * }
 * }</pre>
 */
public class LoxilbContainer extends GenericContainer<LoxilbContainer> {
    public static final String DEFAULT_IMAGE = "loxiharness/loxilb:latest";
    public static final int API_PORT = 11111;
    public static final String GOBGP_CONFIG = "/opt/loxilb/gobgp_loxilb.yaml";

    public LoxilbContainer() {
        this(DEFAULT_IMAGE);
    }

    public LoxilbContainer(String image) {
        this(DockerImageName.parse(image));
    }

    public LoxilbContainer(DockerImageName image) {
        super(image);
        withCreateContainerCmdModifier(c -> c.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW));
        withCommand("--host=0.0.0.0");
        waitingFor(Wait.forSuccessfulCommand("curl -sf -o /dev/null http://127.0.0.1:" + API_PORT + "/netlox/v1/version"));
    }

    /**
     * The REST API port is published unless the container's network is internal (an internal
     * network publishes nothing; the API is then reached at the container's address).
     */
    @Override
    protected void configure() {
        super.configure();
        boolean internal = getNetwork() != null && Boolean.TRUE.equals(DockerClientFactory.lazyClient().inspectNetworkCmd()
                .withNetworkId(getNetwork().getId()).exec().getInternal());
        if (!internal) {
            addExposedPort(API_PORT);
        }
    }

    /** BGP mode ({@code -b}) with this GoBGP configuration at {@value #GOBGP_CONFIG}, as in the seed. */
    public LoxilbContainer withBgp(String gobgpYaml) {
        withCopyToContainer(Transferable.of(gobgpYaml), GOBGP_CONFIG);
        return withCommand("--host=0.0.0.0", "-b");
    }

    /**
     * The REST API's base URL: the published port where the engine publishes ports, else the
     * container's address on its first network (an internal network publishes none).
     */
    public String apiUrl() {
        if (getExposedPorts().contains(API_PORT)) {
            return "http://" + getHost() + ":" + getMappedPort(API_PORT);
        }
        return "http://" + ipAddress() + ":" + API_PORT;
    }

    /** The container's address on its first network. */
    public String ipAddress() {
        return getContainerInfo().getNetworkSettings().getNetworks().values().stream().map(ContainerNetwork::getIpAddress)
                .filter(ip -> ip != null && !ip.isEmpty()).findFirst()
                .orElseThrow(() -> new IllegalStateException(getContainerName() + " has no network address"));
    }

    /** {@code loxicmd ARGS} inside the container. */
    public Container.ExecResult loxicmd(String... args) throws IOException, InterruptedException {
        return execIn("loxicmd", args);
    }

    /** {@code gobgp ARGS} inside the container (e.g. {@code neigh}, {@code global rib}). */
    public Container.ExecResult gobgp(String... args) throws IOException, InterruptedException {
        return execIn("gobgp", args);
    }

    private Container.ExecResult execIn(String program, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(program));
        cmd.addAll(List.of(args));
        return execInContainer(cmd.toArray(String[]::new));
    }
}
