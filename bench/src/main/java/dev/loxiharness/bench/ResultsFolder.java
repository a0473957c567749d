package dev.loxiharness.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** {@code bench/results/}: the JSON of every run, {@code <name>-<yyyyMMdd-HHmmss>.json}, and its page beside it. */
record ResultsFolder(Path dir) {
    private static final Pattern RUN_FILE = Pattern.compile("([a-z][a-z0-9]*)-(\\d{8}-\\d{6})\\.json");

    /** Every run of {@code bench} in the folder, oldest first. */
    List<Run> runs(String bench) {
        return files().filter(f -> bench.equals(match(f).group(1)))
                .sorted(Comparator.comparing(f -> match(f).group(2)))
                .map(Run::read)
                .toList();
    }

    /** The runs of the same benchmark before {@code run}, oldest first. */
    List<Run> earlier(Run run) {
        return runs(run.bench()).stream().filter(r -> r.timestamp().compareTo(run.timestamp()) < 0).toList();
    }

    Optional<Run> newest(String bench) {
        List<Run> all = runs(bench);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The benchmarks that have at least one run here, by name. */
    TreeSet<String> benches() {
        TreeSet<String> names = new TreeSet<>();
        files().forEach(f -> names.add(match(f).group(1)));
        return names;
    }

    /** The page of a run: its JSON's name with {@code .html}. */
    static Path pageOf(Run run) {
        String name = run.file().getFileName().toString();
        return run.file().resolveSibling(name.substring(0, name.length() - ".json".length()) + ".html");
    }

    private Stream<Path> files() {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> RUN_FILE.matcher(f.getFileName().toString()).matches()).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Matcher match(Path file) {
        Matcher m = RUN_FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file.toString());
        }
        return m;
    }
}
