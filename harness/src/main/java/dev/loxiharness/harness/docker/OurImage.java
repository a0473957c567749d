package dev.loxiharness.harness.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An image this checkout builds rather than pulls: its repository as topology files name it, its
 * build context (a {@code target/docker} folder that {@code mvn package} stages: Dockerfile,
 * launchers, the shaded jar) and the jar in it. {@link Images#ensure} builds every one the same way,
 * so a second image is one more constant here, not a second build method.
 *
 * @param repository the name without tag; the built image is tagged by content hash and {@code :latest}
 * @param context    the build context, relative to the checkout
 * @param jar        the jar in the context, whose absence means {@code mvn package} has not run
 */
public record OurImage(String repository, String context, String jar) {
    /** The Java loxilb, shaped like upstream's image. */
    public static final OurImage LOXILB = new OurImage("loxiharness/loxilb", "loxilb/target/docker", "loxilb.jar");
    /** The load-balancer controller in the loxi-ccm role, deployed in the cluster as the seed installs loxi-ccm. */
    public static final OurImage LOXI_CCM = new OurImage("loxiharness/loxi-ccm", "controller/target/docker", "controller.jar");
    /** Every image this checkout builds, in the order {@code ./topology images} lists them. */
    public static final List<OurImage> ALL = List.of(LOXILB, LOXI_CCM);

    /** The one of ours {@code image} names (the repository, bare or {@code :latest}), if any. */
    public static Optional<OurImage> named(String image) {
        return ALL.stream().filter(o -> image.equals(o.repository) || image.equals(o.repository + ":latest")).findFirst();
    }

    public String latest() {
        return repository + ":latest";
    }

    Path contextDir(Path home) {
        return home.resolve(context);
    }

    Path jarFile(Path home) {
        return contextDir(home).resolve(jar);
    }
}
