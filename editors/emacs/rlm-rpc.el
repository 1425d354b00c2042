;;; rlm-rpc.el --- Requests to rlm's daemons and what their errors mean  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; Requests on top of jsonrpc.el: quick ones that wait for their result
;; (`rlm--request', errors become `user-error's), questions that run
;; asynchronously with a work-done token for their progress and are
;; cancelled by that token, JSON parsing the way jsonrpc.el parses, and
;; the text of each rlmd error code: what it means and what to fix.

;;; Code:

(require 'cl-lib)
(require 'jsonrpc)
(require 'subr-x)
(require 'rlm-progress)

(defcustom rlm-request-timeout 30
  "Seconds to wait for quick requests (status, sessions, trajectory)."
  :type 'number
  :group 'rlm)

(declare-function json-read-from-string "json" (string))

(defun rlm--json-parse (text)
  "TEXT parsed as JSON the way jsonrpc.el does: plists, vectors, :json-false."
  (if (fboundp 'json-parse-string)
      (json-parse-string text :object-type 'plist :null-object nil :false-object :json-false)
    (require 'json)
    (defvar json-object-type)
    (defvar json-false)
    (defvar json-array-type)
    (let ((json-object-type 'plist) (json-false :json-false) (json-array-type 'vector))
      (json-read-from-string text))))

(defun rlm--jsonrpc-error-plist (err)
  "The (:code :message :data) plist of ERR, a `jsonrpc-error' condition."
  (let ((data (cdr err)))
    (list :code (alist-get 'jsonrpc-error-code data)
          :message (or (alist-get 'jsonrpc-error-message data) (car-safe data))
          :data (alist-get 'jsonrpc-error-data data))))

(defun rlm--error-text (error)
  "What ERROR (a JSON-RPC error plist) means and what to fix."
  (let ((code (plist-get error :code))
        (message (or (plist-get error :message) "no message")))
    (pcase code
      (-32900 (format "no model provider is configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY, point RLMD_BASE_URL at an OpenAI-compatible server, name a provider in ~/.config/rlmd/config.toml, or set `rlm-provider' / `rlm-base-url' (rlmd: %s)" message))
      (-32901 (format "a budget ran out: raise it in `rlm-budgets' (rlmd: %s)" message))
      (-32902 (format "the index is unavailable: %s (see M-x rlm-status and the *rlm stderr* buffer)" message))
      (-32903 (format "the REPL sandbox could not start: %s (M-x rlm-doctor shows what is missing)" message))
      (-32904 (format "the model provider failed: %s (check `rlm-base-url' and `rlm-model', then M-x rlm-doctor)" message))
      (-32905 (format "unknown trajectory: %s" message))
      (-32800 "cancelled")
      (-1 "the daemon exited before it answered")
      ('nil (if (equal message "Timed out")
                "rlmd did not answer in time (`rlm-request-timeout')"
              message))
      (_ (format "%s (error %s)" message code)))))

(defun rlm--request (daemon method params &optional timeout)
  "Send METHOD with PARAMS to DAEMON and wait for the result.
TIMEOUT defaults to `rlm-request-timeout'.  Errors become `user-error's."
  (condition-case err
      (jsonrpc-request daemon method params :timeout (or timeout rlm-request-timeout))
    (jsonrpc-error
     (user-error "rlm: %s failed: %s" method (rlm--error-text (rlm--jsonrpc-error-plist err))))))

(cl-defun rlm--start-question (daemon method params &key question on-success on-error)
  "Send the question METHOD with PARAMS to DAEMON, reporting progress.
QUESTION is its text for the mode line.  ON-SUCCESS is called with the
result and the `rlm--job', ON-ERROR with the error plist and the job.
Questions have no timeout: they end by answering, by a budget, or by
`rlm-cancel'.  Returns the job."
  (let* ((token (rlm--next-token))
         (job (rlm--make-job :token token :kind 'question :daemon daemon :question question
                             :title (concat "rlm: " (truncate-string-to-width question 40 nil nil "…")))))
    (puthash token job (rlm--daemon-jobs daemon))
    (rlm--refresh-mode-line)
    (jsonrpc-async-request
     daemon method (append params (list :workDoneToken token))
     :success-fn (lambda (result)
                   (rlm--finish-job job)
                   (funcall on-success result job))
     :error-fn (lambda (error)
                 (rlm--finish-job job)
                 (funcall on-error error job))
     :timeout nil)
    job))

(defun rlm--finish-job (job)
  "Forget JOB, whose request was answered."
  (setf (rlm--job-ended job) t)
  (remhash (rlm--job-token job) (rlm--daemon-jobs (rlm--job-daemon job)))
  (rlm--refresh-mode-line))

(defun rlm--cancel-job (job)
  "Ask JOB's daemon to cancel it (by its work-done token)."
  ;; jsonrpc.el's async requests do not return their id, so `$/cancelRequest'
  ;; is out of reach; the daemon cancels by progress token just the same.
  (jsonrpc-notify (rlm--job-daemon job) 'window/workDoneProgress/cancel
                  (list :token (rlm--job-token job))))

(provide 'rlm-rpc)
;;; rlm-rpc.el ends here
