;;; rlm-progress.el --- What rlm's daemons are doing: jobs, progress, the mode line  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; Each question and each index build a daemon reports on is an
;; `rlm--job', keyed by its work-done progress token.  This file records
;; the daemons' `$/progress' reports on them, shows them in the global
;; mode-line segment `rlm-mode-line' and in the echo area, and turns an
;; `rlm/status' result into the line `rlm-status' shows.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'rlm-process)

(defcustom rlm-echo-progress t
  "Non-nil means show each progress report in the echo area too."
  :type 'boolean
  :group 'rlm)

(defcustom rlm-show-mode-line t
  "Non-nil means add `rlm-mode-line' to `global-mode-string'.
Set it to nil to place the `rlm-mode-line' segment yourself."
  :type 'boolean
  :group 'rlm)

(defvar rlm-mode-line ""
  "The mode-line segment of rlm: what the running questions are doing.
Empty while nothing runs; e.g. \" rlm[turn 2 · 34 tokens · $0.0000]\".")
(put 'rlm-mode-line 'risky-local-variable t)

(defvar rlm--mode-line-map
  (let ((map (make-sparse-keymap)))
    (define-key map [mode-line mouse-1] 'rlm-status)
    map)
  "Keymap of the `rlm-mode-line' segment.")

(defvar rlm--token-counter 0
  "The last number used in a work-done progress token.")

(cl-defstruct (rlm--job (:constructor rlm--make-job))
  "Something a daemon reports progress on: a question or an index build."
  token kind title question daemon (started (float-time)) (updated (float-time))
  turn sub-calls tokens cost percentage message trajectory conversation reason ended)

(defun rlm--next-token ()
  "A new work-done progress token."
  (format "rlm-%d" (cl-incf rlm--token-counter)))

(defun rlm--install-mode-line ()
  "Add `rlm-mode-line' to `global-mode-string' when `rlm-show-mode-line'."
  (when (and rlm-show-mode-line (not (memq 'rlm-mode-line global-mode-string)))
    (setq global-mode-string
          (append (if (listp global-mode-string) global-mode-string (list global-mode-string))
                  '(rlm-mode-line)))))

(defun rlm--running-jobs ()
  "The jobs of every daemon that have not ended, most recently updated first."
  (let (jobs)
    (dolist (daemon (rlm--live-daemons))
      (maphash (lambda (_token job) (unless (rlm--job-ended job) (push job jobs)))
               (rlm--daemon-jobs daemon)))
    (sort jobs (lambda (a b) (> (rlm--job-updated a) (rlm--job-updated b))))))

(defun rlm--running-questions ()
  "The questions running on any daemon, most recently started first."
  (sort (cl-remove-if-not (lambda (job) (eq (rlm--job-kind job) 'question)) (rlm--running-jobs))
        (lambda (a b) (> (rlm--job-started a) (rlm--job-started b)))))

(defun rlm--job-summary (job)
  "What JOB is doing, in a few words."
  (if (rlm--job-turn job)
      (concat (format "turn %d" (rlm--job-turn job))
              (let ((sub (or (rlm--job-sub-calls job) 0)))
                (if (> sub 0) (format " · %d sub-call%s" sub (if (= sub 1) "" "s")) ""))
              (format " · %d tokens · $%.4f" (or (rlm--job-tokens job) 0) (or (rlm--job-cost job) 0)))
    (or (and (rlm--job-percentage job)
             (format "%s %d%%" (if (eq (rlm--job-kind job) 'server) "indexing" "working")
                     (rlm--job-percentage job)))
        (and (eq (rlm--job-kind job) 'server) "indexing")
        "starting")))

(defun rlm--refresh-mode-line ()
  "Recompute `rlm-mode-line' from the running jobs."
  (let* ((jobs (rlm--running-jobs))
         (text (cond ((null jobs) "")
                     ((null (cdr jobs)) (format " rlm[%s]" (rlm--job-summary (car jobs))))
                     (t (format " rlm[%d running; %s]" (length jobs) (rlm--job-summary (car jobs)))))))
    (unless (equal text rlm-mode-line)
      (setq rlm-mode-line
            (if (string-empty-p text) text
              (propertize text 'help-echo "rlm: mouse-1 shows the status"
                          'mouse-face 'mode-line-highlight
                          'local-map rlm--mode-line-map)))
      (force-mode-line-update t))))

(defun rlm--echo (format-string &rest args)
  "Show FORMAT-STRING with ARGS in the echo area unless the minibuffer is in use."
  (when (and rlm-echo-progress (not (active-minibuffer-window)))
    (let ((message-log-max nil))
      (apply #'message format-string args))))

(defun rlm--progress (daemon token value)
  "Record the `$/progress' VALUE of TOKEN from DAEMON."
  (let ((job (or (gethash token (rlm--daemon-jobs daemon))
                 (puthash token (rlm--make-job :token token :kind 'server :daemon daemon)
                          (rlm--daemon-jobs daemon)))))
    (setf (rlm--job-updated job) (float-time))
    (pcase (plist-get value :kind)
      ("begin" (setf (rlm--job-title job) (plist-get value :title)))
      ("report"
       (cl-macrolet ((take (slot key) `(when (plist-member value ,key)
                                         (setf (,slot job) (plist-get value ,key)))))
         (take rlm--job-turn :turn)
         (take rlm--job-sub-calls :subCalls)
         (take rlm--job-tokens :tokens)
         (take rlm--job-cost :costUsd)
         (take rlm--job-percentage :percentage)
         (take rlm--job-message :message)))
      ("end"
       (setf (rlm--job-ended job) t
             (rlm--job-message job) (plist-get value :message)
             (rlm--job-trajectory job) (plist-get value :trajectory)
             (rlm--job-conversation job) (plist-get value :conversation)
             (rlm--job-reason job) (plist-get value :reason))
       (when (eq (rlm--job-kind job) 'server)
         (remhash token (rlm--daemon-jobs daemon)))))
    (rlm--refresh-mode-line)
    (unless (rlm--job-ended job)
      (rlm--echo "%s%s" (or (rlm--job-title job) "rlm")
                 (if (rlm--job-message job) (concat ": " (rlm--job-message job)) "")))))

;;;; Status

(defun rlm--status-text (status)
  "STATUS, an `rlm/status' result, as one line."
  (let* ((index (plist-get status :index))
         (jobs (append (plist-get status :jobs) nil))
         (spend (plist-get status :spend)))
    (concat
     (format "index %s" index)
     (if (plist-get status :files) (format " (%d files)" (plist-get status :files)) "")
     (if (plist-get status :indexError) (format ": %s" (plist-get status :indexError)) "")
     (if jobs
         (format " · %d running: %s" (length jobs)
                 (mapconcat (lambda (job)
                              (format "%s%s, %.0f s"
                                      (if (plist-get job :question)
                                          (format "“%s”" (truncate-string-to-width
                                                          (plist-get job :question) 40 nil nil "…"))
                                        (plist-get job :method))
                                      (if (> (or (plist-get job :turn) 0) 0)
                                          (format " turn %d" (plist-get job :turn)) "")
                                      (or (plist-get job :seconds) 0)))
                            jobs "; "))
       " · nothing running")
     (format " · spent $%.4f on %d model calls (%d input + %d output tokens)"
             (or (plist-get spend :costUsd) 0) (or (plist-get spend :calls) 0)
             (or (plist-get spend :input) 0) (or (plist-get spend :output) 0))
     (format " · sandbox %s" (plist-get status :sandbox)))))

(provide 'rlm-progress)
;;; rlm-progress.el ends here
