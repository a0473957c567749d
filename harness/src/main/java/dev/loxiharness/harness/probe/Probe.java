package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the probes share: run a command in a node, fail with its stderr when it fails, read JSON.
 * Each technology has its queries in a class of its own ({@link Gobgp}, {@link Birdc}, {@link Ip},
 * {@link Nft}, {@link Curl}, {@link Loxicmd}, {@link LoxilbApi}, {@link KubectlGet}) and its parsed records beside them.
 */
public final class Probe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Probe() {
    }

    /** Runs {@code cmd} in {@code node}; throws {@link ProbeException} with the command and stderr when it fails. */
    public static ExecResult run(Node node, List<String> cmd) {
        ExecResult r = node.exec(Node.DEFAULT_TIMEOUT, null, cmd);
        if (!r.ok()) {
            throw new ProbeException(node.name() + ": " + r, r);
        }
        return r;
    }

    static List<String> cmd(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }

    /** JSON text; an empty text reads as {@code empty}. */
    public static JsonNode json(String text, String empty) {
        try {
            return JSON.readTree(text.isBlank() ? empty : text);
        } catch (JsonProcessingException e) {
            throw new ProbeException("not JSON: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text), e);
        }
    }
}
