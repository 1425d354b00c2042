;;; rlm-answer.el --- The answer buffer of rlm: answer, usage, citations  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; One reused `*rlm answer*' buffer in `rlm-answer-mode' shows the
;; current answer as Markdown: the question, the answer, a usage line,
;; why it is partial if it is, and its citations.  Each citation is a
;; `compilation'-style line, "path:line: text", whose "path:line" is a
;; button that visits the file at that line; `next-error' (M-g n) walks
;; them.  Citations the daemon could not find in its index are marked
;; and skipped; a session message citation (#N) is shown, not visited.
;;
;; The mode derives from `gfm-view-mode' when markdown-mode is
;; installed (it is optional and looked for when this file loads), else
;; from `special-mode'.

;;; Code:

(require 'button)
(require 'cl-lib)
(require 'subr-x)

(defconst rlm-answer-buffer-name "*rlm answer*"
  "The name of the buffer showing the current answer.")

(defface rlm-citation-unresolved '((t :inherit shadow :slant italic))
  "Face of citations the daemon did not find in its index."
  :group 'rlm)

(defvar-local rlm--answer nil
  "The answer shown in this buffer, a plist.
:root, :question, :result (the daemon's result),
:trajectory and :conversation, and :cancelled (non-nil for a
cancelled question, whose :trajectory is partial).")

(defvar-local rlm--citation-positions nil
  "Positions of the visitable citation lines of this answer buffer, in order.")

(defvar rlm-answer-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "TAB") #'forward-button)
    (define-key map (kbd "<backtab>") #'backward-button)
    (define-key map "n" #'rlm-answer-next-citation)
    (define-key map "p" #'rlm-answer-previous-citation)
    (define-key map "f" 'rlm-follow-up)
    (define-key map "t" 'rlm-trajectory)
    (define-key map "a" 'rlm-ask)
    (define-key map "q" #'quit-window)
    map)
  "Keymap of `rlm-answer-mode'.")

(defalias 'rlm--answer-parent-mode
  (if (and (require 'markdown-mode nil t) (fboundp 'gfm-view-mode)) 'gfm-view-mode 'special-mode)
  "The parent of `rlm-answer-mode'.
`gfm-view-mode' when markdown-mode is installed, else `special-mode'.")

(define-derived-mode rlm-answer-mode rlm--answer-parent-mode "rlm-answer"
  "Major mode of the rlm answer buffer.
Buttons visit the cited files; \\[next-error] walks the citations from
any buffer.

\\{rlm-answer-mode-map}"
  (setq buffer-read-only t)
  (setq-local truncate-lines nil)
  (setq-local next-error-function #'rlm--next-citation))

(defun rlm--true-p (value)
  "Non-nil when VALUE is JSON true."
  (eq value t))

(defun rlm--session-citation-p (citation)
  "Non-nil when CITATION names a session message (#N), not a file."
  (string-match-p "\\`\\(?:agent-[^#]*\\)?#[0-9]+\\'" (plist-get citation :path)))

(defun rlm--usage-line (result)
  "Format RESULT's usage on one line, with its trajectory and conversation."
  (let* ((usage (plist-get result :usage))
         (turns (or (plist-get usage :iterations) 0))
         (calls (or (plist-get usage :calls) 0)))
    (format "%d turn%s · %d model call%s · %d input + %d output tokens · $%.4f · trajectory %s%s"
            turns (if (= turns 1) "" "s") calls (if (= calls 1) "" "s")
            (or (plist-get usage :input) 0) (or (plist-get usage :output) 0)
            (or (plist-get result :costUsd) 0)
            (plist-get result :trajectory)
            (if-let ((conversation (plist-get result :conversation)))
                (format " · conversation %s" conversation) ""))))

(defun rlm--citation-location (citation)
  "The \"path:line\" of CITATION (just the path for a session message)."
  (if (rlm--session-citation-p citation)
      (plist-get citation :path)
    (format "%s:%d" (plist-get citation :path) (plist-get citation :startLine))))

(defun rlm--insert-citation (citation root)
  "Insert CITATION (relative to ROOT) as a line.
Returns the line's position when the citation can be visited."
  (let* ((start (point))
         (location (rlm--citation-location citation))
         (resolved (rlm--true-p (plist-get citation :resolved)))
         (session (rlm--session-citation-p citation))
         (lines (and (plist-get citation :excerpt) (split-string (plist-get citation :excerpt) "\n")))
         (range (let ((first (plist-get citation :startLine)) (last (plist-get citation :endLine)))
                  (if (and (not session) last (> last first)) (format " (lines %d-%d)" first last) ""))))
    (cond
     ((not resolved)
      (insert (propertize (concat location ": (not found in the index)")
                          'face 'rlm-citation-unresolved
                          'help-echo "The daemon did not find this in its index")))
     (t
      (insert-text-button location
                          'rlm-citation citation
                          'rlm-root root
                          'action #'rlm--citation-button-action
                          'follow-link t
                          'help-echo (if session "Show this session message"
                                       (format "Visit %s" location)))
      (insert ": " (or (car lines) "") range)))
    (insert "\n")
    (dolist (line (cdr lines))
      (insert "    " line "\n"))
    (and resolved (not session) start)))

(defun rlm--render-answer (root question result)
  "Show RESULT, the answer to QUESTION in ROOT, in the answer buffer; return it."
  (with-current-buffer (get-buffer-create rlm-answer-buffer-name)
    (unless (derived-mode-p 'rlm-answer-mode) (rlm-answer-mode))
    (let ((inhibit-read-only t)
          (positions nil)
          (citations (append (plist-get result :citations) nil)))
      (erase-buffer)
      (setq default-directory root)
      (insert "# " question "\n\n")
      (let ((answer (string-trim (or (plist-get result :answer) ""))))
        (insert (if (string-empty-p answer) "(no answer)" answer) "\n\n"))
      (insert "*" (rlm--usage-line result) "*\n")
      (when (rlm--true-p (plist-get result :partial))
        (insert "\n**Partial answer**: " (or (plist-get result :reason) "a budget ran out")
                " (raise `rlm-budgets' for a complete one)\n"))
      (when citations
        (insert "\n## Citations\n\n")
        (dolist (citation citations)
          (when-let ((position (rlm--insert-citation citation root)))
            (push position positions))))
      (setq rlm--citation-positions (nreverse positions))
      (setq rlm--answer (list :root root :question question :result result
                              :trajectory (plist-get result :trajectory)
                              :conversation (plist-get result :conversation)))
      (goto-char (point-min)))
    (current-buffer)))

(defun rlm--render-cancelled (root question trajectory)
  "Show that QUESTION in ROOT was cancelled, keeping its partial TRAJECTORY."
  (with-current-buffer (get-buffer-create rlm-answer-buffer-name)
    (unless (derived-mode-p 'rlm-answer-mode) (rlm-answer-mode))
    (let ((inhibit-read-only t))
      (erase-buffer)
      (setq default-directory root)
      (insert "# " question "\n\n**Cancelled.**")
      (if trajectory
          (progn
            (insert " Its partial trajectory is ")
            (insert-text-button trajectory 'action (lambda (_button) (rlm--open-trajectory trajectory))
                                'follow-link t 'help-echo "Show the partial trajectory")
            (insert " (M-x rlm-trajectory).\n"))
        (insert "\n"))
      (setq rlm--citation-positions nil)
      (setq rlm--answer (list :root root :question question :cancelled t :trajectory trajectory))
      (goto-char (point-min)))
    (current-buffer)))

(declare-function rlm-trajectory "rlm" (&optional id))

(defun rlm--open-trajectory (id)
  "Show the trajectory ID."
  (rlm-trajectory id))

(defun rlm--citation-file (citation root)
  "The file of CITATION, relative to ROOT; a `user-error' when it is gone."
  (let ((file (expand-file-name (plist-get citation :path) root)))
    (unless (file-exists-p file)
      (user-error "rlm: %s no longer exists in %s" (plist-get citation :path) (abbreviate-file-name root)))
    file))

(defun rlm--visit-citation (citation root)
  "Visit CITATION (relative to ROOT) in another window, at its line."
  (if (rlm--session-citation-p citation)
      (message "%s: %s" (plist-get citation :path) (or (plist-get citation :excerpt) ""))
    (let ((buffer (find-file-noselect (rlm--citation-file citation root))))
      (pop-to-buffer buffer '(nil (inhibit-same-window . t)))
      (let ((position (save-restriction
                        (widen)
                        (goto-char (point-min))
                        (forward-line (1- (plist-get citation :startLine)))
                        (point))))
        (unless (<= (point-min) position (point-max))
          (widen))
        (goto-char position)
        (set-window-point (selected-window) position)))))

(defun rlm--citation-button-action (button)
  "Visit the citation of BUTTON."
  (rlm--visit-citation (button-get button 'rlm-citation) (button-get button 'rlm-root)))

(defun rlm--citation-target (n from)
  "The position of the Nth visitable citation after FROM (before, when N < 0).
N = 0 means the citation line at or before FROM."
  (cond
   ((> n 0) (nth (1- n) (cl-remove-if-not (lambda (p) (> p from)) rlm--citation-positions)))
   ((< n 0) (nth (1- (- n)) (reverse (cl-remove-if-not (lambda (p) (< p from)) rlm--citation-positions))))
   (t (car (last (cl-remove-if-not (lambda (p) (<= p from)) rlm--citation-positions))))))

(defun rlm--next-citation (n &optional reset)
  "Visit the Nth next citation of the answer (the `next-error-function').
RESET means start from the first citation."
  (let* ((from (if reset (1- (point-min)) (point)))
         (target (rlm--citation-target (if (and reset (<= n 0)) 1 n) from)))
    (unless target
      (let ((skipped (cl-count-if-not (lambda (c) (rlm--true-p (plist-get c :resolved)))
                                      (plist-get (plist-get rlm--answer :result) :citations))))
        (user-error "rlm: No %s citations%s" (if (< n 0) "previous" "more")
                    (if (> skipped 0) (format " (%d not found in the index)" skipped) ""))))
    (goto-char target)
    (dolist (window (get-buffer-window-list (current-buffer) nil t))
      (set-window-point window target))
    (let ((citation (get-text-property (point) 'rlm-citation)))
      (rlm--visit-citation citation (plist-get rlm--answer :root)))))

(defun rlm-answer-next-citation (n)
  "Move to the Nth next citation button of the answer buffer."
  (interactive "p")
  (let ((target (rlm--citation-target n (point))))
    (if target (goto-char target) (user-error "rlm: No more citations"))))

(defun rlm-answer-previous-citation (n)
  "Move to the Nth previous citation button of the answer buffer."
  (interactive "p")
  (rlm-answer-next-citation (- n)))

(defun rlm--show-answer-buffer ()
  "Display the answer buffer and make it the `next-error' buffer."
  (let ((buffer (get-buffer rlm-answer-buffer-name)))
    (setq next-error-last-buffer buffer)
    (display-buffer buffer)
    buffer))

(defun rlm--current-answer ()
  "The plist of the current answer, or nil."
  (when-let ((buffer (get-buffer rlm-answer-buffer-name)))
    (buffer-local-value 'rlm--answer buffer)))

(provide 'rlm-answer)
;;; rlm-answer.el ends here
