/**
 * The open-loop load generator ({@code OpenLoop}): requests go out at a fixed rate whatever the latency, and latency
 * is measured from each request's due time, so a stalling proxy pays for every request it delayed.
 */
package io.shadowgate.benchmarks.load;
