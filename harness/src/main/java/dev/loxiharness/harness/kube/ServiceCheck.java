package dev.loxiharness.harness.kube;

import dev.loxiharness.harness.check.CheckResult;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.netns.ExecResult;

/** The seed's {@code kubectl get svc} evidence: the Service's row, EXTERNAL-IP and PORT(S) columns. */
public final class ServiceCheck {
    private ServiceCheck() {
    }

    public static CheckResult run(Kubectl kubectl, Topology.Check c) {
        String[] ns = c.service().split("/");
        ExecResult r = kubectl.run("get", "svc", ns[1], "-n", ns[0]);
        String row = r.stdout().lines().filter(l -> l.startsWith(ns[1] + " ")).findFirst().orElse("");
        String[] cols = row.trim().split("\\s+");
        boolean ok = cols.length >= 5
                && (c.externalIp() == null || cols[3].equals(c.externalIp()))
                && (c.ports() == null || cols[4].startsWith(c.ports()));
        return new CheckResult(c.name(), ok, "kubectl get svc " + ns[1] + " -n " + ns[0] + ":\n"
                + (r.stdout().isBlank() ? r.stderr() : r.stdout()));
    }
}
