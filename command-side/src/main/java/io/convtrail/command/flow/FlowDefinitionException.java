package io.convtrail.command.flow;

/** A flow file that cannot be used; the message names the file, the path inside it and the problem. */
public class FlowDefinitionException extends RuntimeException {

    public FlowDefinitionException(String file, String path, String problem) {
        super("Invalid flow file " + file + " at " + (path.isEmpty() ? "(root)" : path) + ": " + problem);
    }

    public FlowDefinitionException(String message) {
        super(message);
    }
}
