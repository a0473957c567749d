package dev.loxiharness.apiserver;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors of list and watch requests, evaluated by the front end (the store keys
 * objects by namespace and name only; kubelets select pods
 * by {@code spec.nodeName}, describe selects events by {@code involvedObject.*}). Field selectors
 * accept any dotted path into the object.
 */
final class Selector implements Predicate<JsonNode> {
    static final Selector EVERYTHING = new Selector(List.of());
    private final List<Predicate<JsonNode>> terms;

    private Selector(List<Predicate<JsonNode>> terms) {
        this.terms = terms;
    }

    static Selector parse(String labelSelector, String fieldSelector) {
        List<Predicate<JsonNode>> terms = new ArrayList<>();
        for (String term : split(labelSelector)) {
            terms.add(labelTerm(term));
        }
        for (String term : split(fieldSelector)) {
            terms.add(fieldTerm(term));
        }
        return terms.isEmpty() ? EVERYTHING : new Selector(terms);
    }

    @Override
    public boolean test(JsonNode object) {
        for (Predicate<JsonNode> term : terms) {
            if (!term.test(object)) {
                return false;
            }
        }
        return true;
    }

    boolean selectsEverything() {
        return terms.isEmpty();
    }

    /** Splits on commas outside parentheses, so {@code env in (a,b),tier} is two terms. */
    private static List<String> split(String selector) {
        List<String> terms = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return terms;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i).trim());
                start = i + 1;
            }
        }
        terms.add(selector.substring(start).trim());
        terms.removeIf(String::isEmpty);
        return terms;
    }

    private static Predicate<JsonNode> labelTerm(String term) {
        String[] words = term.split("\\s+", 3);
        if (words.length == 3 && (words[1].equals("in") || words[1].equals("notin"))) {
            Set<String> values = Set.of(words[2].replaceAll("[()\\s]", "").split(","));
            boolean in = words[1].equals("in");
            return o -> {
                String value = label(o, words[0]);
                return in ? value != null && values.contains(value) : value == null || !values.contains(value);
            };
        }
        String[] comparison = comparison(term);
        if (comparison != null) {
            boolean equal = comparison[1].equals("=");
            return o -> equal == comparison[2].equals(label(o, comparison[0]));
        }
        if (term.startsWith("!")) {
            return o -> label(o, term.substring(1).trim()) == null;
        }
        return o -> label(o, term) != null;
    }

    private static Predicate<JsonNode> fieldTerm(String term) {
        String[] comparison = comparison(term);
        if (comparison == null) {
            throw ApiException.badRequest("invalid field selector: " + term);
        }
        String[] path = comparison[0].split("\\.");
        boolean equal = comparison[1].equals("=");
        return o -> {
            String value = Json.text(o, path);
            return equal == comparison[2].equals(value == null ? "" : value);
        };
    }

    /** {@code key=value}, {@code key==value} or {@code key!=value} as {key, "=" or "!", value}; else null. */
    private static String[] comparison(String term) {
        int notEqual = term.indexOf("!=");
        if (notEqual > 0) {
            return new String[] {term.substring(0, notEqual).trim(), "!", term.substring(notEqual + 2).trim()};
        }
        int equal = term.indexOf('=');
        if (equal > 0) {
            String value = term.substring(term.startsWith("=", equal + 1) ? equal + 2 : equal + 1);
            return new String[] {term.substring(0, equal).trim(), "=", value.trim()};
        }
        return null;
    }

    private static String label(JsonNode object, String key) {
        JsonNode value = object.path("metadata").path("labels").get(key);
        return value == null || value.isNull() ? null : value.asString();
    }
}
