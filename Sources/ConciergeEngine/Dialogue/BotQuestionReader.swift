/// "My mum wants to know if ur a robot lol": a roundabout question about what the bot is, which
/// the matcher may read too unsurely to answer. When the message names what a bot is and the
/// reading is unsure, the small talk that answers it (the best small-talk candidate) is read
/// instead. A confident reading is left alone ("is the towel machine washable?").
extension Engine {
    func readingOfBotQuestion(_ plain: Understanding, words: [String]) -> Understanding? {
        guard let best = plain.best, best.confidence < settings.answerThreshold,
            PersonRequestReader.asksWhatTheBotIs(words), words.contains(where: PersonRequestReader.botNouns.contains),
            var talk = plain.candidates.first(where: { candidate in
                candidate.confidence >= PolicyThresholds.botQuestionFloor && candidate.intent.map { knowledge.intents[$0].kind == .smalltalk } == true
            })
        else { return nil }
        talk.confidence = max(talk.confidence, settings.answerThreshold)
        return reading(plain, ledBy: talk)
    }

    /// `plain` without the "that didn't help" reading, for a message with no answer before it.
    func withoutNotHelpful(_ plain: Understanding) -> Understanding {
        var reading = plain
        reading.candidates.removeAll { isNotHelpful($0.intent) }
        reading.isOutOfScope = (reading.best?.confidence ?? 0) < settings.fallbackThreshold
        return reading
    }
}
