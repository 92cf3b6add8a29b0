/** The fixed-response HTTP backend the load harness puts behind both proxies (v1, a fast v2 and a slow v2). */
package io.shadowgate.benchmarks.backend;
