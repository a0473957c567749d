package dev.loxiharness.harness.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of a topology's manifests, read without a cluster: what {@code ./topology
 * plan} says will be applied, and where it finds the BGPPeers that calico-node will peer with.
 */
public final class Manifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One object of a manifest file. */
    public record KubeObject(Path file, String kind, String namespace, String name, JsonNode tree) {
        /** {@code Kind namespace/name} ({@code Kind name} for cluster-scoped kinds that say no namespace). */
        public String describe() {
            return kind + " " + (namespace != null ? namespace + "/" : "") + name;
        }
    }

    private Manifests() {
    }

    /** The entries of {@code kubernetes.manifests}, in order. */
    public static List<Topology.Manifest> entries(Topology t) {
        return t.kubernetes() == null ? List.of() : t.kubernetes().manifests();
    }

    /** Where an entry's file is: beside the topology file (in the working folder for a topology read from no file). */
    public static Path file(Topology t, Topology.Manifest m) {
        return t.source() == null ? Path.of(m.file()) : t.source().resolveSibling(m.file());
    }

    /**
     * What kubectl applies for an entry: the file as it is, or for {@code copies: N} its documents N
     * times, {@code ${i}} replaced by 1..N in each copy.
     */
    public static String text(Topology t, Topology.Manifest m) {
        String text;
        try {
            text = Files.readString(file(t, m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(t, m) + ": " + e.getMessage(), e);
        }
        return m.copied() ? expand(text, m.count()) : text;
    }

    /** {@code text}'s documents {@code copies} times, {@code ${i}} replaced by the copy's number (1..copies). */
    public static String expand(String text, int copies) {
        String body = text.endsWith("\n") ? text : text + "\n";
        StringBuilder out = new StringBuilder(body.length() * copies + 8 * copies);
        for (int i = 1; i <= copies; i++) {
            out.append("---\n").append(body.replace(Topology.Manifest.INDEX, Integer.toString(i)));
        }
        return out.toString();
    }

    /** The objects of one entry, copies expanded, in order. */
    public static List<KubeObject> read(Topology t, Topology.Manifest m) {
        return parse(file(t, m), text(t, m));
    }

    /** The objects of one manifest file as it is ({@code ---} separates documents), in order; empty documents skipped. */
    public static List<KubeObject> read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<KubeObject> parse(Path file, String text) {
        List<KubeObject> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (docs.hasNext()) {
                JsonNode d = docs.next();
                if (d == null || !d.isObject() || d.isEmpty()) {
                    continue;
                }
                JsonNode meta = d.path("metadata");
                String ns = meta.path("namespace").isTextual() ? meta.path("namespace").asText() : null;
                boolean namespaced = !d.path("apiVersion").asText().startsWith("projectcalico.org/");
                out.add(new KubeObject(file, d.path("kind").asText(), ns == null && namespaced ? "default" : ns, meta.path("name").asText(), d));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** A part of an object as plain maps and lists, as a Kubernetes client gives a generic resource's fields. */
    public static Map<String, Object> toMap(JsonNode node) {
        return node.isObject() ? YAML.convertValue(node, new TypeReference<Map<String, Object>>() { }) : Map.of();
    }

    /** Every object of every manifest of {@code t}, copies expanded, in the order kubectl apply would send them. */
    public static List<KubeObject> objects(Topology t) {
        return entries(t).stream().flatMap(m -> read(t, m).stream()).toList();
    }
}
