package dev.loxiharness.netns;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.exec.Host;
import dev.loxiharness.exec.Paths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A set of network namespaces, links and processes under one name prefix. Links are created
 * directly inside namespaces, so the root namespace is never touched. {@link #close()} (also run
 * on JVM shutdown, e.g. Ctrl-C) ends the processes it started, by pid, and deletes its namespaces,
 * which removes their links with them.
 */
public final class Lab implements AutoCloseable {
    private final String prefix;
    private final Map<String, Netns> namespaces = new LinkedHashMap<>();
    private final Deque<Process> processes = new ArrayDeque<>();
    private final Thread shutdownHook = new Thread(this::cleanUp, "lab-cleanup");
    private boolean closed;

    private Lab(String prefix) {
        this.prefix = prefix;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Whether labs can be built here: root, and the tools the labs use are installed. */
    public static boolean usable() {
        return Host.isRoot()
                && Stream.of("ip", "nft", "nginx", "curl").allMatch(Paths::onPath);
    }

    /** A lab whose names start with {@code stem} plus a short random suffix, unique per run. */
    public static Lab create(String stem) {
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        return new Lab(stem + suffix);
    }

    public String prefix() {
        return prefix;
    }

    /** Creates (once) the namespace {@code <prefix>-<name>} with loopback up. */
    public synchronized Netns namespace(String name) {
        return namespaces.computeIfAbsent(name, n -> {
            String full = prefix + "-" + n;
            Commands.run(List.of("ip", "netns", "add", full)).orThrow();
            Netns ns = new Netns(full);
            ns.up("lo");
            return ns;
        });
    }

    /** A veth pair {@code a:ifA <-> b:ifB}, both ends up. */
    public void veth(Netns a, String ifA, Netns b, String ifB) {
        a.ip("link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b.name());
        a.up(ifA);
        b.up(ifB);
    }

    /** A bridge inside {@code ns}, up. */
    public void bridge(Netns ns, String name) {
        ns.ip("link", "add", name, "type", "bridge");
        ns.up(name);
    }

    /** Attaches {@code host} to {@code bridge} (in {@code switchNs}) with a veth named {@code iface}. */
    public void attach(Netns host, String iface, String cidr, Netns switchNs, String bridge) {
        String port = (host.name().substring(prefix.length() + 1) + "-" + iface);
        if (port.length() > 15) {
            port = port.substring(0, 15);
        }
        veth(host, iface, switchNs, port);
        switchNs.ip("link", "set", port, "master", bridge);
        host.addr(iface, cidr);
    }

    /** Starts a long-running process inside {@code ns}, output to {@code log}; ended on close. */
    public synchronized Process spawn(Netns ns, Path log, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(ns.wrap(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            processes.push(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends one process this lab started: SIGTERM, then SIGKILL after {@code graceMillis}. */
    public synchronized void stop(Process p, long graceMillis) {
        terminate(p, graceMillis);
        processes.remove(p);
    }

    private static void terminate(Process p, long graceMillis) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> problems = new ArrayList<>();
        while (!processes.isEmpty()) {
            terminate(processes.pop(), 2000);
        }
        for (Netns ns : namespaces.values()) {
            ExecResult r = Commands.run(List.of("ip", "netns", "del", ns.name()));
            if (!r.ok()) {
                problems.add(r.toString());
            }
        }
        namespaces.clear();
        if (!problems.isEmpty()) {
            System.err.println("lab " + prefix + ": cleanup problems: " + problems);
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }
}
