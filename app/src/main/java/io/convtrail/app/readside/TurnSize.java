package io.convtrail.app.readside;

/**
 * Events a turn adds to the store, estimated from the readings: the head's growth over the turns let
 * in, both decayed so the estimate follows the flow in use within a few seconds. With several command
 * nodes the head grows by the others' turns too, so each node counts its turns larger than they are
 * and lets fewer in: together they stay under the bound. Used only by the watcher's thread.
 */
final class TurnSize {

    /** Before any turn is seen: a demo-flow turn records about 40 events. */
    private static final double FIRST_GUESS = 40;
    /** Per reading (every 20 ms by default): the estimate forgets half of what it saw in about 1.4 s. */
    private static final double DECAY = 0.99;

    private double events;
    private double turns;

    /** One reading's growth of the head, and the turns let in on the reading before it. */
    void observe(long appended, int admitted) {
        events = events * DECAY + appended;
        turns = turns * DECAY + admitted;
    }

    double events() {
        return turns < 1 ? FIRST_GUESS : Math.max(1, events / turns);
    }
}
