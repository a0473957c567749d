package dev.loxiharness.harness;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The harness's layers: no cycles between its packages, and nothing above the backend seam knows
 * how a backend makes its nodes (the checks, probes, evidence, roles, the simulated Kubernetes and the
 * CLI talk to {@code backend.Node} and {@code backend.RunningTopology}, never to namespaces).
 */
@AnalyzeClasses(packages = "dev.loxiharness.harness", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.loxiharness.harness.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule onlyTheNetnsBackendKnowsNamespaces = noClasses()
            .that().resideInAnyPackage("..harness.backend..", "..harness.check..", "..harness.probe..", "..harness.evidence..",
                    "..harness.roles..", "..harness.cli..", "..harness.model..", "..harness.state..", "..harness.graph..")
            .should().dependOnClassesThat().resideInAnyPackage("..harness.netns..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.loxiharness.netns.Netns");

    @ArchTest
    static final ArchRule backendsAreFoundByNameNotByType = noClasses()
            .that().resideOutsideOfPackage("..harness.netns..")
            .should().dependOnClassesThat().resideInAnyPackage("..harness.netns..");
}
