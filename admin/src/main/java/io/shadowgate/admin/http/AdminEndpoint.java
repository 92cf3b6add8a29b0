package io.shadowgate.admin.http;

import java.util.Set;

/** One admin endpoint. Called on the admin worker thread, one request at a time per connection; may block briefly. */
public interface AdminEndpoint {

    /** {@code GET} only. */
    Set<String> GET = Set.of("GET");
    /** {@code POST} only. */
    Set<String> POST = Set.of("POST");
    /** {@code GET} and {@code POST}. */
    Set<String> GET_POST = Set.of("GET", "POST");

    /** The methods this endpoint answers; others get 405. */
    Set<String> methods();

    /** One line for the index page. */
    String description();

    /** Answers {@code request}. An exception becomes a 500 with its message. */
    AdminResponse handle(AdminRequest request) throws Exception;
}
