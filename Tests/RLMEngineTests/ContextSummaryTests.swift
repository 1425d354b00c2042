@testable import RLMEngine
import Testing

@Suite struct ContextSummaryTests {
    /// The model is told about stand-ins only where `context` can hold them.
    @Test func theStandInNoteComesWithNonASCIIContextsUnlessTextIsExact() {
        let note = "each char above U+FFFF (emoji and the like) is one U+FFFD"
        #expect(ContextSummary.describe(.text("launch 🚀")).contains(note))
        #expect(ContextSummary.describe(.text("café")).contains(note))
        #expect(!ContextSummary.describe(.text("launch 🚀"), exactText: true).contains(note))
        #expect(!ContextSummary.describe(.text("plain ascii")).contains(note))
        #expect(ContextSummary.describe(.text("plain ascii")).hasPrefix("Context: plain text named context: 11 chars"))
    }
}
