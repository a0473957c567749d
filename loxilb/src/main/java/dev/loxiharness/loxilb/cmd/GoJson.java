package dev.loxiharness.loxilb.cmd;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON byte for byte as Go's {@code encoding/json} does for loxicmd's structs: keys in the
 * order given (struct field order), {@code json.Marshal} compact form, {@code json.MarshalIndent(v,
 * "", "    ")} indented form with {@code []}/{@code {}} for empty containers, and Go's HTML-safe
 * string escaping ({@code <}, {@code >}, {@code &} as {@code \u003c}...).
 *
 * <p>Values are {@code null}, {@link Boolean}, {@link Number}, {@link CharSequence}, {@link Map}
 * with string keys (ordered), {@link List}, and records (written as Go writes a struct: an object of
 * their components, named as they are, in declaration order).
 */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    static String compact(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, null, 0);
        return sb.toString();
    }

    static String indented(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "    ", 0);
        return sb.toString();
    }

    /** A record's components by name, in declaration order: Go's encoding/json writes a struct's fields so. */
    private static Map<String, Object> fields(Record r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                fields.put(c.getName(), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c + " of " + r.getClass(), e);
            }
        }
        return fields;
    }

    private static void write(StringBuilder sb, Object v, String indent, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Number) {
            sb.append(v);
        } else if (v instanceof CharSequence s) {
            string(sb, s);
        } else if (v instanceof Record r) {
            write(sb, fields(r), indent, depth);
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                string(sb, (String) e.getKey());
                sb.append(indent == null ? ":" : ": ");
                write(sb, e.getValue(), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                newline(sb, indent, depth + 1);
                write(sb, list.get(i), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(depth));
        }
    }

    private static void string(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
