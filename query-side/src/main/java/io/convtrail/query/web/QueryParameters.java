package io.convtrail.query.web;

import io.convtrail.api.ConversationIds;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.util.UUID;

/** Validation of path and query parameters at the edge, answered as problem+json. */
final class QueryParameters {

    private QueryParameters() {
    }

    static UUID uuid(String name, String text) {
        return ConversationIds.parse(text).orElseThrow(() -> invalid(name, "must be a UUID"));
    }

    static ErrorResponseException invalid(String name, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, name + " " + detail);
        problem.setTitle("Invalid request");
        problem.setType(URI.create("urn:convtrail:problem:invalid-request"));
        problem.setProperty("field", name);
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
