package dev.loxiharness.loxilb.dataplane;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nft -f -} on a script: one atomic transaction, all or nothing. The daemon runs in
 * its own network namespace, so plain {@code nft} acts on that namespace's ruleset.
 */
public class Nft {
    private final List<String> command;

    public Nft() {
        this(List.of("nft"));
    }

    /** {@code command} is the nft invocation, e.g. {@code ip netns exec NS nft} for a test. */
    public Nft(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** Applies the script as one transaction; throws {@link NftException} with nft's message on failure. */
    public void apply(String script) {
        run(script, "-f", "-");
    }

    /** Runs a read-only nft command, e.g. {@code list table ip loxilb}, and returns its output. */
    public String query(String... args) {
        return run(null, args);
    }

    private String run(String stdin, String... args) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of(args));
        try {
            // stdin-fed transactions print nothing but errors: merge the streams so neither blocks
            Process p = new ProcessBuilder(argv).redirectErrorStream(stdin != null).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException("nft did not finish within 60 s", stdin);
            }
            if (p.exitValue() != 0) {
                byte[] why = stdin != null ? out : err;
                throw new NftException(new String(why, StandardCharsets.UTF_8).strip(), stdin);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NftException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), stdin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while running nft", stdin);
        }
    }
}
