package io.convtrail.api.command;

/**
 * Who asks for a turn or a feedback record. The conversation's first turn makes {@code subject} its
 * owner; later ones are refused unless they come from the owner or from someone who may act for
 * anyone (an admin). {@link #UNCHECKED} is the caller when security is turned off: nothing is
 * checked and no owner is recorded.
 */
public record TurnRequester(String subject, boolean mayActForAnyone) {

    public static final TurnRequester UNCHECKED = new TurnRequester(null, true);

    public boolean mayUse(String owner) {
        return mayActForAnyone || (subject != null && subject.equals(owner));
    }
}
