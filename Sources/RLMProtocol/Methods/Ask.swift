/// `rlm/ask`: answer a question about the workspace with a recursive language model.
public enum Ask: RequestMethod {
    public static let method = "rlm/ask"

    public struct Params: Codable, Sendable, Equatable {
        public var question: String
        public var workDoneToken: ProgressToken?
        /// What the user has selected; it is given to the model with the question.
        public var selection: Selection?
        public var options: QuestionOptions?
        public init(question: String, workDoneToken: ProgressToken? = nil, selection: Selection? = nil, options: QuestionOptions? = nil) {
            self.question = question
            self.workDoneToken = workDoneToken
            self.selection = selection
            self.options = options
        }
    }

    public typealias Result = Answer
}

public struct Selection: Codable, Sendable, Equatable {
    public var path: String
    public var startLine: Int
    public var endLine: Int
    public var text: String?
    public init(path: String, startLine: Int, endLine: Int, text: String? = nil) {
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
        self.text = text
    }
}

/// Per-question overrides of the models and budgets.
public struct QuestionOptions: Codable, Sendable, Equatable {
    public var model: String?
    public var subModel: String?
    public var maxIterations: Int?
    public var maxUsd: Double?
    public var maxDepth: Int?
    public init(model: String? = nil, subModel: String? = nil, maxIterations: Int? = nil, maxUsd: Double? = nil, maxDepth: Int? = nil) {
        self.model = model
        self.subModel = subModel
        self.maxIterations = maxIterations
        self.maxUsd = maxUsd
        self.maxDepth = maxDepth
    }
}

/// The result of `rlm/ask`, `rlm/followUp` and `rlm/summarizeSession`: the fields of `rlmd ask --json`,
/// plus the conversation to follow up in.
public struct Answer: Codable, Sendable, Equatable {
    public var answer: String
    public var partial: Bool
    public var reason: String?
    /// Which limit ended a partial answer: `iterations`, `calls`, `tokens`, `usd`, `wall_time` or `errors`.
    public var stop: String?
    public var citations: [CitedLocation]
    public var usage: AnswerUsage
    public var costUsd: Double
    public var trajectory: String
    /// Pass to `rlm/followUp`: the REPL's variables and the earlier answers carry over.
    public var conversation: String

    public init(answer: String, partial: Bool, reason: String?, stop: String? = nil, citations: [CitedLocation], usage: AnswerUsage,
                costUsd: Double, trajectory: String, conversation: String) {
        self.answer = answer
        self.partial = partial
        self.reason = reason
        self.stop = stop
        self.citations = citations
        self.usage = usage
        self.costUsd = costUsd
        self.trajectory = trajectory
        self.conversation = conversation
    }
}

public struct CitedLocation: Codable, Sendable, Equatable {
    public var path: String
    public var startLine: Int
    public var endLine: Int
    /// False when the index has no such place: the citation is reported, flagged, never corrected.
    public var resolved: Bool
    /// The cited lines as indexed (the first few, for a list of jump targets); absent when unresolved.
    public var excerpt: String?
    public init(path: String, startLine: Int, endLine: Int, resolved: Bool, excerpt: String? = nil) {
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
        self.resolved = resolved
        self.excerpt = excerpt
    }
}

public struct AnswerUsage: Codable, Sendable, Equatable {
    public var input: Int
    public var output: Int
    public var cached: Int
    public var calls: Int
    public var iterations: Int
    public var depth: Int
    public init(input: Int, output: Int, cached: Int, calls: Int, iterations: Int, depth: Int) {
        self.input = input
        self.output = output
        self.cached = cached
        self.calls = calls
        self.iterations = iterations
        self.depth = depth
    }
}
