package io.shadowgate.proxy.options;

/**
 * Memory retries may hold for replaying request bodies.
 *
 * @param bufferBytes       request body bytes kept so a retry can replay them; a larger body is not retried
 * @param globalBufferBytes request body bytes kept for retries by all requests together; a request that cannot
 *                          reserve its copy is not retried (counted), never truncated
 */
public record RetryBudgets(int bufferBytes, long globalBufferBytes) {
}
