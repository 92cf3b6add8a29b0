/**
 * Turns Netty resource-leak reports into test failures.
 *
 * <p>This package owns two pieces:
 * <ul>
 *   <li>{@link io.shadowgate.testkit.leak.FailingLeakDetector} — a {@code ResourceLeakDetector} that Netty
 *       instantiates for every tracked resource type when the JVM runs with
 *       {@code -Dio.netty.customResourceLeakDetector=io.shadowgate.testkit.leak.FailingLeakDetector} (set in the
 *       parent pom's surefire {@code argLine}, together with {@code -Dio.netty.leakDetection.level=paranoid}). It
 *       still logs every leak, and additionally keeps the reports in a static, thread-safe list;</li>
 *   <li>{@link io.shadowgate.testkit.leak.LeakCheckExtension} — a JUnit 5 extension, auto-registered through
 *       {@code META-INF/services/org.junit.jupiter.api.extension.Extension} for every module that has the testkit on
 *       its test classpath, which clears that list before a test class and, after it, forces garbage collection,
 *       makes Netty poll its reference queues, and fails the class if any leak was reported.</li>
 * </ul>
 *
 * <p>Netty only notices a leak when a tracked object has been garbage collected <em>and</em> a later allocation
 * polls the reference queue; that is why the extension does both, within a bounded time budget (&lt; 1 s).
 */
package io.shadowgate.testkit.leak;
