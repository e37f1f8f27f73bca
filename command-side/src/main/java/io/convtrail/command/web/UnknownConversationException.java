package io.convtrail.command.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.util.UUID;

/**
 * 404 for a conversation the caller may not use. Its body is the one an unknown conversation gets,
 * so a refusal does not tell another user's conversation apart from one that does not exist.
 */
public class UnknownConversationException extends ErrorResponseException {

    public UnknownConversationException(UUID conversationId) {
        super(HttpStatus.NOT_FOUND, problem(conversationId), null);
    }

    private static ProblemDetail problem(UUID conversationId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No conversation with id " + conversationId);
        problem.setTitle("Unknown conversation");
        problem.setType(URI.create("urn:convtrail:problem:unknown-conversation"));
        return problem;
    }
}
