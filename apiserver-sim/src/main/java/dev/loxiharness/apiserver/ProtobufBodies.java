package dev.loxiharness.apiserver;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * kubectl's imperative generators ({@code kubectl create namespace|configmap|secret|serviceaccount})
 * send protobuf, not JSON, and client-go never falls back. This decodes the Kubernetes protobuf
 * envelope and, for those four kinds only, the fields they carry (numbers from the API's
 * generated.proto). Other kinds get 415 with a hint to use a manifest.
 */
final class ProtobufBodies {
    private enum Type { STRING, BYTES, INT, BOOL, MESSAGE, STRING_MAP, BYTES_MAP, STRINGS }

    private record Field(String name, Type type, Map<Integer, Field> message) {
        static Field of(String name, Type type) {
            return new Field(name, type, null);
        }
    }

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final Field METADATA = new Field("metadata", Type.MESSAGE, Map.of(
            1, Field.of("name", Type.STRING), 2, Field.of("generateName", Type.STRING),
            3, Field.of("namespace", Type.STRING), 11, Field.of("labels", Type.STRING_MAP),
            12, Field.of("annotations", Type.STRING_MAP), 14, Field.of("finalizers", Type.STRINGS)));
    private static final Map<String, Map<Integer, Field>> KINDS = Map.of(
            "Namespace", Map.of(1, METADATA,
                    2, new Field("spec", Type.MESSAGE, Map.of(1, Field.of("finalizers", Type.STRINGS)))),
            "ConfigMap", Map.of(1, METADATA, 2, Field.of("data", Type.STRING_MAP),
                    3, Field.of("binaryData", Type.BYTES_MAP), 4, Field.of("immutable", Type.BOOL)),
            "Secret", Map.of(1, METADATA, 2, Field.of("data", Type.BYTES_MAP), 3, Field.of("type", Type.STRING),
                    4, Field.of("stringData", Type.STRING_MAP), 5, Field.of("immutable", Type.BOOL)),
            "ServiceAccount", Map.of(1, METADATA, 4, Field.of("automountServiceAccountToken", Type.BOOL)));

    private ProtobufBodies() {
    }

    static ObjectNode decode(byte[] body) {
        if (body.length < 4 || !Arrays.equals(Arrays.copyOf(body, 4), MAGIC)) {
            throw ApiException.badRequest("a protobuf body must start with the Kubernetes envelope");
        }
        Reader envelope = new Reader(body, 4, body.length);
        ObjectNode typeMeta = Json.object();
        byte[] raw = new byte[0];
        while (envelope.more()) {
            int tag = (int) envelope.varint();
            if (tag >>> 3 == 1) {
                typeMeta = message(envelope.bytes(),
                        Map.of(1, Field.of("apiVersion", Type.STRING), 2, Field.of("kind", Type.STRING)));
            } else if (tag >>> 3 == 2) {
                raw = envelope.bytes();
            } else {
                envelope.skip(tag);
            }
        }
        Map<Integer, Field> fields = KINDS.get(Json.text(typeMeta, "kind"));
        if (fields == null) {
            throw ApiException.unsupportedMediaType("the simulated API server reads protobuf bodies for Namespace, "
                    + "ConfigMap, Secret and ServiceAccount only, not for " + Json.text(typeMeta, "kind")
                    + ": create it from a manifest (kubectl create -f or apply -f), which is sent as JSON");
        }
        ObjectNode object = Json.object().put("apiVersion", Json.text(typeMeta, "apiVersion"))
                .put("kind", Json.text(typeMeta, "kind"));
        object.setAll(message(raw, fields));
        return object;
    }

    private static ObjectNode message(byte[] bytes, Map<Integer, Field> fields) {
        ObjectNode object = Json.object();
        Reader in = new Reader(bytes, 0, bytes.length);
        while (in.more()) {
            int tag = (int) in.varint();
            Field field = fields.get(tag >>> 3);
            if (field == null) {
                in.skip(tag);
                continue;
            }
            switch (field.type()) {
                case STRING -> object.put(field.name(), in.string());
                case BYTES -> object.put(field.name(), Base64.getEncoder().encodeToString(in.bytes()));
                case INT -> object.put(field.name(), in.varint());
                case BOOL -> object.put(field.name(), in.varint() != 0);
                case MESSAGE -> object.set(field.name(), message(in.bytes(), field.message()));
                case STRINGS -> (object.get(field.name()) instanceof ArrayNode a ? a : object.putArray(field.name()))
                        .add(in.string());
                case STRING_MAP, BYTES_MAP -> {
                    Reader entry = new Reader(in.bytes());
                    String key = "";
                    String value = "";
                    while (entry.more()) {
                        int entryTag = (int) entry.varint();
                        if (entryTag >>> 3 == 1) {
                            key = entry.string();
                        } else if (entryTag >>> 3 == 2) {
                            byte[] data = entry.bytes();
                            value = field.type() == Type.BYTES_MAP ? Base64.getEncoder().encodeToString(data)
                                    : new String(data, StandardCharsets.UTF_8);
                        } else {
                            entry.skip(entryTag);
                        }
                    }
                    Json.child(object, field.name()).put(key, value);
                }
                default -> throw new IllegalStateException(field.type().name());
            }
        }
        return object;
    }

    /** The protobuf wire format: varints and length-delimited fields are all these messages use. */
    private static final class Reader {
        private final byte[] data;
        private int position;
        private final int end;

        Reader(byte[] data) {
            this(data, 0, data.length);
        }

        Reader(byte[] data, int start, int end) {
            this.data = data;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw ApiException.badRequest("truncated protobuf body");
                }
                byte b = data[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw ApiException.badRequest("malformed protobuf varint");
        }

        byte[] bytes() {
            int length = (int) varint();
            if (length < 0 || position + length > end) {
                throw ApiException.badRequest("truncated protobuf body");
            }
            byte[] value = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return value;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> bytes();
                case 5 -> position += 4;
                default -> throw ApiException.badRequest("unsupported protobuf wire type " + (tag & 7));
            }
        }
    }
}
