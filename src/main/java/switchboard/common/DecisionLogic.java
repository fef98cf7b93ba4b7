package switchboard.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a pure decision class: given its inputs (times as {@code Instant}s, settings, state) it decides, and does
 * nothing else — no actors, no Pekko, no I/O, no logging, no wall clock. Actors orchestrate these classes; plain
 * unit tests prove them. {@code ArchitectureTest} holds every marked class to that (and keeps the known policies
 * marked): the classifier, the governor, the retry schedule, the calling window, the overflow rules — and every new
 * rule set (booking rules, opt-out matching) belongs here too.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DecisionLogic {}
