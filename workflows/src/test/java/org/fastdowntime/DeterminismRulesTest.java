package org.fastdowntime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A static check of the workflow code's bytecode: everything in this module runs inside workflows
 * (or is data they carry), so it must take time, randomness, sleeping and threads from {@code
 * Workflow.*} only, and do no I/O. A change that breaks the rule fails {@code mvn verify} with the
 * offending class and line.
 */
@Tag("unit")
class DeterminismRulesTest {
    private static JavaClasses workflowCode;

    @BeforeAll
    static void importCode() {
        workflowCode = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.fastdowntime");
    }

    @Test
    void timeComesFromTheWorkflow() {
        ArchRule rule = noClasses()
                .should()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(java.time.Instant.class, "now")
                .orShould()
                .callMethod(java.time.LocalDate.class, "now")
                .orShould()
                .callMethod(java.time.LocalDateTime.class, "now")
                .orShould()
                .callMethod(java.time.LocalTime.class, "now")
                .orShould()
                .callMethod(java.time.ZonedDateTime.class, "now")
                .orShould()
                .callMethod(java.time.OffsetDateTime.class, "now")
                .orShould()
                .callMethod(java.time.Clock.class, "systemUTC")
                .orShould()
                .callMethod(java.time.Clock.class, "systemDefaultZone")
                .orShould()
                .callConstructor(java.util.Date.class)
                .because("workflow time is Workflow.currentTimeMillis(): a replay must see the time the"
                        + " history recorded");
        rule.check(workflowCode);
    }

    @Test
    void randomnessAndIdsComeFromTheWorkflow() {
        ArchRule rule = noClasses()
                .should()
                .callMethod(java.util.UUID.class, "randomUUID")
                .orShould()
                .callMethod(Math.class, "random")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.util.Random")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.security.SecureRandom")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
                .because("Workflow.newRandom() and Workflow.randomUUID() replay; the JDK's do not");
        rule.check(workflowCode);
    }

    @Test
    void noThreadsNoSleepingNoLocks() {
        ArchRule rule = noClasses()
                .should()
                .callMethod(Thread.class, "sleep", long.class)
                .orShould()
                .callConstructor(Thread.class, Runnable.class)
                .orShould()
                .callMethod(Thread.class, "start")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("java.util.concurrent..")
                .orShould()
                .callMethod(Object.class, "wait")
                .because("Workflow.sleep, Workflow.await and Async run on the workflow's own deterministic"
                        + " scheduler");
        rule.check(workflowCode);
    }

    @Test
    void noInputOutput() {
        ArchRule rule = noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.io..", "java.nio..", "java.net..", "java.sql..", "javax.sql..", "java.net.http..")
                .orShould()
                .callMethod(System.class, "getenv", String.class)
                .orShould()
                .callMethod(System.class, "getenv")
                .orShould()
                .callMethod(System.class, "getProperty", String.class)
                .orShould()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .because("workflow code reaches the world only through activities; logging is" + " Workflow.getLogger")
                .allowEmptyShould(false);
        rule.check(workflowCode.that(com.tngtech.archunit.base.DescribedPredicate.not(
                com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(java.io.Serializable.class)
                        .and(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("..model..")))));
    }
}
