package io.convtrail.command.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** A request field that fails validation: answered as problem+json naming the field. */
public class InvalidRequestException extends ErrorResponseException {

    private InvalidRequestException(HttpStatus status, String field, String detail) {
        super(status, problem(status, field, detail), null);
    }

    public static InvalidRequestException badRequest(String field, String detail) {
        return new InvalidRequestException(HttpStatus.BAD_REQUEST, field, detail);
    }

    public static InvalidRequestException tooLarge(String field, String detail) {
        return new InvalidRequestException(HttpStatus.PAYLOAD_TOO_LARGE, field, detail);
    }

    private static ProblemDetail problem(HttpStatus status, String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, field + " " + detail);
        problem.setTitle(status == HttpStatus.BAD_REQUEST ? "Invalid request" : "Request too large");
        problem.setType(URI.create("urn:convtrail:problem:invalid-request"));
        problem.setProperty("field", field);
        return problem;
    }
}
