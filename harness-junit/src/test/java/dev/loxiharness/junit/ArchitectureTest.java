package dev.loxiharness.junit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The extension runs a scenario on any backend: it speaks the harness's backend seam only. */
@AnalyzeClasses(packages = "dev.loxiharness.junit", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.loxiharness.junit.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noBackendTypes = noClasses().should().dependOnClassesThat().resideInAnyPackage("..harness.netns..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.loxiharness.netns.Netns");
}
