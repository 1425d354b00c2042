/// The task of `rlmd summarize-session`, given to the session prompt.
public enum SessionSummary {
    /// The question a summary is asked as (the task says what it must hold).
    public static let question = "Summarize this session."
    public static var task: String { Prompts.load("session_summary_task") }
}
