package io.convtrail.command.turn;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/** Another turn of the conversation stayed open for the whole wait: answered 409. */
public class ConversationBusyException extends ErrorResponseException {

    public ConversationBusyException(UUID conversationId, Duration waited) {
        super(HttpStatus.CONFLICT, problem(conversationId, waited), null);
    }

    private static ProblemDetail problem(UUID conversationId, Duration waited) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Conversation " + conversationId + " is running another turn; waited " + waited.toMillis()
                        + " ms. Retry when it has answered.");
        problem.setTitle("Turn in progress");
        problem.setType(URI.create("urn:convtrail:problem:turn-in-progress"));
        problem.setProperty("conversationId", conversationId);
        return problem;
    }
}
