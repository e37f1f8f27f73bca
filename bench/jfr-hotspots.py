#!/usr/bin/env python3
"""Summarises a JFR recording of the service by bench scenario: where the CPU samples went.

usage: python3 bench/jfr-hotspots.py RECORDING.jfr [RESULTS.json] [TOP]

Reads `jfr print --events jdk.ExecutionSample` (the JDK's own tool), cuts the samples by the
scenario time windows the bench wrote into RESULTS.json ("phases"), and prints per scenario:
the share of samples by library (package of the sampled frame) and by activity (projection,
append, aggregate load, ...), the hottest methods by self samples, and the convtrail/Axon
methods most often on the stack (inclusive).
"""
import collections
import json
import os
import re
import subprocess
import sys

LIBRARIES = [
    ("io.convtrail", "convtrail"), ("org.axonframework", "axon"), ("com.fasterxml.jackson", "jackson"),
    ("org.postgresql", "pgjdbc"), ("com.zaxxer.hikari", "hikari"), ("org.apache", "tomcat"),
    ("org.springframework", "spring"), ("java.util.regex", "regex"), ("com.samskivert", "mustache"),
    ("reactor.", "reactor"), ("sun.nio", "nio"), ("java.", "jdk"), ("jdk.", "jdk"), ("sun.", "jdk"),
]


# What a sample was doing: the marker nearest the sampled frame wins (so JSON or JDBC work is
# charged to the projection, append or load that asked for it).
ACTIVITIES = [
    ("JdbcEventStorageEngine.appendEvents", "event store: append"),
    ("AbstractSnapshotter", "aggregate: snapshot"),
    ("EventSourcingRepository", "aggregate: load (snapshot + events)"),
    ("JdbcEventStorageEngine.fetchTrackedEvents", "event store: processors reading"),
    ("JdbcEventStorageEngine.readEventData", "event store: reading"),
    ("EmbeddedEventStore", "event store: processors reading"),
    # EventPositions owns every SQL on the event table: only its globalIndex is the projections' lookup; a
    # rebuild's page query (pageAfter) was counted as a lookup before (rebuild8)
    ("io.convtrail.query.store.EventPositions.globalIndex", "projections: global index lookup"),
    ("io.convtrail.query.store.EventPositions.pageAfter", "rebuild: reading a page (query, rows)"),
    ("io.convtrail.query.store.EventPages", "rebuild: a page's rows made messages"),
    ("io.convtrail.query.store.PageSerializer", "rebuild: payloads deserialised"),
    ("io.convtrail.query.store.EventPositions", "event table: other reads"),
    ("io.convtrail.query.audit.AuditRepository.insert", "audit projection: insert"),
    ("io.convtrail.query.audit.AuditProjection", "audit projection"),
    ("io.convtrail.query.trace", "trace projection / trace query"),
    ("io.convtrail.query.stream", "streams (hub, SSE/STOMP send)"),
    ("io.convtrail.query.audit", "audit queries"),
    ("org.axonframework.eventhandling.TrackingToken", "processors: tokens"),
    ("org.axonframework.eventhandling.tokenstore", "processors: token store"),
    ("org.axonframework.eventhandling.pooled", "processors (Axon: payload deserialization, dispatch, batching)"),
    ("org.axonframework.eventhandling.TrackingEventProcessor", "processors (Axon: payload deserialization, dispatch, batching)"),
    ("org.axonframework.queryhandling", "subscription queries"),
    ("io.convtrail.command.aggregate", "aggregate: command handling"),
    ("io.convtrail.command.engine", "flow engine"),
    ("io.convtrail.command", "turn service / web"),
    ("org.springframework.web", "Spring MVC"),
    ("org.apache", "Tomcat"),
]


def activity(frames):
    for frame in frames:
        for marker, name in ACTIVITIES:
            if marker in frame:
                return name
    return "other (" + library(frames[-1]) + " thread)"


def library(frame):
    for prefix, name in LIBRARIES:
        if frame.startswith(prefix):
            return name
    return "other"


def samples(recording):
    env = dict(os.environ, TZ="UTC")
    text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample", recording],
                          capture_output=True, text=True, env=env, check=True).stdout
    for block in text.split("jdk.ExecutionSample {")[1:]:
        time = re.search(r"startTime = (\d\d:\d\d:\d\d\.\d+)", block)
        frames = [re.sub(r"\(.*", "", line.strip()) for line in block.split("stackTrace = [", 1)[-1].splitlines()
                  if re.match(r"\s+[\w$.<>]+\(", line)]
        if time and frames:
            yield time.group(1), frames


def main():
    recording = sys.argv[1]
    phases = {}
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            for name, window in json.load(f).get("phases", {}).items():
                start, end = (window["start"], window["end"]) if isinstance(window, dict) else window
                phases[name] = (start[11:23], end[11:23])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    by_phase = collections.defaultdict(list)
    for time, frames in samples(recording):
        # a sample counts for every window it falls in: a scenario and the step inside it
        inside = [n for n, (s, e) in phases.items() if s <= time[:12] <= e] or ["outside scenarios"]
        for phase in inside:
            by_phase[phase].append(frames)
    for phase, stacks in by_phase.items():
        print(f"== {phase}: {len(stacks)} samples")
        libs = collections.Counter(library(f[0]) for f in stacks)
        print("   by library (self): " + ", ".join(f"{n} {c * 100 // len(stacks)}%" for n, c in libs.most_common(8)))
        print("   by activity:")
        for name, count in collections.Counter(activity(f) for f in stacks).most_common(top):
            print(f"     {count * 100.0 / len(stacks):5.1f}%  {name}")
        print("   hottest methods (self):")
        for method, count in collections.Counter(f[0] for f in stacks).most_common(top):
            print(f"     {count * 100.0 / len(stacks):5.1f}%  {method}")
        print("   convtrail and Axon methods on the stack (inclusive):")
        inclusive = collections.Counter()
        for f in stacks:
            inclusive.update({m for m in f if m.startswith(("io.convtrail", "org.axonframework"))})
        for method, count in inclusive.most_common(top):
            print(f"     {count * 100.0 / len(stacks):5.1f}%  {method}")


if __name__ == "__main__":
    main()
