package dev.loxiharness.harness.model;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a YAML document starts, by path ({@code nodes.node1.interfaces[0].network}),
 * so an error found on the parsed tree can name the file's line.
 */
final class LineIndex {
    private final Map<String, Integer> lines = new HashMap<>();

    LineIndex(String yaml) {
        try (YAMLParser p = new YAMLFactory().createParser(yaml)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Integer> index = new ArrayDeque<>();
            String pending = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentTokenLocation().getLineNr();
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        lines.putIfAbsent(join(path, pending), line);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String here = element(path, index, pending);
                        lines.putIfAbsent(here, line);
                        path.push(here);
                        index.push(t == JsonToken.START_ARRAY ? 0 : -1);
                        pending = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        path.pop();
                        index.pop();
                        if (!index.isEmpty() && index.peek() >= 0) {
                            index.push(index.pop() + 1);
                        }
                    }
                    default -> {
                        lines.putIfAbsent(element(path, index, pending), line);
                        if (!index.isEmpty() && index.peek() >= 0) {
                            index.push(index.pop() + 1);
                        }
                        pending = null;
                    }
                }
            }
        } catch (IOException e) {
            // a document that does not parse has no lines to index; the parse error itself has one
        }
    }

    private static String element(Deque<String> path, Deque<Integer> index, String field) {
        String parent = path.isEmpty() ? "" : path.peek();
        if (!index.isEmpty() && index.peek() >= 0) {
            return parent + "[" + index.peek() + "]";
        }
        return field == null ? parent : join(path, field);
    }

    private static String join(Deque<String> path, String field) {
        String parent = path.isEmpty() ? "" : path.peek();
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** The line of {@code path} or of its nearest ancestor that is in the file; 1 if none. */
    int lineOf(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 1;
    }
}
