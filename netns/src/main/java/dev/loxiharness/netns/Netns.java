package dev.loxiharness.netns;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One named network namespace; every command given to it runs inside it. */
public final class Netns {
    private final String name;

    Netns(String name) {
        this.name = name;
    }

    /** A handle on an existing namespace (made elsewhere, e.g. by an earlier run). */
    public static Netns named(String name) {
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    /** The argv that runs {@code cmd} inside this namespace. */
    public List<String> wrap(List<String> cmd) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(cmd);
        return argv;
    }

    public ExecResult exec(String... cmd) {
        return Commands.run(wrap(Arrays.asList(cmd)));
    }

    public ExecResult exec(Duration timeout, String stdin, String... cmd) {
        return Commands.run(wrap(Arrays.asList(cmd)), stdin, timeout);
    }

    /** Runs an {@code ip} subcommand in this namespace and fails loudly if it fails. */
    public Netns ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", name));
        argv.addAll(Arrays.asList(args));
        Commands.run(argv).orThrow();
        return this;
    }

    public Netns addr(String iface, String cidr) {
        return ip("addr", "add", cidr, "dev", iface);
    }

    public Netns up(String iface) {
        return ip("link", "set", iface, "up");
    }

    public Netns route(String... spec) {
        List<String> args = new ArrayList<>(List.of("route", "replace"));
        args.addAll(Arrays.asList(spec));
        return ip(args.toArray(String[]::new));
    }

    public Netns sysctl(String key, String value) {
        exec("sysctl", "-qw", key + "=" + value).orThrow();
        return this;
    }

    @Override
    public String toString() {
        return name;
    }
}
