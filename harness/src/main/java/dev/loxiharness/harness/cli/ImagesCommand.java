package dev.loxiharness.harness.cli;

import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyException;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./topology images}: the Java loxilb image built or reused, and every image the topology files need. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = {"Build the Java loxilb image (or reuse it: it is tagged by a hash of what it is made of), then list",
            "every image the topology files need, present or missing, with how to get a missing one.",
            "Nothing is ever pulled: with no registry a pull hangs."})
final class ImagesCommand implements Callable<Integer> {
    @Option(names = "--load", paramLabel = "FILE", description = "first load images from a tar made by docker save (docker load -i FILE)")
    Path load;

    @Override
    public Integer call() throws IOException {
        Optional<String> engine = DockerEngine.whyNot();
        if (engine.isPresent()) {
            System.err.println("topology images: " + engine.get());
            return 1;
        }
        if (load != null) {
            try (InputStream in = Files.newInputStream(load)) {
                DockerEngine.client().loadImageCmd(in).exec();
            }
            System.out.println("loaded " + load);
        }
        String ours = Images.ensureLoxilb(TopologyMain.HOME, System.out::println);
        System.out.println("the Java loxilb image: " + ours + " (also " + Images.LOXILB + ":latest)");
        System.out.println("images the topology files need:");
        int missing = 0;
        try (Stream<Path> files = Files.list(TopologyMain.HOME.resolve("topologies"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Topology t;
                try {
                    t = TopologyLoader.load(f);
                } catch (TopologyException e) {
                    continue; // manifests live there too
                }
                for (var e : t.nodes().entrySet()) {
                    String image = e.getValue().image();
                    if (image == null) {
                        continue;
                    }
                    Optional<String> why = Images.isOurs(image) ? Optional.empty() : Images.whyNotAvailable(image, TopologyMain.HOME);
                    missing += why.isPresent() ? 1 : 0;
                    System.out.printf("  %-20s %-8s %-36s %s%n", f.getFileName(), e.getKey(), image,
                            why.map(w -> "MISSING: " + Images.remedy(image)).orElse(Images.isOurs(image) ? "present (" + ours + ")" : "present"));
                }
            }
        }
        if (missing > 0) {
            System.out.println(missing + " missing: topologies that need them refuse to come up, naming them");
        }
        return 0;
    }
}
