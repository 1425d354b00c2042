/// `rlm/followUp`: another question in the conversation an earlier answer named.
public enum FollowUp: RequestMethod {
    public static let method = "rlm/followUp"

    public struct Params: Codable, Sendable, Equatable {
        public var conversation: String
        public var question: String
        public var workDoneToken: ProgressToken?
        public init(conversation: String, question: String, workDoneToken: ProgressToken? = nil) {
            self.conversation = conversation
            self.question = question
            self.workDoneToken = workDoneToken
        }
    }

    public typealias Result = Answer
}
