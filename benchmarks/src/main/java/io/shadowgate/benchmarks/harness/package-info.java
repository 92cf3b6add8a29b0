/**
 * The load harness ({@code benchmarks/run.sh}): starts the fixed backend, NGINX and Shadowgate per scenario, drives
 * them with the open-loop generator, samples {@code /proc}, and writes the report; then runs the JMH benchmarks in
 * their own JVMs by class name.
 */
package io.shadowgate.benchmarks.harness;
