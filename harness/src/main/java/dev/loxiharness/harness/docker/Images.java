package dev.loxiharness.harness.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.LoadResponseItem;
import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.Host;
import dev.loxiharness.exec.Paths;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The images container nodes run, made here with no registry and never pulled implicitly (a pull
 * where no registry answers hangs). Ours ({@link OurImage}: the Java loxilb, the loxi-ccm
 * controller) are built from their {@code target/docker} context with {@code --network none}, on
 * a Debian 12 base made locally by debootstrap with the packages already in it; each is tagged with
 * a hash of what it is made of, so an unchanged checkout reuses it. Any other image must be there
 * already: what is missing is named with the way to get it, and {@link #load} brings in tars saved
 * on a machine that has them.
 */
public final class Images {
    /** The Java loxilb image of this checkout, as topology files name it. */
    public static final String LOXILB = OurImage.LOXILB.repository();
    /** Held while an image is built, by every process of every checkout on this machine. */
    static final Path BUILD_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "loxiharness-image-build.lock");
    static final String BASE = "loxiharness/debian-base";
    static final List<String> BASE_PACKAGES = List.of("openjdk-17-jre-headless", "nftables", "gobgpd", "iproute2",
            "curl", "procps", "util-linux", "netbase", "bird2");
    private static final Pattern LOADED = Pattern.compile("Loaded image(?: ID)?: (\\S+)");
    private static final Map<String, String> TAGS = new ConcurrentHashMap<>();

    private Images() {
    }

    /** Whether {@code image} means one of the images this checkout builds (built on demand). */
    public static boolean isOurs(String image) {
        return OurImage.named(image).isPresent();
    }

    /**
     * Whether the local engine has exactly this image: {@code nginx} means {@code nginx:latest}, a
     * Docker Hub name matches with or without {@code docker.io/[library/]}, a digest reference
     * matches the image's digests. Never pulls, and unlike {@code docker inspect} a bare ID prefix or
     * another tag of the same repository does not count.
     */
    public static boolean present(String image) {
        String wanted = normalize(image);
        for (Image i : DockerEngine.client().listImagesCmd().exec()) {
            for (String[] refs : new String[][] {i.getRepoTags(), i.getRepoDigests()}) {
                if (refs != null && Arrays.stream(refs).map(Images::normalize).anyMatch(wanted::equals)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A reference in one spelling: no {@code docker.io/} or {@code library/}, {@code :latest} when no tag or digest. */
    static String normalize(String ref) {
        String r = ref.trim();
        if (r.startsWith("docker.io/")) {
            r = r.substring("docker.io/".length());
        }
        if (r.startsWith("library/")) {
            r = r.substring("library/".length());
        }
        String last = r.substring(r.lastIndexOf('/') + 1);
        return last.contains(":") || last.contains("@") ? r : r + ":latest";
    }

    /** How to get an image that is missing, for error messages and {@code ./topology images}. */
    public static String remedy(String image) {
        Optional<OurImage> ours = OurImage.named(image);
        if (ours.isPresent()) {
            return "./topology images builds it (mvn package first: it needs " + ours.get().context() + ")";
        }
        String tar = normalize(image).replaceAll("[^A-Za-z0-9._-]+", "_") + ".tar";
        return "docker pull " + image + " where a registry answers; elsewhere, on a machine that has it: docker save " + image
                + " -o " + tar + ", then here: ./topology images load DIR (the folder holding " + tar + ")";
    }

    /** Empty when {@code image} is there or can be built here; otherwise why not, with the remedy. */
    public static Optional<String> whyNotAvailable(String image, Path home) {
        Optional<OurImage> ours = OurImage.named(image);
        if (ours.isPresent()) {
            if (!Files.isRegularFile(ours.get().jarFile(home))) {
                return Optional.of("image " + image + " cannot be built: " + ours.get().context() + " is missing (run bin/build)");
            }
            if (!present(baseTag()) && !Paths.onPath("debootstrap")) {
                return Optional.of("image " + image + " needs the base " + baseTag() + ", made with debootstrap, which is not"
                        + " installed (bin/install-packages --containers)");
            }
            return Optional.empty();
        }
        return present(image) ? Optional.empty() : Optional.of("image " + image + " is not in the Docker engine: " + remedy(image));
    }

    /** The image a container runs for {@code image}: the content-hash tag when it names one of ours, else itself. */
    public static String resolve(String image, Path home) {
        return OurImage.named(image).map(o -> tag(o, home)).orElse(image);
    }

    /**
     * The tag {@code image} of this checkout has: a hash of its build context and base. Reading the
     * jar's entries takes a while, so it is done once per version of the jar.
     */
    public static String tag(OurImage image, Path home) {
        Path context = image.contextDir(home);
        File jar = image.jarFile(home).toFile();
        String version = context + " " + (jar.isFile() ? jar.lastModified() + " " + jar.length() : "none");
        return TAGS.computeIfAbsent(version, v -> image.repository() + ":" + hash(contextDigest(context) + baseTag()));
    }

    /** The local Debian base our images build on (made by debootstrap when missing). */
    public static String baseTag() {
        return BASE + ":bookworm-" + hash(String.join(",", BASE_PACKAGES));
    }

    /**
     * Makes sure {@code image} of this checkout exists (tagged by content hash and as
     * {@code :latest}); returns the content-hash tag. Reuses it when present.
     */
    public static synchronized String ensure(OurImage image, Path home, Progress progress) {
        String tag = tag(image, home);
        // builds (and test JVMs) side by side would each build the same image and remove each other's tags
        try (FileChannel lockFile = FileChannel.open(BUILD_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lockFile.lock()) {
            return ensureLocked(image, home, progress, tag);
        } catch (IOException e) {
            throw new UncheckedIOException("locking " + BUILD_LOCK + ": " + e.getMessage(), e);
        }
    }

    private static String ensureLocked(OurImage image, Path home, Progress progress, String tag) {
        if (present(tag)) {
            progress.step("image " + tag + ": present");
            return tag;
        }
        if (!Files.isRegularFile(image.jarFile(home))) {
            throw new IllegalStateException("building " + tag + " needs " + image.context() + " (run bin/build)");
        }
        String base = ensureBase(progress);
        try (Progress.Task build = progress.start("image " + tag + ": docker build --network none, FROM " + base)) {
            DockerEngine.client().buildImageCmd(image.contextDir(home).toFile())
                    .withBuildArg("BASE", base)
                    .withNetworkMode("none")
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true)
                    .withTags(Set.of(tag, image.latest()))
                    .exec(new BuildImageResultCallback())
                    .awaitImageId();
            build.done(String.format("image %s: built in %.1f s (docker build --network none, FROM %s)", tag,
                    build.secondsSoFar(), base));
        } catch (DockerException e) {
            throw new IllegalStateException("building " + tag + " failed: " + e.getMessage(), e);
        }
        removeOlder(image.repository(), tag);
        return tag;
    }

    /**
     * Loads a tar made by {@code docker save} (docker-java's {@code loadImageAsyncCmd}, which
     * streams the engine's answer) and returns the tags it brought, or the image IDs of untagged
     * images, as the engine reports them ({@code Loaded image: nginx:1.25}).
     */
    public static List<String> load(Path tar) {
        List<String> loaded = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar)) {
            DockerEngine.client().loadImageAsyncCmd(in).exec(new ResultCallback.Adapter<LoadResponseItem>() {
                @Override
                public void onNext(LoadResponseItem item) {
                    if (item.getStream() != null) {
                        Matcher m = LOADED.matcher(item.getStream());
                        while (m.find()) {
                            loaded.add(m.group(1));
                        }
                    }
                    super.onNext(item);
                }
            }).awaitCompletion();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + tar + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + tar, e);
        } catch (DockerException e) {
            throw new IllegalStateException("docker load of " + tar + " failed: " + e.getMessage(), e);
        }
        return loaded;
    }

    /**
     * Makes sure the base exists: a Debian 12 minbase root file system with {@link #BASE_PACKAGES},
     * made by debootstrap from this machine's Debian mirror and imported ({@code docker import}).
     */
    static String ensureBase(Progress progress) {
        String tag = baseTag();
        if (present(tag)) {
            return tag;
        }
        if (!Host.isRoot()) {
            throw new IllegalStateException("making the base image " + tag + " with debootstrap needs root");
        }
        String mirror = DebianMirror.configured();
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/var/tmp"), "loxiharness-base-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Progress.Task made = progress.start("image " + tag + ": debootstrap from " + mirror + " (about a minute, once)")) {
            Commands.run(List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", BASE_PACKAGES),
                    "bookworm", dir.toString(), mirror), null, Duration.ofMinutes(15)).orThrow();
            Commands.run(List.of("find", dir + "/var/lib/apt/lists", dir + "/var/cache/apt", "-type", "f", "-delete"));
            // docker import through the CLI: docker-java's createImageCmd(stream) ends in "unexpected EOF" on engine 20.10
            Commands.run(List.of("sh", "-c", "tar -C \"$0\" --numeric-owner -c . | docker import - \"$1\"", dir.toString(), tag),
                    null, Duration.ofMinutes(5)).orThrow();
            made.done(String.format("image %s: made in %.1f s (debootstrap from %s, docker import)", tag, made.secondsSoFar(),
                    mirror));
        } finally {
            Commands.run(List.of("rm", "-rf", "--one-file-system", dir.toString()), null, Duration.ofMinutes(2));
        }
        removeOlder(BASE, tag);
        return tag;
    }

    /** Removes the other tags of {@code repository} (earlier builds), except :latest; images still in use stay. */
    private static void removeOlder(String repository, String keep) {
        DockerClient docker = DockerEngine.client();
        for (Image image : docker.listImagesCmd().withImageNameFilter(repository).exec()) {
            for (String t : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                if (t.startsWith(repository + ":") && !t.equals(keep) && !t.equals(repository + ":latest")) {
                    try {
                        docker.removeImageCmd(t).withNoPrune(false).exec();
                    } catch (DockerException e) {
                        // still used by a container: it goes with a later build
                    }
                }
            }
        }
    }

    /**
     * {@link #digestOf} the build context, remembered beside it ({@code docker.digest} next to the
     * {@code docker} folder, in {@code target/}) under a key of its files' names, sizes and times:
     * reading every entry of a 32 MB jar took about a second of each {@code ./topology up}.
     */
    static String contextDigest(Path context) {
        if (!Files.isDirectory(context)) {
            return "missing";
        }
        Path memo = context.resolveSibling(context.getFileName() + ".digest");
        String key;
        try (Stream<Path> files = Files.walk(context)) {
            StringBuilder listing = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                listing.append(context.relativize(f)).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
            key = hash(listing.toString());
            if (Files.isRegularFile(memo)) {
                String[] kv = Files.readString(memo).strip().split(" ");
                if (kv.length == 2 && kv[0].equals(key)) {
                    return kv[1];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + context + ": " + e.getMessage(), e);
        }
        String digest = digestOf(context);
        try {
            Files.writeString(memo, key + " " + digest + "\n");
        } catch (IOException e) {
            // a read-only checkout: the digest is computed again next time
        }
        return digest;
    }

    /** A digest of the build context: file names and contents, and for jars their entries' names and contents (not their times). */
    static String digestOf(Path context) {
        MessageDigest md = sha256();
        try (Stream<Path> files = Files.walk(context)) {
            List<Path> sorted = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            Collections.sort(sorted);
            for (Path f : sorted) {
                md.update(context.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) (Files.isExecutable(f) ? 1 : 0));
                if (f.toString().endsWith(".jar")) {
                    try (ZipFile zip = new ZipFile(f.toFile())) {
                        List<? extends ZipEntry> entries = zip.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList();
                        for (ZipEntry e : entries) {
                            md.update(e.getName().getBytes(StandardCharsets.UTF_8));
                            try (InputStream in = zip.getInputStream(e)) {
                                md.update(in.readAllBytes());
                            }
                        }
                    }
                } else {
                    md.update(Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + context + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String hash(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
