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

    /**
     * The gRPC status of a local reply with HTTP status {@code http} (Envoy's {@code Grpc::Utility::httpToGrpcStatus},
     * from the gRPC spec's table).
     */
    static int fromHttp(int http) {
        return switch (http) {
            case 400 -> 13; // INTERNAL
            case 401 -> 16; // UNAUTHENTICATED
            case 403 -> 7; // PERMISSION_DENIED
            case 404 -> 12; // UNIMPLEMENTED
            case 429, 502, 503, 504 -> 14; // UNAVAILABLE
            default -> 2; // UNKNOWN
        };
    }

    /** The code of {@code name}, or 2 (UNKNOWN) for an unknown name. */
    static int code(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? 2 : i;
    }
}
