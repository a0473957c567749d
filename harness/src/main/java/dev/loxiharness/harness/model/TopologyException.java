package dev.loxiharness.harness.model;

import java.util.List;

/** A topology file that cannot be used; each problem names the file, the line and the field. */
public class TopologyException extends RuntimeException {
    private final transient List<String> problems;

    public TopologyException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
