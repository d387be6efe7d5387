#!/usr/bin/env python3
"""Grows a store made by `concierge simulate conversations` to many conversations for the
`concierge report` benchmark: every conversation (with its turns, handoffs, messages, audit log and
satisfaction answer) is copied COPIES-1 more times, each copy shifted by SPAN seconds times its
number and given new ids, so the copies read like later weeks of the same traffic.

    concierge simulate conversations --count 10000 --spacing 30 --store /tmp/bench.sqlite
    python3 Scripts/reportbench/replicate.py /tmp/bench.sqlite 10
    CONCIERGE_REPORT_TIMING=1 .build/release/concierge report --store /tmp/bench.sqlite > /dev/null

Only the report reads such a store: the copies' conversation states still name the original
handoff ids, so do not chat on it.
"""
import sqlite3
import sys


def main():
    path, copies = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(path)
    first, last = db.execute("SELECT min(startedAt), max(updatedAt) FROM conversation").fetchone()
    span = (last - first) + 60
    conversations = db.execute("SELECT id FROM conversation").fetchall()
    print(f"{len(conversations)} conversations, {copies} copies, span {span:.0f} s", file=sys.stderr)
    with db:
        for k in range(1, copies):
            shift = span * k
            suffix = f"-{k}"
            db.execute("""INSERT INTO conversation (id, customerId, startedAt, updatedAt, state)
                          SELECT id || ?, customerId, startedAt + ?, updatedAt + ?, state FROM conversation
                          WHERE id NOT LIKE '%-%-%'""", (suffix, shift, shift))
            db.execute("""INSERT INTO turn (conversationId, number, at, customer, reply, action, intent, confidence, articles, asked, slots, handoffId)
                          SELECT conversationId || ?, number, at + ?, customer, reply, action, intent, confidence, articles, asked, slots,
                                 CASE WHEN handoffId IS NULL THEN NULL ELSE handoffId || ? END
                          FROM turn WHERE conversationId NOT LIKE '%-%-%'""", (suffix, shift, suffix))
            db.execute("""INSERT INTO handoff (id, conversationId, customerId, reason, queue, priority, status, summary, sentiment, slots, profile,
                                               transcript, suggestedArticles, createdAt, dueAt, claimedBy, claimedAt, leaseUntil,
                                               firstResponseAt, resolvedAt, resolution, promise)
                          SELECT id || ?, conversationId || ?, customerId, reason, queue, priority, status, summary, sentiment, slots, profile,
                                 transcript, suggestedArticles, createdAt + ?, dueAt + ?, claimedBy, claimedAt + ?, leaseUntil + ?,
                                 firstResponseAt + ?, resolvedAt + ?, resolution, promise
                          FROM handoff WHERE id NOT LIKE 'H-%-%'""", (suffix, suffix) + (shift,) * 6)
            db.execute("""INSERT INTO handoffMessage (handoffId, sequence, at, sender, author, text)
                          SELECT handoffId || ?, sequence, at + ?, sender, author, text FROM handoffMessage WHERE handoffId NOT LIKE 'H-%-%'""",
                       (suffix, shift))
            db.execute("""INSERT INTO handoffEvent (handoffId, sequence, at, kind, actor, detail)
                          SELECT handoffId || ?, sequence, at + ?, kind, actor, detail FROM handoffEvent WHERE handoffId NOT LIKE 'H-%-%'""",
                       (suffix, shift))
            db.execute("""INSERT INTO satisfaction (conversationId, handoffId, customerId, agent, queue, intent, askedAt, score, comment, answeredAt)
                          SELECT conversationId || ?, CASE WHEN handoffId IS NULL THEN NULL ELSE handoffId || ? END, customerId, agent, queue,
                                 intent, askedAt + ?, score, comment, answeredAt + ?
                          FROM satisfaction WHERE conversationId NOT LIKE '%-%-%'""", (suffix, suffix, shift, shift))
    print(db.execute("SELECT count(*) FROM conversation").fetchone()[0], "conversations,",
          db.execute("SELECT count(*) FROM turn").fetchone()[0], "turns,",
          db.execute("SELECT count(*) FROM handoff").fetchone()[0], "handoffs")


if __name__ == "__main__":
    main()
