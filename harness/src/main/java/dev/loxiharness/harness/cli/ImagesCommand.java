package dev.loxiharness.harness.cli;

import dev.loxiharness.console.Progress;
import dev.loxiharness.harness.docker.DockerEngine;
import dev.loxiharness.harness.docker.Images;
import dev.loxiharness.harness.docker.OurImage;
import dev.loxiharness.harness.kind.ClusterLayout;
import dev.loxiharness.harness.kind.KindTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.netns.KindBackend;
import dev.loxiharness.harness.model.TopologyException;
import dev.loxiharness.harness.model.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./topology images}: our images (the Java loxilb, loxi-ccm) built or reused, and every image
 * the topology files need, present or missing; {@code ./topology images load DIR} brings in tars
 * saved elsewhere, since nothing here can pull.
 */
@Command(name = "images", mixinStandardHelpOptions = true, subcommands = ImagesCommand.Load.class,
        description = {"Build our images, the Java loxilb and loxi-ccm (or reuse them: each is tagged by a hash of what it is",
            "made of), then list every image the topology files need, present or missing, with how to get a missing one.",
            "Nothing is ever pulled: with no registry a pull hangs."})
final class ImagesCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        if (!engineAnswers()) {
            return 1;
        }
        Progress progress = Progress.on(System.out);
        for (OurImage ours : OurImage.ALL) {
            String tag = Images.ensure(ours, TopologyMain.HOME, progress);
            System.out.println("ours: " + tag + " (also " + ours.latest() + ")");
        }
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
                for (Map.Entry<String, String> e : needed(t)) {
                    String image = e.getValue();
                    Optional<String> why = Images.whyNotAvailable(image, TopologyMain.HOME);
                    missing += why.isPresent() ? 1 : 0;
                    System.out.printf("  %-20s %-14s %-42s %s%n", f.getFileName(), e.getKey(), image, why.map(w -> "MISSING: "
                            + Images.remedy(image)).orElse(Images.isOurs(image) ? "present (" + Images.resolve(image, TopologyMain.HOME) + ")" : "present"));
                }
            }
        }
        if (missing > 0) {
            System.out.println(missing + " missing: topologies that need them refuse to come up, naming them");
        }
        return 0;
    }

    /**
     * The images a topology needs, each under what needs it: a container node's by the node's name;
     * on the kind backend also the node image ({@code kind-node}) and the cluster's ({@code cluster}).
     */
    static List<Map.Entry<String, String>> needed(Topology t) {
        Map<String, String> byImage = new LinkedHashMap<>();
        boolean kind = KindBackend.NAME.equals(t.backend());
        Topology nodes = kind ? KindTopology.expand(t) : t;
        nodes.nodes().forEach((name, n) -> {
            if (n.isContainer()) {
                byImage.putIfAbsent(n.image(), ClusterLayout.isKindNode(n) ? "kind nodes" : name);
            }
        });
        if (kind) {
            KindTopology.clusterImages(t).forEach(i -> byImage.putIfAbsent(i, "cluster"));
        }
        return byImage.entrySet().stream().map(e -> Map.entry(e.getValue(), e.getKey())).toList();
    }

    static boolean engineAnswers() {
        Optional<String> engine = DockerEngine.whyNot();
        engine.ifPresent(why -> System.err.println("topology images: " + why));
        return engine.isEmpty();
    }

    /** {@code ./topology images load DIR}: every {@code *.tar} in DIR, as {@code docker load -i} would, saying what each brought. */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Load every *.tar in DIR (tars made by docker save IMAGE -o X.tar on a machine that has the",
                "images) into the Docker engine, and print the tags each brought."})
    static final class Load implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "a folder of tars made by docker save")
        Path dir;

        @Override
        public Integer call() throws IOException {
            if (!Files.isDirectory(dir)) {
                System.err.println("topology images load: " + dir + (Files.exists(dir) ? " is not a folder" : " does not exist")
                        + " (give the folder holding the tars made by docker save IMAGE -o X.tar)");
                return 2;
            }
            List<Path> tars;
            try (Stream<Path> files = Files.list(dir)) {
                tars = files.filter(p -> p.getFileName().toString().endsWith(".tar") && Files.isRegularFile(p)).sorted().toList();
            }
            if (tars.isEmpty()) {
                System.err.println("topology images load: no *.tar in " + dir + " (make them with docker save IMAGE -o X.tar"
                        + " on a machine that has the images)");
                return 2;
            }
            if (!engineAnswers()) {
                return 1;
            }
            for (Path tar : tars) {
                List<String> tags = Images.load(tar);
                System.out.println(tar.getFileName() + ": " + (tags.isEmpty() ? "loaded (the engine named no image)" : String.join(", ", tags)));
            }
            return 0;
        }
    }
}
