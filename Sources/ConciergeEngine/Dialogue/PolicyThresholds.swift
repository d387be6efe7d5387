/// The dialogue policy's fixed thresholds, each with what it trades off. The thresholds an author
/// tunes (answer, fallback, clarify margin) are settings (`understanding:` in settings.yaml); these
/// shape how acts are read and are part of the engine.
enum PolicyThresholds {
    /// A message that leans on the topic without a subject of its own ("is that yearly?") is read
    /// against the topic unless another reading is at least this confident. Higher keeps more
    /// follow-ups on the topic; lower lets a stray word ("yearly" → a billing intent) take over.
    static let followUpOverride = 0.9

    /// How many turns a topic stays current for follow-ups. Longer catches late follow-ups; shorter
    /// avoids reading a new question against a subject the customer has left.
    static let topicLifetime = 3

    /// Content-word overlap (Jaccard, by stem) with the previous message above which a message that
    /// reaches the same answer again is the customer repeating themselves ("it didn't help"),
    /// rather than a new question on the same subject.
    static let repeatOverlap = 0.6
}
