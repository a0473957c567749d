package dev.loxiharness.harness.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code up} would make of a topology, said before anything is made ({@code ./topology plan}):
 * titled sections of lines, in order. A backend adds what is its own (the netns backend its
 * namespaces and processes, kind its rendered kubeadm and Calico settings), so this type knows no
 * backend; a line may hold several lines of text (a rendered file), indented as one block.
 */
public final class Plan {
    /** One titled part of the plan, e.g. "networks" or "kubeadm". */
    public record Section(String title, List<String> lines) {
        public Section {
            lines = List.copyOf(lines);
        }
    }

    private final List<Section> sections = new ArrayList<>();

    /** Adds a section at the end; returns this plan. */
    public Plan add(String title, List<String> lines) {
        sections.add(new Section(title, lines));
        return this;
    }

    public List<Section> sections() {
        return List.copyOf(sections);
    }

    /** The section titled {@code title}, if the plan has one. */
    public Optional<Section> section(String title) {
        return sections.stream().filter(s -> s.title().equals(title)).findFirst();
    }

    /** The plan as text: each title on a line of its own, its lines indented below it, a blank line between sections. */
    public String render() {
        StringBuilder s = new StringBuilder();
        for (Section section : sections) {
            if (s.length() > 0) {
                s.append('\n');
            }
            s.append(section.title()).append(":\n");
            for (String line : section.lines()) {
                line.lines().forEach(l -> s.append("  ").append(l).append('\n'));
            }
        }
        return s.toString();
    }
}
