/// The task of `rlmd summarize-session`, given to the session prompt.
public enum SessionSummary {
    public static var task: String { Prompts.load("session_summary_task") }
}
