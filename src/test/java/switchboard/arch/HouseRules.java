package switchboard.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What the layout means, as ArchUnit rules over a house whose root package is {@code base} ({@code switchboard} for
 * the product). Written as functions of the root so {@code ArchitectureTest} can prove each rule against the
 * product (it holds) and against a small house that breaks it on purpose (it fails), see {@code archfixture}.
 *
 * <p>The map: {@code base} is the composition root (Main, Node, Settings); {@code common} holds small shared pieces;
 * {@code call}, {@code lead}, {@code callback}, {@code overflow} (and the features to come) are the domain; {@code pbx},
 * {@code http}, {@code readside}, {@code db} are adapters at the edge; {@code tools} (demo, loadtest, benchmarks,
 * the PBX simulator) sits beside the root and may use everything, but nothing of the product uses it.
 */
public final class HouseRules {
    private HouseRules() {}

    /** The domain: decides, and never reaches into an adapter. New features join this list. */
    public static final List<String> DOMAIN =
            List.of("call", "lead", "callback", "overflow", "qualify", "booking", "ivr", "intake", "sms");

    /** The adapters and the tools: what the domain must not import. */
    public static final List<String> OUTWARD = List.of("http", "readside", "db", "pbx", "twilio", "tools");

    /** The pure policies named in the architecture: each must carry {@code @DecisionLogic}. */
    public static final List<String> KNOWN_POLICIES = List.of(
            "call.MissedCallClassifier",
            "callback.Governor",
            "callback.RetrySchedule",
            "callback.CallingWindow",
            "callback.DncList",
            "overflow.OverflowRules",
            "overflow.OverflowPolicy",
            "lead.LeadSourceResolver",
            "booking.BookingRules",
            "booking.OpenHours",
            "qualify.ServiceMenu",
            "qualify.ServiceArea",
            "qualify.Interview",
            "intake.IntakeAuth",
            "intake.IntakeForms",
            "sms.SmsKeywords",
            "sms.ReplyReader",
            "sms.TextBackPolicy",
            "sms.FollowUpCadence",
            "sms.SmsTemplates");

    private static String[] packages(String base, List<String> names) {
        return names.stream().map(n -> base + "." + n + "..").toArray(String[]::new);
    }

    public static ArchRule featuresFreeOfCycles(String base) {
        return slices().matching(base + ".(*)..")
                .should()
                .beFreeOfCycles()
                .as("the packages below " + base + " depend on each other without cycles");
    }

    public static ArchRule domainDoesNotReachOutward(String base) {
        return noClasses()
                .that()
                .resideInAnyPackage(packages(base, DOMAIN))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(packages(base, OUTWARD))
                .because("decision logic and entities speak ports; adapters and tools live at the edge");
    }

    public static ArchRule leadsDoNotDependOnCalls(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + ".lead..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(base + ".call..")
                .because("a call knows its lead; a lead only hears outcomes");
    }

    public static ArchRule productNeverImportsTools(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + ".*..")
                .and()
                .resideOutsideOfPackage(base + ".tools..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(base + ".tools..")
                .because("demo, loadtest, benchmarks and the simulator are tools beside the product, never part of it");
    }

    public static ArchRule onlyTheRootSeesTheRoot(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + ".*..")
                .and()
                .resideOutsideOfPackage(base + ".tools..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(base)
                .because(
                        "the root package is the composition root: it sees every feature, no feature sees it (each owns its settings)");
    }

    public static ArchRule policiesArePure(String base) {
        return noClasses()
                .that()
                .areAnnotatedWith(base + ".common.DecisionLogic")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.pekko..",
                        "scala..",
                        "java.io..",
                        "java.nio..",
                        "java.net..",
                        "java.sql..",
                        "javax.sql..",
                        "org.asteriskjava..",
                        "org.slf4j..",
                        "com.typesafe.config..")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(packages(base, OUTWARD))
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Clock.class)
                .orShould()
                .callMethod(Instant.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .because("decision logic takes its inputs (the time included) and decides; actors do the rest");
    }

    public static ArchRule knownPoliciesAreMarked(String base) {
        String names = String.join("|", KNOWN_POLICIES).replace(".", "\\.");
        return classes()
                .that()
                .haveNameMatching(base.replace(".", "\\.") + "\\.(" + names + ")")
                .should()
                .beAnnotatedWith(base + ".common.DecisionLogic")
                .because(
                        "the policies the architecture names stay pure: unmarking one would take it out of the purity rule");
    }

    public static ArchRule onlyPbxUsesAsteriskJava(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(base + ".pbx..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.asteriskjava..")
                .because("Asterisk-Java is the pbx adapter's business; the core speaks PbxSignal");
    }

    public static ArchRule onlyPersistenceTouchesJdbc(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackages(base + ".readside..", base + ".db..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "com.zaxxer.hikari..",
                        "org.flywaydb..",
                        "org.apache.pekko.projection.jdbc..")
                .because("JDBC lives in db (pool, schema, offsets) and readside (read models and their queries)");
    }

    public static ArchRule onlyHttpKnowsPekkoHttp(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(base + ".http..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.pekko.http..")
                .because("routes and the server are the http adapter's");
    }

    public static ArchRule onlyMetricsKnowsPrometheus(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + "..")
                .and()
                .resideOutsideOfPackage(base + ".metrics..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.prometheus..")
                .because(
                        "features count through the metrics facade; the Prometheus client (registry, exposition, JVM metrics) is its business");
    }

    public static ArchRule toolsNeverReachForMain(String base) {
        return noClasses()
                .that()
                .resideInAPackage(base + ".tools..")
                .should()
                .dependOnClassesThat()
                .haveNameMatching(java.util.regex.Pattern.quote(base + ".Main") + "(\\$.*)?")
                .because(
                        "Main starts the tools; a tool may use Node and Settings like Main does, but reaching back into Main ties the two in a circle");
    }
}
