package io.shadowgate.proxy.server;

import java.util.List;

/** gRPC status names (as Istio's {@code abort.grpcStatus}) to codes. */
final class GrpcStatus {

    private static final List<String> NAMES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");

    private GrpcStatus() {
    }

    /** The code of {@code name}, or 2 (UNKNOWN) for an unknown name. */
    static int code(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? 2 : i;
    }
}
