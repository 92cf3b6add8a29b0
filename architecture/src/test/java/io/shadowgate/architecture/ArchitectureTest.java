package io.shadowgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package structure of docs/architecture.md, checked on the compiled main classes of every module:
 * no package cycles anywhere, and only the dependencies between modules that the architecture allows. A violation
 * fails the build with the offending classes and lines.
 *
 * <p>Rules name classes and packages by string, never by class literal, so moving a class makes a rule stale (and
 * visible in review) rather than breaking this module's compilation.
 */
class ArchitectureTest {

    /** Every module's root package: each must contribute classes, or the rules below would pass vacuously. */
    private static final List<String> MODULES = List.of("testkit", "config", "control", "compare", "proxy", "telemetry",
            "admin", "cli", "benchmarks");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.shadowgate");
    }

    @Test
    void everyModuleIsOnTheClasspath() {
        for (String module : MODULES) {
            assertThat(main.stream().anyMatch(c -> c.getPackageName().startsWith("io.shadowgate." + module)))
                    .as("main classes of module %s (add it to architecture/pom.xml)", module).isTrue();
        }
        assertThat(main.stream().noneMatch(c -> c.getPackageName().startsWith("io.shadowgate.architecture")))
                .as("this module's own tests are not part of the architecture").isTrue();
    }

    // ------------------------------------------------------------------ package cycles

    /** No package of any module depends on itself through other packages. Each package is one slice. */
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.shadowgate.(**)").should().beFreeOfCycles();

    @Test
    void noPackageCycles() {
        NO_PACKAGE_CYCLES.check(main);
    }

    /** The cycle rule can fail: two fixture packages of this module's tests that depend on each other. */
    @Test
    void theCycleRuleFindsACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.shadowgate.architecture.fixture.a",
                "io.shadowgate.architecture.fixture.b");
        assertThat(fixture).hasSize(2);
        assertThatThrownBy(() -> NO_PACKAGE_CYCLES.check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("architecture.fixture.a")
                .hasMessageContaining("architecture.fixture.b");
    }

    // ------------------------------------------------------------------ module dependencies

    /**
     * Who may use whom, module by module (docs/architecture.md): config and compare are leaves; the proxy sees only
     * config; telemetry and admin sit on the proxy; the CLI wires everything; benchmarks drive the CLI's gateway.
     * Test code is not checked (tests may use testkit anywhere).
     *
     * <p>{@code control} (the config controller: sources, check, compile, publish) sits on config only and is used by
     * admin and the CLI. {@code kubernetes} (a config source) is being built on another branch; its layer is optional
     * until it is merged and added to this module's pom and to {@link #MODULES}: it sits on config (and control's
     * sources' SPI) only, and is used by the CLI.
     */
    static final ArchRule MODULE_DEPENDENCIES = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("testkit").definedBy("io.shadowgate.testkit..")
            .layer("config").definedBy("io.shadowgate.config..")
            .layer("control").definedBy("io.shadowgate.control..")
            .optionalLayer("kubernetes").definedBy("io.shadowgate.kubernetes..")
            .layer("compare").definedBy("io.shadowgate.compare..")
            .layer("proxy").definedBy("io.shadowgate.proxy..")
            .layer("telemetry").definedBy("io.shadowgate.telemetry..")
            .layer("admin").definedBy("io.shadowgate.admin..")
            .layer("cli").definedBy("io.shadowgate.cli..")
            .layer("benchmarks").definedBy("io.shadowgate.benchmarks..")
            .whereLayer("config").mayOnlyBeAccessedByLayers("control", "kubernetes", "proxy", "telemetry", "admin",
                    "cli", "benchmarks")
            .whereLayer("control").mayOnlyBeAccessedByLayers("admin", "cli", "benchmarks")
            .whereLayer("kubernetes").mayOnlyBeAccessedByLayers("cli", "benchmarks")
            .whereLayer("compare").mayOnlyBeAccessedByLayers("cli", "benchmarks")
            .whereLayer("proxy").mayOnlyBeAccessedByLayers("telemetry", "admin", "cli", "benchmarks")
            // admin declares telemetry in its pom but uses it only in tests: main code must not start to.
            .whereLayer("telemetry").mayOnlyBeAccessedByLayers("cli", "benchmarks")
            .whereLayer("admin").mayOnlyBeAccessedByLayers("cli", "benchmarks")
            .whereLayer("cli").mayOnlyBeAccessedByLayers("benchmarks")
            .whereLayer("benchmarks").mayNotBeAccessedByAnyLayer()
            // The demo's built-in backends (testkit.demo) are the one main-code use of testkit, until the demo has a
            // module of its own.
            .whereLayer("testkit").mayOnlyBeAccessedByLayers("cli");

    @Test
    void modulesDependOnlyAsTheArchitectureAllows() {
        MODULE_DEPENDENCIES.check(main);
    }

    @Test
    void configAndCompareHaveNoNetty() {
        noNettyIn("io.shadowgate.config..", "io.shadowgate.compare..").check(main);
    }

    /** The no-Netty rule can fail: a fixture class of this module's tests that takes a {@code ByteBuf}. */
    @Test
    void theNoNettyRuleFindsNetty() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.shadowgate.architecture.fixture.netty");
        assertThat(fixture).hasSize(1);
        assertThatThrownBy(() -> noNettyIn("io.shadowgate.architecture.fixture..").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("io.netty.buffer.ByteBuf");
    }

    private static ArchRule noNettyIn(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .because("the routing decision, validation and comparison run without sockets (explain, tests, "
                        + "benchmarks, the dashboard)");
    }

    @Test
    void configInternalIsUsedOnlyInsideConfig() {
        noClasses().that().resideOutsideOfPackage("io.shadowgate.config..")
                .should().dependOnClassesThat().resideInAPackage("io.shadowgate.config.internal..")
                .because("config.internal may change at any time")
                .check(main);
    }

    @Test
    void adminAndTelemetryDoNotReachIntoTheDataPath() {
        noClasses().that().resideInAnyPackage("io.shadowgate.admin..", "io.shadowgate.telemetry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.shadowgate.proxy.server..")
                .because("the per-request machinery (Exchange, handlers) is the proxy's own; admin and telemetry "
                        + "read the proxy through ProxyServer, the observer SPI and the cluster views")
                .check(main);
    }

    private static DescribedPredicate<JavaClass> inPackages(String... packages) {
        return JavaClass.Predicates.resideInAnyPackage(packages);
    }

    /** The class named {@code name} and its nested classes. */
    private static DescribedPredicate<JavaClass> named(String name) {
        return DescribedPredicate.describe(name, c -> c.getName().equals(name) || c.getName().startsWith(name + "$"));
    }
}
