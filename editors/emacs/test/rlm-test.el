;;; rlm-test.el --- ERT tests of rlm against the real rlmd  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by Tests/editors/test_emacs.py, a few tests per Emacs process:
;;   emacs --batch -Q -L editors/emacs -l editors/emacs/test/rlm-test.el \
;;         --eval "(ert-run-tests-batch-and-exit '(member rlm-test-ask))"
;; in an environment where the real rlmd (on PATH) answers from the
;; tests' scripted LM server.  The driver chooses the script of each
;; process and checks what reached the model; these tests check what
;; Emacs shows.  Each test works whichever ran before it in the process.
;; RLM_TEST_WORKSPACE is the sample git workspace; RLM_TEST_SESSION a
;; Claude Code session file of it (for the summary test).

;;; Code:

(require 'ert)
(require 'rlm)

;; Messages are compared as written: `like this'.
(setq text-quoting-style 'grave)

(defconst rlm-test-workspace (file-name-as-directory (or (getenv "RLM_TEST_WORKSPACE") default-directory))
  "The sample workspace the driver made.")

(defconst rlm-test-timeout (string-to-number (or (getenv "RLM_TEST_TIMEOUT") "30"))
  "Seconds any one wait may take.")

(defun rlm-test--wait (what predicate)
  "Wait until PREDICATE returns non-nil (returned), failing with WHAT after a while."
  (let ((deadline (+ (float-time) rlm-test-timeout))
        value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (or value (ert-fail (format "timed out waiting for %s" what)))))

(defun rlm-test--visit (file)
  "Visit FILE of the workspace in the selected window, alone."
  (delete-other-windows)
  (find-file (expand-file-name file rlm-test-workspace)))

(defun rlm-test--answer-text ()
  "The text of the answer buffer."
  (with-current-buffer rlm-answer-buffer-name (buffer-string)))

(defun rlm-test--wait-answer (question)
  "Wait for the answer buffer to show the answer to QUESTION; return its text."
  (rlm-test--wait (format "the answer to %S" question)
                  (lambda () (let ((answer (rlm--current-answer)))
                               (and (equal (plist-get answer :question) question)
                                    (or (plist-get answer :result) (plist-get answer :cancelled))))))
  (rlm-test--answer-text))

(defun rlm-test--selected-location ()
  "The file and line of the selected window's point, as (FILE . LINE)."
  (let ((window (selected-window)))
    (cons (buffer-file-name (window-buffer window))
          (with-current-buffer (window-buffer window) (line-number-at-pos (window-point window))))))

(defun rlm-test--workspace-file (file)
  "The absolute file name of FILE in the workspace."
  (expand-file-name file rlm-test-workspace))

(defmacro rlm-test--capturing-messages (var &rest body)
  "Run BODY with every `message' also pushed, formatted, onto VAR."
  (declare (indent 1))
  (let ((advice (make-symbol "advice")))
    `(let ((,advice (lambda (format-string &rest args)
                      (when format-string (push (apply #'format-message format-string args) ,var)))))
       (advice-add 'message :before ,advice)
       (unwind-protect (progn ,@body)
         (advice-remove 'message ,advice)))))

(defun rlm-test--press (text)
  "Press the citation button whose label is TEXT in the answer buffer."
  (with-current-buffer rlm-answer-buffer-name
    (goto-char (point-min))
    (search-forward "## Citations\n")
    (search-forward text)
    (let ((button (button-at (match-beginning 0))))
      (should button)
      (push-button (match-beginning 0)))))

;;;; Ask

(ert-deftest rlm-test-ask ()
  "Ask; the answer buffer shows the answer, usage and citations; buttons and next-error visit them."
  (rlm-test--visit "src/app.py")
  (let ((seen nil) (messages nil))
    (add-variable-watcher 'rlm-mode-line (lambda (_symbol value _operation _where) (push value seen)))
    (rlm-test--capturing-messages messages
      (rlm-ask "Where is retry defined?")
      (rlm-test--wait-answer "Where is retry defined?"))
    ;; The echo area showed each report.
    (should (member "rlm: Where is retry defined?: turn 2 · 0 sub-calls · 34 tokens" messages))
    (let ((text (rlm-test--answer-text)))
      (should (string-prefix-p "# Where is retry defined?\n\n" text))
      (should (string-match-p (regexp-quote "retry() is defined at src/retry.py:1 and used by src/app.py:5; see also src/gone.py:3.") text))
      (should (string-match-p "2 turns · 2 model calls · 24 input \\+ 10 output tokens · \\$0.0000 · trajectory [0-9a-f]+ · conversation [0-9a-f]+" text))
      (should (string-match-p (regexp-quote "## Citations\n\nsrc/retry.py:1: def retry(call, attempts=3):\nsrc/app.py:5:     return retry(lambda: 42)\nsrc/gone.py:3: (not found in the index)\n") text)))
    ;; The mode line followed the question turn by turn, then emptied.
    (setq seen (reverse seen))
    (should (member " rlm[turn 1 · 17 tokens · $0.0000]" seen))
    (should (member " rlm[turn 2 · 34 tokens · $0.0000]" seen))
    (should (equal rlm-mode-line ""))
    (should (memq 'rlm-mode-line global-mode-string)))
  (with-current-buffer rlm-answer-buffer-name
    (should (derived-mode-p 'rlm-answer-mode))
    (should (eq (derived-mode-p 'gfm-view-mode 'special-mode)
                (if (featurep 'markdown-mode) 'gfm-view-mode 'special-mode)))
    (should (eq next-error-function #'rlm--next-citation))
    ;; The unresolved citation is no button.
    (goto-char (point-min))
    (search-forward "src/gone.py:3")
    (should-not (button-at (match-beginning 0))))
  ;; M-g n from another buffer walks the resolved citations, then says what it skipped.
  (switch-to-buffer "*scratch*")
  (delete-other-windows)
  (should (eq (key-binding (kbd "M-g n")) 'next-error))
  (call-interactively #'next-error)
  (should (equal (rlm-test--selected-location) (cons (rlm-test--workspace-file "src/retry.py") 1)))
  (call-interactively #'next-error)
  (should (equal (rlm-test--selected-location) (cons (rlm-test--workspace-file "src/app.py") 5)))
  (should (equal (cadr (should-error (call-interactively #'next-error) :type 'user-error))
                 "rlm: No more citations (1 not found in the index)"))
  (next-error '(4))
  (should (equal (rlm-test--selected-location) (cons (rlm-test--workspace-file "src/retry.py") 1)))
  ;; Buttons visit the cited line.
  (rlm-test--press "src/app.py:5")
  (should (equal (rlm-test--selected-location) (cons (rlm-test--workspace-file "src/app.py") 5)))
  (rlm-test--press "src/retry.py:1")
  (should (equal (rlm-test--selected-location) (cons (rlm-test--workspace-file "src/retry.py") 1))))

(ert-deftest rlm-test-ask-region ()
  "With an active region, its text and path:start-end go along; the prompt says so."
  (rlm-test--visit "src/retry.py")
  (transient-mark-mode 1)
  (goto-char (point-min))
  (set-mark (point))
  (forward-line 2)
  (activate-mark)
  (let (prompt)
    (cl-letf (((symbol-function 'read-string)
               (lambda (p &rest _) (setq prompt p) "What does this do?")))
      (call-interactively #'rlm-ask))
    (should (equal prompt "Ask about src/retry.py:1-2: ")))
  (should-not (region-active-p))
  (let ((text (rlm-test--wait-answer "What does this do?")))
    (should (string-match-p (regexp-quote "retry() is defined at src/retry.py:1.") text))
    (should (string-match-p (regexp-quote "src/retry.py:1: def retry(call, attempts=3):") text))))

(ert-deftest rlm-test-follow-up ()
  "A follow-up asks in the same conversation and replaces the answer."
  (rlm-test--visit "src/app.py")
  (rlm-ask "Where is retry defined?")
  (rlm-test--wait-answer "Where is retry defined?")
  (let ((conversation (plist-get (rlm--current-answer) :conversation)))
    (should (stringp conversation))
    (rlm-follow-up "And where is it used?")
    (let ((text (rlm-test--wait-answer "And where is it used?")))
      (should (string-prefix-p "# And where is it used?\n" text))
      (should (string-match-p (regexp-quote "retry() is defined at src/retry.py:1") text))
      (should (string-match-p (concat "conversation " conversation) text)))
    (should (equal (plist-get (rlm--current-answer) :conversation) conversation))))

(ert-deftest rlm-test-follow-up-needs-an-answer ()
  "With no answer yet, the follow-up says to ask first."
  (rlm-test--visit "src/app.py")
  (when (get-buffer rlm-answer-buffer-name) (kill-buffer rlm-answer-buffer-name))
  (should (string-match-p "ask first with M-x rlm-ask"
                          (cadr (should-error (rlm-follow-up "Why?") :type 'user-error)))))

;;;; Budgets

(ert-deftest rlm-test-partial-answer-with-budget ()
  "`rlm-budgets' reach the daemon; a question that hits one shows why its answer is partial."
  (rlm-test--visit "src/app.py")
  (when-let ((daemon (gethash (rlm--root) rlm--daemons))) (rlm--stop daemon))
  (let ((rlm-budgets '(:maxIterations 2)))
    (rlm-ask "Will you ever finish?")
    (let ((text (rlm-test--wait-answer "Will you ever finish?")))
      (should (string-match-p "\n\n(no answer)\n\n\\*2 turns · 3 model calls · " text))
      (should (string-match-p (regexp-quote "**Partial answer**: the turn limit was reached (2 turns) (raise `rlm-budgets' for a complete one)") text))))
  ;; A wrong budget is refused before a daemon starts.
  (let ((rlm-budgets '(:maxWhatever 3)))
    (should (equal (cadr (should-error (rlm-restart) :type 'user-error))
                   "rlm: `rlm-budgets' has the unknown key :maxWhatever (known: :maxIterations :maxCalls :maxUsd :maxTokens :maxSeconds :maxDepth)")))
  (should-not (gethash (rlm--root) rlm--daemons)))

;;;; Cancel

(ert-deftest rlm-test-cancel ()
  "Cancelling a running question ends in the cancelled state, naming its partial trajectory."
  (rlm-test--visit "src/app.py")
  (should-error (rlm-cancel) :type 'user-error)
  (rlm-ask "Sleep on it")
  ;; Turn 1 reported: the model answered and its cell now sleeps for 60 s.
  (rlm-test--wait "turn 1 in the mode line" (lambda () (string-match-p "turn 1" rlm-mode-line)))
  (should (= (length (rlm--running-questions)) 1))
  (let ((messages nil))
    (rlm-test--capturing-messages messages
      (rlm-cancel)
      (let ((text (rlm-test--wait-answer "Sleep on it")))
        (should (string-match-p "\\*\\*Cancelled\\.\\*\\* Its partial trajectory is [0-9a-f]+" text))))
    (let ((trajectory (plist-get (rlm--current-answer) :trajectory)))
      (should (stringp trajectory))
      (should (member (format "rlm: Cancelled “Sleep on it”; its partial trajectory is %s (M-x rlm-trajectory)" trajectory)
                      messages))
      (should (equal rlm-mode-line ""))
      (should-not (rlm--running-questions))
      ;; The partial trajectory shows the turn that was cut short.
      (with-current-buffer (rlm-trajectory)
        (should (string-match-p (concat "Trajectory " trajectory) (buffer-string)))
        (should (string-match-p "time.sleep(60)" (buffer-string)))))))

;;;; Sessions

(ert-deftest rlm-test-summarize-session ()
  "The picker lists the workspace's sessions, newest by default; the summary opens."
  (rlm-test--visit "src/app.py")
  (let (collection default)
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt table &optional _predicate _require _initial _history default-value &rest _)
                 (setq collection (all-completions "" table) default default-value)
                 default-value)))
      (call-interactively #'rlm-summarize-session))
    (should (= (length collection) 1))
    (should (equal default (car collection)))
    (should (string-match-p "\\`claude +Cache design +444 +2026-11-01 12:00 " default))
    (should (string-match-p " 2 messages +s1\\'" default)))
  (let ((text (rlm-test--wait-answer "Summarize the session “Cache design” (claude)")))
    (should (string-match-p (regexp-quote "Goal: use Redis for the cache (#2).") text))
    ;; A session message is shown, not visited.
    (should (string-match-p "^#2: .*Let us use Redis" text))
    (with-current-buffer rlm-answer-buffer-name
      (should-not rlm--citation-positions))))

(ert-deftest rlm-test-summarize-session-file ()
  "From Lisp with a file, that session is summarized."
  (rlm-test--visit "src/app.py")
  (let ((file (getenv "RLM_TEST_SESSION")))
    (rlm-summarize-session file)
    (should (string-match-p (regexp-quote "Goal: use Redis for the cache (#2).")
                            (rlm-test--wait-answer (format "Summarize the session %s" (abbreviate-file-name file)))))))

;;;; Trajectory, status, reindex

(ert-deftest rlm-test-trajectory ()
  "The trajectory buffer shows turns, code, outputs and sub-calls; b offers the HTML viewer."
  (rlm-test--visit "src/app.py")
  (rlm-ask "What does retry do?")
  (rlm-test--wait-answer "What does retry do?")
  (let* ((id (plist-get (rlm--current-answer) :trajectory))
         (buffer (call-interactively #'rlm-trajectory))
         (text (with-current-buffer buffer (buffer-string))))
    (should (string-prefix-p (format "Trajectory %s · repository · root-model (sub-calls: sub-model)" id) text))
    (should (string-match-p "Question:\n  What does retry do\\?" text))
    (should (string-match-p "Turn 1 · 12 input \\+ 5 output tokens\n" text))
    (should (string-match-p (regexp-quote "    Code:\n      x = llm_query('Summarize retry')\n      print(x)\n") text))
    (should (string-match-p (regexp-quote "    Output:\n      It retries three times.\n") text))
    (should (string-match-p "  Sub-call 1 · llm_query · sub-model · [0-9]+ ms · 12 \\+ 5 tokens" text))
    (should (string-match-p (regexp-quote "    Response:\n      It retries three times.\n") text))
    (should (string-match-p "Turn 2 " text))
    (should (string-match-p (regexp-quote "    FINAL:\n      It retries three times.") text))
    (with-current-buffer buffer
      (should (derived-mode-p 'rlm-trajectory-mode))
      (goto-char (point-min))
      (rlm-trajectory-next-turn 1)
      (should (looking-at "Turn 1"))
      ;; The HTML viewer: the daemon writes the page and rlm opens it.
      (let ((browsed nil) (messages nil))
        (cl-letf (((symbol-function 'browse-url-of-file) (lambda (file) (setq browsed file))))
          (rlm-test--capturing-messages messages
            (rlm-trajectory-browse)))
        (ignore messages)
        (should browsed)
        (should (file-exists-p browsed))
        (should (string-suffix-p ".html" browsed))))))

(ert-deftest rlm-test-status-and-reindex ()
  "Status shows the index and the spend; reindex reports what it read."
  (rlm-test--visit "src/app.py")
  (let ((status (rlm-status)))
    (should (string-match-p (concat "\\`rlm " (regexp-quote (abbreviate-file-name rlm-test-workspace))
                                    ": index \\(ready\\|building\\)")
                            status))
    (should (string-match-p "sandbox \\(bubblewrap\\|unshare\\|none\\)\\'" status)))
  (let ((messages nil))
    (rlm-test--capturing-messages messages
      (rlm-reindex)
      (rlm-test--wait "the reindex report"
                      (lambda () (cl-find-if (lambda (m) (string-prefix-p "rlm: Indexed" m)) messages))))
    (should (cl-find-if (lambda (m) (string-match-p "\\`rlm: Indexed 3 files (0 changed, " m)) messages)))
  (should (string-match-p "index ready (3 files) · nothing running" (rlm-status))))

;;;; Health, errors, restarts

(ert-deftest rlm-test-doctor ()
  "The doctor shows the daemon and index, the sandbox and its layers, and the providers."
  (rlm-test--visit "src/app.py")
  (let ((process (rlm-doctor)))
    (rlm-test--wait "rlmd doctor to finish" (lambda () (not (process-live-p process))))
    (rlm-test--wait "the doctor report" (lambda () (null rlm--doctor-process))))
  (let ((text (with-current-buffer rlm-doctor-buffer-name (buffer-string))))
    (should (string-match-p "^rlmd: /.*/rlmd$" text))
    ;; The daemon started with the doctor: its first index build may still run.
    (should (string-match-p "^Daemon: running (rlmd [0-9.]+) · index \\(ready (3 files)\\|building\\) · nothing running" text))
    (should (string-match-p "^Sandbox: \\(bubblewrap\\|unshare\\|none\\) · \\(ok\\|NOT OK\\) · python [0-9.]+$" text))
    (should (string-match-p "^  [+-] network " text))
    (should (string-match-p "^Providers:\n  openai (default): ok · model root-model · http://127.0.0.1:[0-9]+/v1$" text))
    (should (string-match-p "^Settings: rlm-provider (rlmd's)" text))))

(ert-deftest rlm-test-missing-rlmd ()
  "Without rlmd on PATH, or at a wrong configured path, the error says how to get it."
  (rlm-test--visit "src/app.py")
  (let ((text (cadr (should-error (rlm-ask "Anything?") :type 'user-error))))
    (should (string-match-p "\\`rlm: Cannot find rlmd on `exec-path'; build it with `make release' in the rlmd checkout, then put its .build/release on PATH, or set `rlm-executable'" text)))
  (let ((rlm-executable "/nonexistent/rlmd"))
    (should (string-match-p "\\`rlm: `rlm-executable' is /nonexistent/rlmd, which is not an executable file; build it with `make release'"
                            (cadr (should-error (rlm-status) :type 'user-error)))))
  (should (= (hash-table-count rlm--daemons) 0)))

(ert-deftest rlm-test-no-provider ()
  "With no provider configured, the question's error says which variable or file to set."
  (rlm-test--visit "src/app.py")
  (let ((messages nil))
    (rlm-test--capturing-messages messages
      (rlm-ask "Anything?")
      (rlm-test--wait "the error" (lambda () (cl-find-if (lambda (m) (string-prefix-p "rlm: “Anything?” failed" m)) messages))))
    (should (cl-find-if (lambda (m) (string-match-p "failed: no model provider is configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY, point RLMD_BASE_URL at an OpenAI-compatible server, name a provider in ~/.config/rlmd/config.toml, or set `rlm-provider' / `rlm-base-url'" m))
                        messages))
    (should-not (rlm--running-questions))
    ;; The first index build, which the question did not wait for, still ends.
    (rlm-test--wait "an empty mode line" (lambda () (equal rlm-mode-line "")))))

(ert-deftest rlm-test-restart-after-exit ()
  "A daemon that dies is reported with its last stderr lines and starts again on the next command."
  (rlm-test--visit "src/app.py")
  (when-let ((daemon (gethash (rlm--root) rlm--daemons))) (rlm--stop daemon))
  ;; With debug logs (through `rlm-args'), the daemon writes on stderr.
  (let ((rlm-args '("--log-level" "debug")))
    (rlm-test--restart-after-exit)))

(defun rlm-test--restart-after-exit ()
  "The body of `rlm-test-restart-after-exit'."
  (rlm-ask "Where is retry defined?")
  (rlm-test--wait-answer "Where is retry defined?")
  (let* ((daemon (gethash (rlm--root) rlm--daemons))
         (process (rlm--daemon-proc daemon))
         (messages nil))
    (rlm-test--capturing-messages messages
      (signal-process process 'KILL)
      (rlm-test--wait "the daemon to be forgotten" (lambda () (null (gethash (rlm--root) rlm--daemons)))))
    (let ((report (cl-find-if (lambda (m) (string-prefix-p "rlm: rlmd for" m)) messages)))
      (should report)
      (should (string-match-p (concat "\\`rlm: rlmd for " (regexp-quote (abbreviate-file-name rlm-test-workspace))
                                      " exited (killed by signal 9); it starts again on the next command\\.")
                              report))
      (should (string-match-p "The last lines of its stderr (\\*rlm stderr: .*\\*):\n\\(?:.*\n\\)*.* debug rlmd\\.daemon: " report)))
    ;; The next command starts a new daemon, which answers.
    (should (string-match-p "index \\(ready\\|building\\)" (rlm-status)))
    (let ((again (gethash (rlm--root) rlm--daemons)))
      (should again)
      (should-not (eq again daemon))
      (should (process-live-p (rlm--daemon-proc again))))
    (rlm-ask "Where is retry defined, again?")
    (should (string-match-p "src/retry.py:1" (rlm-test--wait-answer "Where is retry defined, again?")))
    ;; rlm-restart and rlm-stop end it without complaint.
    (let ((before (gethash (rlm--root) rlm--daemons)))
      (rlm-restart)
      (should-not (eq before (gethash (rlm--root) rlm--daemons)))
      (should-not (process-live-p (rlm--daemon-proc before)))
      (should (eql (process-exit-status (rlm--daemon-proc before)) 0)))
    (let ((last (gethash (rlm--root) rlm--daemons)))
      (rlm-stop)
      (should (= (hash-table-count rlm--daemons) 0))
      (should (eql (process-exit-status (rlm--daemon-proc last)) 0)))))

(provide 'rlm-test)
;;; rlm-test.el ends here
