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

    /** The files of {@code kubernetes.manifests}, resolved beside the topology file, in order. */
    public static List<Path> files(Topology t) {
        if (t.kubernetes() == null) {
            return List.of();
        }
        return t.kubernetes().manifests().stream().map(m -> t.source().resolveSibling(m)).toList();
    }

    /** The objects of one manifest file ({@code ---} separates documents), in order; empty documents skipped. */
    public static List<KubeObject> read(Path file) {
        List<KubeObject> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
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

    /** Every object of every manifest of {@code t}, in the order kubectl apply would send them. */
    public static List<KubeObject> objects(Topology t) {
        return files(t).stream().flatMap(f -> read(f).stream()).toList();
    }
}
