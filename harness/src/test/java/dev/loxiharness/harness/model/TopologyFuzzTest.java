package dev.loxiharness.harness.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.harness.state.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Broken topology files (the seed's, mutated: lines dropped, doubled, swapped, re-indented, cut,
 * values replaced by junk; and plain garbage) either still load or are refused with a
 * {@link TopologyException} whose every problem starts {@code file:line:}, never with another
 * exception or a stack trace; and loading, refused or not, writes no state folder.
 */
class TopologyFuzzTest {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", ".."));
    static List<String> seed;
    static Path dir;
    static List<String> stateBefore;

    @BeforeContainer
    static void readSeed() throws IOException {
        seed = Files.readAllLines(HOME.resolve("topologies/seed.yaml"));
        dir = Files.createTempDirectory("topology-fuzz");
        stateBefore = stateEntries();
    }

    @AfterContainer
    static void nothingWasCreated() throws IOException {
        assertThat(stateEntries()).as("state folder " + StateDir.ROOT).isEqualTo(stateBefore);
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dir);
    }

    private static List<String> stateEntries() throws IOException {
        if (!Files.isDirectory(StateDir.ROOT)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(StateDir.ROOT)) {
            return s.map(Path::toString).sorted().toList();
        }
    }

    @Provide
    Arbitrary<String> brokenTopologies() {
        Arbitrary<Integer> line = Arbitraries.integers().between(0, seed.size() - 1);
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.of("", ":", "- ", "{", "[", "]", "\"", "'", "&a", "*a",
                "!!binary x", "? ", "\t", "%YAML 9.9", "---", "...", "|", ">", "~", "0x", "1e999", "-1", "999999999999",
                "300.1.1.1/33", "null", "<<: *x", "\u0000", "\uFFFF", "é"), Arbitraries.strings().ofMaxLength(12));
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.integers().between(0, 8), line, line, junk)
                .as((how, a, b, j) -> mutate(how, a, b, j));
        Arbitrary<String> twice = mutated.map(t -> mutate(Math.abs(t.hashCode()) % 9, t.length() % seed.size(),
                (t.length() * 7) % seed.size(), "x: y"));
        return Arbitraries.frequencyOf(Tuple.of(6, mutated), Tuple.of(2, twice),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(300)),
                Tuple.of(1, Arbitraries.strings().withChars("{}[]:-,'\"\n #&*!|>").ofMaxLength(200)));
    }

    private static String mutate(int how, int a, int b, String junk) {
        List<String> l = new ArrayList<>(seed);
        switch (how) {
            case 0 -> l.remove(a);
            case 1 -> l.add(a, l.get(a));
            case 2 -> {
                String x = l.get(a);
                l.set(a, l.get(b));
                l.set(b, x);
            }
            case 3 -> l.set(a, "  " + l.get(a));
            case 4 -> l.set(a, l.get(a).stripLeading());
            case 5 -> l.subList(a, l.size()).clear();
            case 6 -> l.set(a, l.get(a).contains(":") ? l.get(a).substring(0, l.get(a).indexOf(':') + 1) + " " + junk : junk);
            case 7 -> l.add(a, junk);
            default -> {
                String s = l.get(a);
                int at = s.isEmpty() ? 0 : b % s.length();
                l.set(a, s.substring(0, at) + junk + s.substring(at));
            }
        }
        return String.join("\n", l) + "\n";
    }

    @Property(tries = 500)
    void aBrokenFileIsRefusedWithLineNumberedProblemsOnly(@ForAll("brokenTopologies") String text) throws IOException {
        Path file = Files.writeString(dir.resolve("fuzzed.yaml"), text, StandardCharsets.UTF_8);
        try {
            TopologyLoader.load(file);
        } catch (TopologyException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p).as("problem of%n%s", text).matches("(?s)fuzzed\\.yaml:\\d+: .+");
                assertThat(p).doesNotContain("\tat ", "Exception", "jackson", "networknt");
            });
        } catch (RuntimeException e) {
            throw new AssertionError("a " + e.getClass().getName() + " instead of a TopologyException for:\n" + text
                    + "\n" + Arrays.toString(e.getStackTrace()).substring(0, 500), e);
        }
    }
}
