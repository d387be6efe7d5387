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

    /// A message with no pointing word is still tried as a follow-up when it comes right after the
    /// answer, reads unsure on its own, names at most this many subjects of its own and has at most
    /// `unsureFollowUpWords` words ("so the robe is stuck with me?" after what can't be returned).
    /// More lets the topic claim messages that say what they are about ("how do I wash them so they
    /// stay fluffy?"); fewer leaves unsure questions on the topic to a clarifying question.
    static let unsureFollowUpSubjects = 2
    static let unsureFollowUpWords = 14

    /// Content-word overlap (Jaccard, by stem) with the previous message above which a message that
    /// reaches the same answer again is the customer repeating themselves ("it didn't help"),
    /// rather than a new question on the same subject.
    static let repeatOverlap = 0.6

    /// A candidate below the answer threshold is still answered when it is at least this confident
    /// and `dominantRatio` times the runner-up: one plausible reading, so a clarifying question would
    /// only make the customer say "yes". Lower answers more often and risks more wrong answers.
    static let dominantFloor = 0.35
    static let dominantRatio = 3.0

    /// The same for a candidate that needs a value the message gives (an order number for a
    /// missing item): from this confidence, at this multiple of the runner-up.
    static let entitySupportedFloor = 0.3
    static let entitySupportedRatio = 2.0

    /// A message read as small talk at least this confidently is never a follow-up ("ok thanks").
    static let smallTalkFloor = 0.5

    /// A reading that rests on a product or store name: without the name its confidence falls
    /// below this, and the reading without the name is within `nameOnlyMargin` of it. Higher lets
    /// more requests shed a name; lower keeps product-care questions ("how do I wash linen?") safe.
    static let nameOnlyResidue = 0.15
    static let nameOnlyMargin = 0.5
    /// The classifier's reading rests on a product or store name when, read without the name, its
    /// intent keeps less than this share of its confidence; the reading without the name is then
    /// taken if its own best intent is at least `nameFreeShare` as confident. Higher residue lets
    /// more requests shed a name; a lower share lets a weak reading replace a care question.
    static let nameCarriedResidue = 0.3
    static let nameFreeShare = 0.8
    /// The words besides the name a message needs before a name can be read as a slot value.
    static let nameOnlyContentWords = 2

    /// A part of a message is read as a request of its own only with this many content words.
    static let partContentWords = 2
    /// A second request in one message is answered too only from this confidence: a wrong second
    /// answer costs more than a question left for the customer to ask again.
    static let secondRequestFloor = 0.8

    /// A message of at most this many words that names a field of a known record ("who's the
    /// carrier?") is answered from the data; a longer one is left to the matcher.
    static let dataQuestionWords = 8

    /// A message of at most this many words that gives a value and reads as nothing else is an
    /// inform ("oh wait found it, A10209"), not a failure; a longer one is a request to be read.
    static let informWords = 10

    /// A message of at least this many content words is a paragraph: its words spread the
    /// confidence thin, so below the fallback threshold its leading reading still counts from
    /// `longMessageFloor`, answered at `dominantRatio` times the runner-up. Lower floors answer more
    /// paragraphs and risk answering a stray one.
    static let longMessageContentWords = 10
    static let longMessageFloor = 0.12

    /// A message that announces a subject ("question about my gift card") has at most this many
    /// words, and its subject at most `announcementSubjectWords`: longer, it says what it asks.
    static let announcementWords = 10
    static let announcementSubjectWords = 3
    /// A question of the subject is offered when read at least this confidently. Lower offers more
    /// unrelated choices; higher leaves one, which is then answered as a guess.
    static let announcementOptionFloor = 0.02

    /// A message of at most this many words that names with "the" a thing the last answer spoke
    /// of ("is the collection free?") is read against that answer first. Longer messages say
    /// enough to be read on their own.
    static let definiteReferenceWords = 8

    /// "Why only that much?" right after an answer: the same team's next reading is answered
    /// instead of the same answer again when read at least this confidently in context.
    static let questionedAnswerSibling = 0.05

    /// A message of more parts than this (a pasted document) is read whole, not part by part:
    /// each part is one more reading of the turn.
    static let maximumParts = 24

    /// A message of at most this many words may be read with a pronoun standing for a thing the
    /// conversation named ("how do I wash them?"); a longer one says what it is about.
    static let referentWords = 16

    /// "Refund or return?" is read as two alternatives when it has at most this many words; a
    /// longer message with an "or" says more than a choice ("can I return it or is it too late?").
    static let alternativesWords = 6

    /// "Ur a robot lol?": the small talk about the bot is answered when read at least this surely,
    /// the best reading being unsure. Lower answers more such questions and risks odd small talk.
    static let botQuestionFloor = 0.05
}
