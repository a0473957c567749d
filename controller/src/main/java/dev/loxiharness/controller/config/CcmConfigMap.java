package dev.loxiharness.controller.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads loxi-ccm's ConfigMap onto {@link Settings}. Two layouts are understood:
 * <ul>
 *   <li>the flat keys of loxi-ccm's {@code loxilb-config} (the seed's era): {@code apiServerURL}
 *       (one or more URLs, comma-separated or as a YAML list), {@code externalCIDR},
 *       {@code setBGP} ("true"/"false"), {@code setLBMode} (0, 1, 2), and {@code setExclIPAM} or
 *       {@code setUniqueIP} for one address per Service;</li>
 *   <li>today's loxi-ccm, whose single key {@code loxiccmConfigs} holds the same keys as YAML.</li>
 * </ul>
 * Keys that are absent keep the value given by the command line.
 */
public final class CcmConfigMap {
    static final String YAML_KEY = "loxiccmConfigs";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private CcmConfigMap() {
    }

    public static Settings apply(Settings base, Map<String, String> data) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((k, v) -> {
                if (v != null) {
                    flat.put(k, v);
                }
            });
        }
        String yaml = flat.remove(YAML_KEY);
        if (yaml != null) {
            JsonNode root = YAML.readTree(yaml);
            if (root != null && root.isObject()) {
                for (Map.Entry<String, JsonNode> e : root.properties()) {
                    JsonNode v = e.getValue();
                    if (v.isArray()) {
                        List<String> items = new ArrayList<>();
                        v.forEach(item -> items.add(item.asString("")));
                        flat.putIfAbsent(e.getKey(), String.join(",", items));
                    } else if (!v.isNull()) {
                        flat.putIfAbsent(e.getKey(), v.asString(""));
                    }
                }
            }
        }
        Settings s = base;
        if (flat.containsKey("apiServerURL")) {
            s = s.withLoxiUrls(urls(flat.get("apiServerURL")));
        }
        if (flat.containsKey("externalCIDR") && !flat.get("externalCIDR").isBlank()) {
            Map<String, String> pools = new LinkedHashMap<>();
            pools.put(Settings.DEFAULT_POOL, unquote(flat.get("externalCIDR")));
            s.pools().forEach(pools::putIfAbsent);
            s = s.withPools(pools);
        }
        if (flat.containsKey("setBGP")) {
            s = s.withSetBgp(Settings.parseBgp(unquote(flat.get("setBGP"))));
        }
        if (flat.containsKey("setLBMode")) {
            String v = unquote(flat.get("setLBMode"));
            try {
                s = s.withLbMode(v.isEmpty() ? 0 : Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setLBMode must be a number (0 default, 1 onearm, 2 fullnat), not '" + v + "'");
            }
        }
        for (String key : List.of("setExclIPAM", "setUniqueIP")) {
            if (flat.containsKey(key)) {
                s = s.withUniqueIp(Settings.parseBgp(unquote(flat.get(key))));
            }
        }
        return s;
    }

    /** URLs from "a,b", "a b" or a YAML list pasted as text ("- a\n- b", "[a, b]"). */
    static List<String> urls(String value) {
        List<String> out = new ArrayList<>();
        for (String token : value.split("[\\s,\\[\\]]+")) {
            String t = unquote(token);
            if (t.startsWith("-")) {
                t = unquote(t.substring(1));
            }
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private static String unquote(String v) {
        String t = v == null ? "" : v.trim();
        while (t.length() >= 1 && (t.startsWith("\"") || t.startsWith("'"))) {
            t = t.substring(1);
        }
        while (t.length() >= 1 && (t.endsWith("\"") || t.endsWith("'"))) {
            t = t.substring(0, t.length() - 1);
        }
        return t.trim();
    }
}
