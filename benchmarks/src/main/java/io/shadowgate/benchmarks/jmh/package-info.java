/**
 * JMH micro-benchmarks of routing, regexes and snapshot compilation, plus {@code CompileTimer} for the cold build.
 * They run in their own JVMs ({@code java -jar benchmarks/target/benchmarks.jar}), never during the build.
 */
package io.shadowgate.benchmarks.jmh;
