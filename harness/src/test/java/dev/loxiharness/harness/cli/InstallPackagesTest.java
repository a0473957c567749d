package dev.loxiharness.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/install-packages on a machine that lacks packages, has them all, or is not root, with fake
 * dpkg-query, apt-get and id on PATH (the real ones behave the same way: dpkg-query exits 1 when a
 * package it is asked about is missing, which once ended the script silently under pipefail).
 */
class InstallPackagesTest {
    static final Path SCRIPT = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize()
            .resolve("bin/install-packages");

    @TempDir
    Path tmp;
    Path bin;
    Path aptLog;

    record Run(int exit, String stderr, String apt) {
    }

    @BeforeEach
    void fakes() throws IOException {
        bin = Files.createDirectories(tmp.resolve("bin"));
        aptLog = tmp.resolve("apt.log");
        script("dpkg-query", """
                rc=0
                for p in "$@"; do
                  case "$p" in -*) continue ;; esac
                  if [[ " $FAKE_MISSING " == *" $p "* ]]; then echo "dpkg-query: no packages found matching $p" >&2; rc=1
                  else echo "$p install ok installed"; fi
                done
                exit $rc
                """);
        script("apt-get", "echo \"$*\" >> \"$FAKE_APT_LOG\"\n[ \"$1\" = install ] && exit \"${FAKE_APT_EXIT:-0}\"\nexit 0\n");
        script("id", "echo \"$FAKE_UID\"\n");
        Files.createSymbolicLink(bin.resolve("grep"), Path.of("/bin/grep"));
    }

    void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/bash\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Run run(String missing, String uid, boolean kubectl, Map<String, String> more, String... args) throws Exception {
        if (kubectl) {
            script("kubectl", "exit 0\n");
        }
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("/bin/bash", SCRIPT.toString()), Stream.of(args)).toList()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", bin.toString(), "CI", "true", "FAKE_MISSING", missing, "FAKE_UID", uid,
                "FAKE_APT_LOG", aptLog.toString()));
        pb.environment().putAll(more);
        Process p = pb.start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), err, Files.exists(aptLog) ? Files.readString(aptLog) : "");
    }

    @Test
    void asRootItAsksAptForExactlyTheMissingOnesAndSucceeds() throws Exception {
        Run r = run("nftables bird2", "0", false, Map.of());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.apt().lines().toList()).containsExactly("update -qq",
                "install -y --no-install-recommends nftables bird2 kubernetes-client -qq");
        assertThat(r.stderr()).contains("installing Debian packages: nftables bird2 kubernetes-client");
    }

    @Test
    void withEverythingPresentItDoesNothingAndSaysNothing() throws Exception {
        Run r = run("", "0", true, Map.of());
        assertThat(r.exit()).isZero();
        assertThat(r.apt()).isEmpty();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void notRootItPrintsTheCommandAndFails() throws Exception {
        Run r = run("socat", "1000", true, Map.of());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.apt()).isEmpty();
        assertThat(r.stderr().lines().toList()).containsExactly("missing Debian packages: socat",
                "install them as root:  sudo apt-get install -y --no-install-recommends socat");
    }

    @Test
    void aFailingAptSaysSoInOneLine() throws Exception {
        Run r = run("socat", "0", true, Map.of("FAKE_APT_EXIT", "100"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr().lines().filter(l -> l.startsWith("install-packages:")).toList())
                .singleElement().asString().contains("apt-get install -y --no-install-recommends socat").contains("failed");
    }

    @Test
    void withContainersItAlsoAsksForTheDockerEngineAndDebootstrap() throws Exception {
        Run r = run("docker.io debootstrap", "0", true, Map.of(), "--containers");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.apt().lines().toList()).containsExactly("update -qq",
                "install -y --no-install-recommends docker.io debootstrap -qq");
    }

    @Test
    void withBrowserItAlsoAsksForChromiumAndWithoutItNever() throws Exception {
        Run r = run("chromium graphviz", "0", true, Map.of(), "--browser");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.apt().lines().toList()).containsExactly("update -qq", "install -y --no-install-recommends graphviz chromium -qq");
        Files.delete(aptLog);
        Run plain = run("chromium graphviz", "0", true, Map.of());
        assertThat(plain.apt().lines().toList()).as("./topology's own packages: Graphviz, no browser")
                .containsExactly("update -qq", "install -y --no-install-recommends graphviz -qq");
    }

    @Test
    void anUnknownOptionIsRefusedInOneLine() throws Exception {
        Run r = run("", "0", true, Map.of(), "--containrs");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).containsExactly("install-packages: unknown option --containrs (use --yes, --containers, --browser)");
    }
}
