import Testing
@testable import LMClient

@Suite struct SecretRedactorTests {
    static let openAIKey = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXyZ4abcd"
    static let anthropicKey = "sk-ant-api03-QwErTyUiOpAsDfGhJkLzXcVbNm-1234567890wxyz"
    static let redactor = SecretRedactor(secrets: [openAIKey, anthropicKey])

    @Test(arguments: [
        "Incorrect API key provided: \(openAIKey).",
        "Incorrect API key provided: sk-proj-****************************abcd. You can find your API key at ...",
        "key sk-...abcd is invalid",
        "key sk-ant-…wxyz is invalid",
        "the proxy saw \(anthropicKey.dropFirst(10).prefix(20)) in your request",
        "{\"error\": \"Authorization: Bearer \(openAIKey)\"}",
        "headers: {\"x-api-key\": \"\(anthropicKey)\"}",
    ])
    func providerEchoesLoseTheKey(message: String) {
        let redacted = Self.redactor.redact(message)
        #expect(redacted.contains(SecretRedactor.mask), "\(redacted)")
        for key in [Self.openAIKey, Self.anthropicKey] {
            #expect(!redacted.contains(key))
            #expect(!redacted.contains(key.suffix(8)) && !redacted.contains(key.dropFirst(12).prefix(8)), "\(redacted)")
        }
        #expect(!redacted.contains("abcd") && !redacted.contains("wxyz"), "\(redacted)")
    }

    @Test func bearerAndHeaderValuesGoEvenForUnknownKeys() {
        let redacted = SecretRedactor(secrets: []).redact("sent Authorization: Bearer tok_live_123456 and x-api-key=other-secret-9")
        #expect(!redacted.contains("tok_live_123456") && !redacted.contains("other-secret-9"), "\(redacted)")
    }

    @Test func ordinaryTextIsLeftAlone() {
        let text = "This model's maximum context length is 128000 tokens... please reduce the length (sk- prefixes aside)."
        #expect(Self.redactor.redact(text) == text)
        #expect(SecretRedactor(secrets: ["ab"]).redact("abab") == "abab")
    }

    @Test func errorsKeepTheirKind() {
        let error = LMError.rateLimited("slow down, \(Self.openAIKey)", retryAfter: 2).redacted(Self.redactor)
        #expect(error == .rateLimited("slow down, \(SecretRedactor.mask)", retryAfter: 2))
    }
}
