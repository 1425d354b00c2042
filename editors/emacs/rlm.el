;;; rlm.el --- Ask rlmd about the whole repository or an AI-coding session  -*- lexical-binding: t; -*-

;; Author: The rlmd authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: tools, convenience

;;; Commentary:

;; rlm asks rlmd, a Recursive Language Model daemon, questions about the
;; repository you are in ("how does request retry work here?") or about
;; a long AI-coding session ("what did we decide about the cache?").
;; rlmd loads the whole repository into a Python REPL where a root model
;; greps, reads and calls sub-models until it answers, with citations.
;;
;; Commands (bind them yourself, or bind `rlm-command-map' to a prefix):
;;   `rlm-ask'               ask; with an active region, the region goes along
;;   `rlm-follow-up'         ask again in the current answer's conversation
;;   `rlm-summarize-session' summarize a Claude Code / Codex / Aider session
;;   `rlm-reindex' `rlm-status' `rlm-cancel' `rlm-trajectory' `rlm-doctor'
;;   `rlm-restart' `rlm-stop'
;;
;; One `rlmd serve --stdio' runs per workspace root, through the built-in
;; jsonrpc.el; it never attaches to buffers, so it leaves your language
;; servers (eglot, lsp-mode) alone.  Answers open in `*rlm answer*',
;; whose citations are buttons and `next-error' targets (M-g n).
;; See README.md for installation and configuration.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defgroup rlm nil
  "Ask rlmd about the whole repository or an AI-coding session."
  :group 'tools
  :prefix "rlm-")

(require 'rlm-client)
(require 'rlm-answer)
(require 'rlm-trajectory)
(require 'rlm-doctor)

(defvar rlm--question-history nil
  "Questions asked with `rlm-ask' and `rlm-follow-up'.")

;;;; Questions

(defun rlm--region-selection (root)
  "The active region as an `rlm/ask' selection relative to ROOT, or nil."
  (when (use-region-p)
    (let* ((start (region-beginning))
           (end (region-end))
           (last (save-excursion
                   (goto-char end)
                   (if (and (bolp) (> end start)) (1- (line-number-at-pos end)) (line-number-at-pos end)))))
      (list :path (if buffer-file-name (file-relative-name buffer-file-name root) (buffer-name))
            :startLine (line-number-at-pos start)
            :endLine last
            :text (buffer-substring-no-properties start end)))))

(defun rlm--read-question (prompt)
  "Read a question with PROMPT; a `user-error' when it is empty."
  (let ((question (string-trim (read-string prompt nil 'rlm--question-history))))
    (when (string-empty-p question)
      (user-error "rlm: No question"))
    question))

(defun rlm--answered (root question)
  "The success callback of a question: show the answer to QUESTION in ROOT."
  (lambda (result _job)
    (rlm--render-answer root question result)
    (rlm--show-answer-buffer)
    (message "rlm: %s in %s: %s%s"
             (if (eq (plist-get result :partial) t)
                 (format "Partial answer (%s)" (or (plist-get result :reason) "budget"))
               "Answered")
             rlm-answer-buffer-name (rlm--usage-line result)
             (if (cl-some (lambda (c) (eq (plist-get c :resolved) t)) (plist-get result :citations))
                 "; M-g n walks its citations" ""))))

(defun rlm--failed (root question)
  "The error callback of QUESTION in ROOT: say what went wrong and what to fix."
  (lambda (error job)
    (let ((daemon (rlm--job-daemon job)))
      (cond
       ((rlm--daemon-stopping daemon)
        (message "rlm: “%s” ended with its daemon (rlm-stop)" question))
       ((eql (plist-get error :code) -32800)
        (let ((trajectory (or (plist-get (plist-get error :data) :trajectory) (rlm--job-trajectory job))))
          (rlm--render-cancelled root question trajectory)
          (rlm--show-answer-buffer)
          (message "rlm: Cancelled “%s”%s" question
                   (if trajectory (format "; its partial trajectory is %s (M-x rlm-trajectory)" trajectory)
                     ""))))
       (t (message "rlm: “%s” failed: %s" question (rlm--error-text error)))))))

(defun rlm--ask (daemon method params question)
  "Ask QUESTION of DAEMON with METHOD and PARAMS; return the job."
  (let ((root (rlm--daemon-root daemon)))
    (prog1 (rlm--start-question daemon method params
                                :question question
                                :on-success (rlm--answered root question)
                                :on-error (rlm--failed root question))
      (message "rlm: Asking “%s”… (M-x rlm-cancel stops it)" question))))

;;;###autoload
(defun rlm-ask (&optional question)
  "Ask rlmd QUESTION about this workspace; the answer opens in `*rlm answer*'.
Prompts when QUESTION is nil.  With an active region, its text and
path:start-end go along as the selection.  Returns the job."
  (interactive)
  (let* ((root (rlm--root))
         (selection (rlm--region-selection root))
         (question (or question
                       (rlm--read-question
                        (if selection
                            (format "Ask about %s:%d-%d: " (plist-get selection :path)
                                    (plist-get selection :startLine) (plist-get selection :endLine))
                          "Ask about this repository: "))))
         (daemon (rlm--ensure-daemon root)))
    (when selection (deactivate-mark))
    (rlm--ask daemon 'rlm/ask
              `(:question ,question ,@(and selection `(:selection ,selection)))
              question)))

;;;###autoload
(defun rlm-follow-up (&optional question)
  "Ask QUESTION in the conversation of the current answer.
The model sees the earlier questions and answers and keeps its REPL
variables.  Prompts when QUESTION is nil.  Returns the job."
  (interactive)
  (let* ((answer (rlm--current-answer))
         (conversation (or (plist-get answer :conversation)
                           (user-error "rlm: No answer to follow up on; ask first with M-x rlm-ask")))
         (root (plist-get answer :root))
         (question (or question (rlm--read-question "Follow up: ")))
         (daemon (rlm--ensure-daemon root)))
    (rlm--ask daemon 'rlm/followUp (list :conversation conversation :question question) question)))

;;;; Sessions

(defun rlm--session-label (session)
  "SESSION (from `rlm/sessions') as one line: tool, title, size, time."
  (format "%-6s  %-50s  %8s  %s  %d messages  %s"
          (plist-get session :tool)
          (truncate-string-to-width (or (plist-get session :title) "(untitled)") 50 nil nil "…")
          (file-size-human-readable (or (plist-get session :bytes) 0))
          (let ((time (or (plist-get session :last) (plist-get session :first) "")))
            (replace-regexp-in-string "T\\([0-9:]\\{5\\}\\).*\\'" " \\1" time))
          (or (plist-get session :messages) 0)
          (plist-get session :id)))

(defun rlm--read-session (sessions)
  "Pick one of SESSIONS (newest first) with `completing-read'.
The newest is the default."
  (let* ((labels (mapcar (lambda (session) (cons (rlm--session-label session) session)) sessions))
         (table (lambda (string predicate action)
                  (if (eq action 'metadata)
                      '(metadata (display-sort-function . identity) (cycle-sort-function . identity))
                    (complete-with-action action labels string predicate))))
         (choice (completing-read "Summarize session (newest first): " table nil t nil nil
                                  (caar labels))))
    (cdr (assoc choice labels))))

;;;###autoload
(defun rlm-summarize-session (&optional file)
  "Summarize the AI-coding session FILE: goal, decisions, files, commands, TODOs.
Interactively, pick from the workspace's sessions (newest first, the
newest by default); with a prefix argument, read a file name.  From
Lisp, FILE nil means the newest session.  Returns the job."
  (interactive
   (list (when current-prefix-arg
           (expand-file-name (read-file-name "Session file: " nil nil t)))))
  (let* ((daemon (rlm--ensure-daemon))
         (sessions (unless file (append (rlm--request daemon 'rlm/sessions nil) nil)))
         (session (cond (file nil)
                        ((null sessions)
                         (user-error "rlm: No Claude Code, Codex or Aider session found for %s; C-u M-x rlm-summarize-session reads a file"
                                     (abbreviate-file-name (rlm--daemon-root daemon))))
                        ((called-interactively-p 'any) (rlm--read-session sessions))
                        (t (car sessions))))
         (file (or file (plist-get session :path)))
         (title (format "Summarize the session %s"
                        (if session
                            (format "“%s” (%s)" (or (plist-get session :title) (plist-get session :id))
                                    (plist-get session :tool))
                          (abbreviate-file-name file)))))
    (rlm--ask daemon 'rlm/summarizeSession (list :file file) title)))

;;;; The workspace

;;;###autoload
(defun rlm-reindex ()
  "Refresh the workspace's index now (only changed files are read)."
  (interactive)
  (let ((daemon (rlm--ensure-daemon)))
    (message "rlm: Reindexing %s…" (abbreviate-file-name (rlm--daemon-root daemon)))
    (jsonrpc-async-request
     daemon 'rlm/index nil
     :success-fn (lambda (result)
                   (message "rlm: Indexed %d files (%d changed, %s, about %d tokens) in %.2f s"
                            (plist-get result :files) (plist-get result :changed)
                            (file-size-human-readable (plist-get result :bytes))
                            (plist-get result :tokens) (plist-get result :seconds)))
     :error-fn (lambda (error) (message "rlm: Reindexing failed: %s" (rlm--error-text error)))
     :timeout nil)))

;;;###autoload
(defun rlm-status ()
  "Show the index state, the running questions and the spend so far.
Returns the text shown."
  (interactive)
  (let* ((daemon (rlm--ensure-daemon))
         (text (format "rlm %s: %s" (abbreviate-file-name (rlm--daemon-root daemon))
                       (rlm--status-text (rlm--request daemon 'rlm/status nil)))))
    (message "%s" text)
    text))

(defun rlm--pick-question (questions interactive)
  "One of QUESTIONS (jobs, newest first): the newest, or picked when INTERACTIVE."
  (if (or (null (cdr questions)) (not interactive))
      (car questions)
    (let* ((labels (mapcar (lambda (job) (cons (format "%s (%s)" (rlm--job-question job)
                                                       (rlm--job-summary job))
                                               job))
                           questions))
           (choice (completing-read "Cancel: " labels nil t nil nil (caar labels))))
      (cdr (assoc choice labels)))))

;;;###autoload
(defun rlm-cancel (&optional all)
  "Cancel the running question (the newest; which one when several).
With prefix argument ALL, cancel every running question.  The answer
buffer then names the partial trajectory."
  (interactive "P")
  (let ((questions (or (rlm--running-questions) (user-error "rlm: No question is running"))))
    (dolist (job (if all questions
                   (list (rlm--pick-question questions (called-interactively-p 'any)))))
      (rlm--cancel-job job)
      (message "rlm: Cancelling “%s”…" (rlm--job-question job)))))

;;;###autoload
(defun rlm-trajectory (&optional id)
  "Show the trajectory ID, turn by turn: code, outputs and sub-calls.
ID defaults to the current answer's; with a prefix argument, read it.
In the trajectory buffer, b opens the HTML viewer when rlmd has one."
  (interactive
   (list (let ((current (plist-get (rlm--current-answer) :trajectory)))
           (if (or current-prefix-arg (not current))
               (read-string (if current (format "Trajectory (default %s): " current) "Trajectory: ")
                            nil nil current)
             current))))
  (let* ((answer (rlm--current-answer))
         (id (or (and id (not (string-empty-p id)) id) (plist-get answer :trajectory)
                 (user-error "rlm: No trajectory to show; ask a question first")))
         (root (if (equal id (plist-get answer :trajectory)) (plist-get answer :root) (rlm--root)))
         (buffer (rlm--fetch-trajectory id root)))
    (display-buffer buffer)
    buffer))

;;;###autoload
(defun rlm-doctor ()
  "Check rlmd: the sandbox, each provider, and the workspace's index."
  (interactive)
  (rlm--doctor-start (rlm--root)))

;;;###autoload
(defun rlm-restart ()
  "Restart the daemon of this workspace."
  (interactive)
  (let ((root (rlm--root)))
    (when-let ((daemon (gethash root rlm--daemons)))
      (rlm--stop daemon))
    (rlm--ensure-daemon root)
    (message "rlm: Restarted rlmd for %s" (abbreviate-file-name root))))

;;;###autoload
(defun rlm-stop (&optional all)
  "Stop the daemon of this workspace; with prefix argument ALL, every daemon."
  (interactive "P")
  (let ((daemons (if all (rlm--live-daemons)
                   (let ((daemon (gethash (rlm--root) rlm--daemons)))
                     (and daemon (list daemon))))))
    (unless daemons
      (user-error "rlm: No daemon is running%s" (if all "" " for this workspace")))
    (mapc #'rlm--stop daemons)
    (message "rlm: Stopped %d daemon%s" (length daemons) (if (cdr daemons) "s" ""))))

;;;###autoload
(defvar rlm-command-map
  (let ((map (make-sparse-keymap)))
    (define-key map "a" #'rlm-ask)
    (define-key map "f" #'rlm-follow-up)
    (define-key map "s" #'rlm-summarize-session)
    (define-key map "i" #'rlm-reindex)
    (define-key map "?" #'rlm-status)
    (define-key map "c" #'rlm-cancel)
    (define-key map "t" #'rlm-trajectory)
    (define-key map "d" #'rlm-doctor)
    (define-key map "r" #'rlm-restart)
    (define-key map "q" #'rlm-stop)
    map)
  "The rlm commands, for you to bind to a prefix key of your choice.
For example: (global-set-key (kbd \"C-c r\") rlm-command-map).")

(provide 'rlm)
;;; rlm.el ends here
