package io.shadowgate.proxy.server;

/**
 * Why the gateway refuses a request it decoded (or could not decode): carried as the {@code DecoderResult} cause of
 * the request or body chunk, so the refusal is answered in order by {@link FrontendHandler} (a pipelined request is
 * only answered after the ones before it). The connection is always closed after the answer: once framing is in
 * doubt, nothing more is read from it.
 */
public final class RejectedRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the status to answer (400, 405, 408, 413, 414, 431, 505)
     * @param reason a short, fixed text for logs and the response body; never contains client bytes
     */
    public RejectedRequestException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** The status the client gets. */
    public int status() {
        return status;
    }
}
