package io.convtrail.command.turn;

/**
 * A failure the engine knows and names (a tool that failed, an answer the flow does not define):
 * recorded as ENGINE_KNOWN_FAILURE with its code. Anything else is ENGINE_UNKNOWN_FAILURE.
 */
public class EngineFailure extends RuntimeException {

    private final String errorCode;
    private final boolean recoverable;

    public EngineFailure(String errorCode, String message, boolean recoverable, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.recoverable = recoverable;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean recoverable() {
        return recoverable;
    }
}
