package switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Adapters stay at the edge: one package per outside technology. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("switchboard");
  }

  @Test
  void onlyThePbxAdapterUsesAsteriskJava() {
    noClasses().that().resideOutsideOfPackage("switchboard.pbx..")
        .should().dependOnClassesThat().resideInAPackage("org.asteriskjava..")
        .because("Asterisk-Java is the pbx adapter's business; the core speaks PbxSignal")
        .check(classes);
  }

  @Test
  void onlyTheReadSideTouchesJdbc() {
    noClasses().that().resideOutsideOfPackages("switchboard.readside..", "switchboard.db..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..", "org.apache.pekko.projection.jdbc..")
        .because("persistence details live in readside (the journal is configured, not coded)")
        .check(classes);
  }

  @Test
  void onlyHttpKnowsPekkoHttp() {
    noClasses().that().resideOutsideOfPackage("switchboard.http..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.pekko.http..")
        .check(classes);
  }

  @Test
  void decisionLogicDoesNotReachOutward() {
    noClasses().that().resideInAnyPackage("switchboard.call..", "switchboard.lead..", "switchboard.callback..")
        .should().dependOnClassesThat().resideInAnyPackage("switchboard.http..", "switchboard.readside..", "switchboard.db..", "switchboard.pbx..", "switchboard.tools..")
        .check(classes);
  }

  @Test
  void leadsDoNotDependOnCalls() {
    noClasses().that().resideInAPackage("switchboard.lead..")
        .should().dependOnClassesThat().resideInAPackage("switchboard.call..")
        .because("a call knows its lead; a lead only hears outcomes")
        .check(classes);
  }
}
