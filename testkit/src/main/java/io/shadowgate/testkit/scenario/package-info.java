/**
 * A v1/v2 fixture service for the verdict's scenario suite: one endpoint per {@link io.shadowgate.testkit.scenario.Scenario}
 * ({@code /s/<scenario>/items/<n>}), each answer carrying the kinds of noise real APIs have (a random small timing
 * integer, a response-time header, a set-like array in random order, an id each answer generates, a timestamp, a
 * flag that flips on a few requests) and, in v2, one planted difference per scenario (a rare wrong price, a broken
 * sort next to a random-order set, a timestamp in another time zone, a renamed field, higher latency, more errors).
 * {@link io.shadowgate.testkit.scenario.ScenarioService} runs one version; which requests carry a planted bug is a
 * function of the seed and the item number, so v1 and v2 agree on the request and runs with one seed plant the same
 * bugs.
 */
package io.shadowgate.testkit.scenario;
