package io.convtrail.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeds many stored events fast for the rebuild scenario: copies of the conversations the service
 * already recorded, appended straight into the event store with every UUID (conversation, turn,
 * event ids) mapped to a fresh one per copy, so each copy is a distinct, internally consistent
 * set of conversations. Replaying a copy costs what replaying the original costs.
 */
final class EventCloner {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int BATCH = 1_000;

    private final BenchDatabase db;

    EventCloner(BenchDatabase db) {
        this.db = db;
    }

    /** Appends copies of events 1..sourceHead until the store holds at least {@code target} events. */
    void fillTo(long target, long sourceHead) throws Exception {
        List<Object[]> source = load(sourceHead);
        if (source.isEmpty()) {
            throw new IllegalStateException("no events to copy");
        }
        long head = db.head();
        long[] written = {0};
        try (Connection c = db.connectForBulk();
             PreparedStatement insert = c.prepareStatement("INSERT INTO domainevententry (aggregateidentifier, "
                     + "sequencenumber, type, eventidentifier, metadata, payload, payloadrevision, payloadtype, "
                     + "timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             var ignored = Progress.every2s("s4 seeding", () -> (head + written[0]) + " of " + target + " events")) {
            c.setAutoCommit(false);
            for (int copy = 1; head + written[0] < target; copy++) {
                Map<String, String> ids = new HashMap<>();
                int inBatch = 0;
                for (Object[] row : source) {
                    insert.setString(1, remap((String) row[0], ids, copy));
                    insert.setLong(2, (Long) row[1]);
                    insert.setString(3, (String) row[2]);
                    insert.setString(4, remap((String) row[3], ids, copy));
                    insert.setBytes(5, remap((byte[]) row[4], ids, copy));
                    insert.setBytes(6, remap((byte[]) row[5], ids, copy));
                    insert.setString(7, (String) row[6]);
                    insert.setString(8, (String) row[7]);
                    insert.setString(9, (String) row[8]);
                    insert.addBatch();
                    written[0]++;
                    if (++inBatch == BATCH) {
                        insert.executeBatch();
                        c.commit();
                        inBatch = 0;
                    }
                    if (head + written[0] >= target && inBatch == 0) {
                        break;
                    }
                }
                insert.executeBatch();
                c.commit();
            }
        }
    }

    private List<Object[]> load(long upTo) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT aggregateidentifier, sequencenumber, type, "
                     + "eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp "
                     + "FROM domainevententry WHERE globalindex <= ? ORDER BY globalindex")) {
            c.setAutoCommit(false);
            s.setFetchSize(1_000);
            s.setLong(1, upTo);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[]{rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getBytes(5), rs.getBytes(6), rs.getString(7), rs.getString(8), rs.getString(9)});
                }
            }
        }
        return rows;
    }

    private static byte[] remap(byte[] json, Map<String, String> ids, int copy) {
        return json == null ? null : remap(new String(json, StandardCharsets.UTF_8), ids, copy)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String remap(String text, Map<String, String> ids, int copy) {
        if (text == null) {
            return null;
        }
        Matcher m = UUID_TEXT.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String fresh = ids.computeIfAbsent(m.group(),
                    id -> UUID.nameUUIDFromBytes((copy + ":" + id).getBytes(StandardCharsets.UTF_8)).toString());
            m.appendReplacement(out, fresh);
        }
        m.appendTail(out);
        return out.toString();
    }
}
