package dev.loxiharness.testcontainers;

import com.github.dockerjava.api.model.Capability;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A BGP router running BIRD 2 (the seed's external router, or a stand-in for Calico's BIRD), from
 * any image with {@code bird} and {@code birdc} on PATH; the Java loxilb image has them. Give it
 * its configuration with {@link #withConfig}; {@link #birdc} asks it.
 *
 * <pre>{@code
 * BirdRouterContainer router = new BirdRouterContainer().withNetwork(net).withConfig("""
 *     router id 192.168.20.55;
 *     protocol device {}
 *     protocol bgp loxilb { local as 64001; neighbor 192.168.20.4 as 65002; ipv4 { import all; export all; }; }
 *     """);
 * }</pre>
 */
public class BirdRouterContainer extends GenericContainer<BirdRouterContainer> {
    public static final String DEFAULT_IMAGE = LoxilbContainer.DEFAULT_IMAGE;
    public static final String CONFIG = "/etc/bird/bird.conf";
    public static final String SOCKET = "/run/bird/bird.ctl";

    public BirdRouterContainer() {
        this(DEFAULT_IMAGE);
    }

    public BirdRouterContainer(String image) {
        this(DockerImageName.parse(image));
    }

    public BirdRouterContainer(DockerImageName image) {
        super(image);
        withCreateContainerCmdModifier(c -> {
            c.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW);
            c.withEntrypoint("sh", "-c", "mkdir -p /run/bird && exec bird -f -c " + CONFIG + " -s " + SOCKET);
        });
        withCommand(); // the image's own command would be passed to the shell above
        waitingFor(Wait.forSuccessfulCommand("birdc -s " + SOCKET + " show status"));
    }

    /** BIRD's configuration file ({@value #CONFIG}). */
    public BirdRouterContainer withConfig(String birdConf) {
        return withCopyToContainer(Transferable.of(birdConf), CONFIG);
    }

    /** {@code birdc ARGS} against the running BIRD. */
    public Container.ExecResult birdc(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("birdc", "-s", SOCKET));
        cmd.addAll(List.of(args));
        return execInContainer(cmd.toArray(String[]::new));
    }
}
