/// Frustration goes to a person before anything else is tried: the mood (`FrustrationDetector`)
/// has reached the knowledge's threshold.
enum FrustrationStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        let threshold = engine.settings.handoff.frustrationThreshold
        guard context.state.mood >= threshold, engine.settings.handoff.triggers.contains(.frustration) else { return false }
        context.decide("Frustration \(format(context.state.mood)) ≥ \(format(threshold)): handing off to a person.")
        engine.handOff(.frustration, intent: nil, in: &context)
        return true
    }
}
