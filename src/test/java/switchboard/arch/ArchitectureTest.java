package switchboard.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layout, enforced (rules in {@code switchboard.arch.HouseRules}). Each rule must hold for the product and must
 * fail on {@code archfixture}, a small house that breaks it on purpose — naming the class that breaks it — so a rule
 * that silently stopped checking anything would fail here too.
 */
class ArchitectureTest {
    private static JavaClasses product;
    private static JavaClasses brokenHouse;

    @BeforeAll
    static void importClasses() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("switchboard");
        brokenHouse = new ClassFileImporter().importPackages("archfixture");
    }

    /** Each rule, and the fixture class whose violation it must report. */
    static Stream<Arguments> rules() {
        return Stream.of(
                rule("features free of cycles", HouseRules::featuresFreeOfCycles, "archfixture.http.Routes"),
                rule(
                        "domain does not reach outward",
                        HouseRules::domainDoesNotReachOutward,
                        "archfixture.overflow.MoverUsingPbx"),
                rule(
                        "leads do not depend on calls",
                        HouseRules::leadsDoNotDependOnCalls,
                        "archfixture.lead.LeadHearingCalls"),
                rule(
                        "product never imports tools",
                        HouseRules::productNeverImportsTools,
                        "archfixture.call.CallReachingOut"),
                rule(
                        "only the root sees the root",
                        HouseRules::onlyTheRootSeesTheRoot,
                        "archfixture.call.CallReachingOut"),
                rule("policies are pure", HouseRules::policiesArePure, "archfixture.callback.ImpurePolicy"),
                rule(
                        "known policies are marked",
                        HouseRules::knownPoliciesAreMarked,
                        "archfixture.call.MissedCallClassifier"),
                rule(
                        "only pbx uses Asterisk-Java",
                        HouseRules::onlyPbxUsesAsteriskJava,
                        "archfixture.call.CallReachingOut"),
                rule(
                        "only persistence touches JDBC",
                        HouseRules::onlyPersistenceTouchesJdbc,
                        "archfixture.call.CallReachingOut"),
                rule(
                        "only http knows Pekko HTTP",
                        HouseRules::onlyHttpKnowsPekkoHttp,
                        "archfixture.call.CallReachingOut"),
                rule(
                        "only metrics knows the Prometheus client",
                        HouseRules::onlyMetricsKnowsPrometheus,
                        "archfixture.call.CallReachingOut"),
                rule("tools never reach for Main", HouseRules::toolsNeverReachForMain, "archfixture.tools.Sim"));
    }

    private static Arguments rule(String name, Function<String, ArchRule> rule, String offender) {
        return Arguments.of(name, rule, offender);
    }

    @ParameterizedTest(name = "{0}: holds for the product")
    @MethodSource("rules")
    void holdsForTheProduct(String name, Function<String, ArchRule> rule, String offender) {
        rule.apply("switchboard").check(product);
    }

    @ParameterizedTest(name = "{0}: fails on a house that breaks it")
    @MethodSource("rules")
    void failsWhenBroken(String name, Function<String, ArchRule> rule, String offender) {
        var result = rule.apply("archfixture").evaluate(brokenHouse);
        assertTrue(result.hasViolation(), name + " found nothing wrong in archfixture");
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains(offender), name + " should name " + offender + ":\n" + report);
    }

    @Test
    void everyNamedPolicyExists() {
        for (String policy : HouseRules.KNOWN_POLICIES) {
            assertTrue(
                    product.contain("switchboard." + policy),
                    "policy named in HouseRules is missing (renamed? update the list): " + policy);
        }
    }
}
