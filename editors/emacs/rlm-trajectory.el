;;; rlm-trajectory.el --- What a question did, turn by turn, in a buffer  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; `rlm/trajectory' answers a question's trajectory as JSON Lines: a
;; metadata line, then one line per turn with the model's reply, the
;; Python cells it ran and their outputs, and its sub-calls (recursive
;; ones carry their own turns).  This file renders them in the
;; `*rlm trajectory*' buffer, and opens the daemon's HTML viewer in a
;; browser when the daemon writes one.

;;; Code:

(require 'cl-lib)
(require 'jsonrpc)
(require 'subr-x)
(require 'rlm-client)

(defcustom rlm-trajectory-max-lines 30
  "Lines shown of each prompt, reply and output in the trajectory buffer."
  :type 'integer
  :group 'rlm)

(defconst rlm-trajectory-buffer-name "*rlm trajectory*"
  "The name of the buffer showing a trajectory.")

(defvar-local rlm--trajectory nil
  "The trajectory shown in this buffer: (:id ID :root ROOT).")

(defvar rlm-trajectory-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map "b" #'rlm-trajectory-browse)
    (define-key map "g" #'rlm-trajectory-refresh)
    (define-key map "n" #'rlm-trajectory-next-turn)
    (define-key map "p" #'rlm-trajectory-previous-turn)
    map)
  "Keymap of `rlm-trajectory-mode'.")

(define-derived-mode rlm-trajectory-mode special-mode "rlm-trajectory"
  "Major mode of the rlm trajectory buffer: turns, code, outputs, sub-calls.

\\{rlm-trajectory-mode-map}"
  (setq-local outline-regexp " *Turn [0-9]+")
  (setq-local truncate-lines nil))

(defun rlm--trajectory-parse (jsonl)
  "The JSON objects of the lines of JSONL, as plists."
  (mapcar #'rlm--json-parse (split-string jsonl "\n" t "[ \t\r]+")))

(defun rlm--trajectory-insert-text (indent label text)
  "Insert LABEL, then TEXT indented by INDENT + 2 and cut to a few lines."
  (when (and text (not (string-empty-p (string-trim text))))
    (let* ((lines (split-string (string-trim-right text) "\n"))
           (shown (cl-subseq lines 0 (min (length lines) rlm-trajectory-max-lines)))
           (pad (make-string (+ indent 2) ?\s)))
      (insert (make-string indent ?\s) label ":\n")
      (dolist (line shown) (insert pad line "\n"))
      (when (> (length lines) (length shown))
        (insert pad (format "… %d more lines (the HTML view has them all: b)\n"
                            (- (length lines) (length shown))))))))

(defun rlm--trajectory-insert-turns (turn-list indent)
  "Insert each turn of TURN-LIST (plists), indented by INDENT."
  (dolist (turn turn-list)
    (let ((pad (make-string indent ?\s))
          (usage (plist-get turn :usage)))
      (insert pad (propertize (format "Turn %s" (plist-get turn :iteration)) 'face 'bold)
              (if usage (format " · %d input + %d output tokens"
                                (or (plist-get usage :input) 0) (or (plist-get usage :output) 0))
                "")
              "\n")
      (rlm--trajectory-insert-text (+ indent 2) "Reply" (plist-get turn :reply))
      (let ((number 0))
        (dolist (cell (append (plist-get turn :cells) nil))
          (let ((result (plist-get cell :result)))
            (insert pad (format "  Cell %d" (cl-incf number))
                    (if-let ((ms (plist-get result :durationMs))) (format " · %.0f ms" ms) "")
                    (if (eq (plist-get result :timedOut) t) " · timed out" "")
                    (if (eq (plist-get result :stateLost) t) " · REPL restarted, variables lost" "")
                    "\n")
            (rlm--trajectory-insert-text (+ indent 4) "Code" (plist-get cell :code))
            (rlm--trajectory-insert-text (+ indent 4) "Output" (plist-get result :stdout))
            (rlm--trajectory-insert-text (+ indent 4) "Stderr" (plist-get result :stderr))
            (rlm--trajectory-insert-text (+ indent 4) "Error" (plist-get result :error))
            (rlm--trajectory-insert-text (+ indent 4) "FINAL" (plist-get result :final)))))
      (let ((number 0))
        (dolist (call (append (plist-get turn :subCalls) nil))
          (let ((usage (plist-get call :usage)))
            (insert pad (format "  Sub-call %d · %s · %s" (cl-incf number)
                                (or (plist-get call :kind) "call") (or (plist-get call :model) "?"))
                    (if-let ((ms (plist-get call :milliseconds))) (format " · %.0f ms" ms) "")
                    (if usage (format " · %d + %d tokens"
                                      (or (plist-get usage :input) 0) (or (plist-get usage :output) 0))
                      "")
                    (if-let ((cost (plist-get call :costUSD))) (format " · $%.4f" cost) "")
                    "\n")
            (rlm--trajectory-insert-text (+ indent 4) "Prompt" (plist-get call :prompt))
            (rlm--trajectory-insert-text (+ indent 4) "Response" (plist-get call :response))
            (rlm--trajectory-insert-text (+ indent 4) "Error" (plist-get call :error))
            (when-let ((child (append (plist-get call :child) nil)))
              (rlm--trajectory-insert-turns child (+ indent 4)))))))
    (insert "\n")))

(defun rlm--render-trajectory (id root jsonl)
  "Show the trajectory ID of ROOT, given as JSONL, in its buffer; return it."
  (let* ((records (rlm--trajectory-parse jsonl))
         (meta (car records))
         (usage (plist-get meta :usage)))
    (with-current-buffer (get-buffer-create rlm-trajectory-buffer-name)
      (let ((inhibit-read-only t))
        (rlm-trajectory-mode)
        (erase-buffer)
        (setq default-directory root)
        (setq rlm--trajectory (list :id id :root root))
        (insert (propertize (format "Trajectory %s" (or (plist-get meta :id) id)) 'face 'bold)
                (format " · %s · %s (sub-calls: %s) · %s\n"
                        (or (plist-get meta :kind) "question") (or (plist-get meta :model) "?")
                        (or (plist-get meta :subModel) "?") (or (plist-get meta :createdAt) "")))
        (rlm--trajectory-insert-text 0 "Question" (plist-get meta :question))
        (rlm--trajectory-insert-text 0 "Answer" (plist-get meta :answer))
        (when (eq (plist-get meta :partial) t)
          (insert (format "Partial: %s\n" (or (plist-get meta :reason) "yes"))))
        (when usage
          (insert (format "Usage: %d turns · %d model calls · %d input + %d output tokens · $%.4f\n"
                          (or (plist-get usage :iterations) 0) (or (plist-get usage :calls) 0)
                          (or (plist-get usage :input) 0) (or (plist-get usage :output) 0)
                          (or (plist-get usage :costUSD) 0))))
        (insert-text-button "[Open in browser]" 'action (lambda (_button) (rlm-trajectory-browse))
                            'follow-link t 'help-echo "Open the HTML viewer of this trajectory (b)")
        (insert "\n\n")
        (if (cdr records)
            (rlm--trajectory-insert-turns (cdr records) 0)
          (insert "No turns recorded.\n"))
        (goto-char (point-min)))
      (current-buffer))))

(defun rlm--fetch-trajectory (id root)
  "Fetch the trajectory ID from ROOT's daemon and show it; return the buffer."
  (let ((result (rlm--request (rlm--ensure-daemon root) 'rlm/trajectory (list :id id))))
    (rlm--render-trajectory id root (plist-get result :jsonl))))

(defun rlm-trajectory-refresh ()
  "Fetch the trajectory of this buffer again."
  (interactive)
  (let ((state (or rlm--trajectory (user-error "rlm: This buffer shows no trajectory"))))
    (rlm--fetch-trajectory (plist-get state :id) (plist-get state :root))))

(defun rlm--trajectory-turn-move (n)
  "Move to the start of the Nth next turn heading (previous when N < 0)."
  (let ((found (save-excursion
                 (forward-line (if (> n 0) 1 0))
                 (and (re-search-forward "^ *Turn [0-9]+" nil t n) (line-beginning-position)))))
    (if found (goto-char found) (user-error "rlm: No %s turn" (if (> n 0) "next" "previous")))))

(defun rlm-trajectory-next-turn (n)
  "Move to the Nth next turn."
  (interactive "p")
  (rlm--trajectory-turn-move n))

(defun rlm-trajectory-previous-turn (n)
  "Move to the Nth previous turn."
  (interactive "p")
  (rlm--trajectory-turn-move (- n)))

(defun rlm-trajectory-browse ()
  "Open the trajectory of this buffer in the daemon's HTML viewer.
Says so when the daemon has no HTML viewer; the buffer view stays."
  (interactive)
  (let* ((state (or (buffer-local-value 'rlm--trajectory
                                        (or (get-buffer rlm-trajectory-buffer-name) (current-buffer)))
                    (user-error "rlm: No trajectory is shown")))
         (result (condition-case err
                     (jsonrpc-request (rlm--ensure-daemon (plist-get state :root)) 'rlm/trajectory
                                      (list :id (plist-get state :id) :format "html")
                                      :timeout rlm-request-timeout)
                   (jsonrpc-error (list :error (rlm--error-text (rlm--jsonrpc-error-plist err))))))
         (file (plist-get result :path)))
    (if (and (stringp file) (file-exists-p file))
        (progn (browse-url-of-file file) file)
      (message "rlm: The HTML viewer is unavailable from this rlmd%s; %s shows the trajectory"
               (if (plist-get result :error) (format " (%s)" (plist-get result :error)) "")
               rlm-trajectory-buffer-name)
      nil)))

(provide 'rlm-trajectory)
;;; rlm-trajectory.el ends here
