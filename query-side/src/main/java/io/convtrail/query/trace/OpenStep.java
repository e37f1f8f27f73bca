package io.convtrail.query.trace;

import java.util.List;
import java.util.Optional;

/**
 * A step that has entered and not yet exited. Open steps of a turn form a stack (innermost first);
 * ConvEngine's rule decides which one a STEP_EXIT or STEP_ERROR closes.
 */
record OpenStep(long stepId, String step) {

    /**
     * The open step closed by an exit naming {@code stepName}: the innermost open step of that
     * name (case-insensitive), or the innermost one when the name is blank or matches none.
     */
    static Optional<OpenStep> closedBy(List<OpenStep> innermostFirst, String stepName) {
        if (innermostFirst.isEmpty()) {
            return Optional.empty();
        }
        if (stepName != null && !stepName.isBlank()) {
            for (OpenStep open : innermostFirst) {
                if (stepName.equalsIgnoreCase(open.step())) {
                    return Optional.of(open);
                }
            }
        }
        return Optional.of(innermostFirst.get(0));
    }
}
