package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Kubectl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** kubectl get, as text (the seed's evidence) and as JSON. */
public final class KubectlGet {
    private KubectlGet() {
    }

    /** One row of {@code kubectl get svc NAME -n NS}: the columns the seed shows. */
    public record ServiceRow(String name, String type, String clusterIp, String externalIp, String ports) {
        static Optional<ServiceRow> parse(String table, String name) {
            return table.lines().filter(l -> l.startsWith(name + " ")).findFirst().map(l -> l.trim().split("\\s+"))
                    .filter(c -> c.length >= 5).map(c -> new ServiceRow(c[0], c[1], c[2], c[3], c[4]));
        }
    }

    /** {@code kubectl get svc NAME -n NS}: the whole table as printed, and its row. */
    public record ServiceTable(String printed, Optional<ServiceRow> row) {
    }

    public static ServiceTable service(Kubectl kubectl, String namespace, String name) {
        ExecResult r = kubectl.run("get", "svc", name, "-n", namespace);
        return new ServiceTable(r.stdout().isBlank() ? r.stderr() : r.stdout(), ServiceRow.parse(r.stdout(), name));
    }

    /** {@code kubectl ARGS -o json}, parsed; fails with kubectl's error when it fails. */
    public static JsonNode json(Kubectl kubectl, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("-o", "json"));
        ExecResult r = kubectl.run(Kubectl.TIMEOUT, all);
        if (!r.ok()) {
            throw new ProbeException(r.toString(), r);
        }
        return Probe.json(r.stdout(), "{}");
    }
}
