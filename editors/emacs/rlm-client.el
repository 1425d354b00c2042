;;; rlm-client.el --- The rlmd daemons of rlm: one JSON-RPC connection per workspace  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; One `rlmd serve --stdio' per workspace root, started lazily by the
;; first command that needs it and shared by every buffer of that root.
;; It speaks JSON-RPC with LSP framing through the built-in `jsonrpc.el'
;; (not eglot, which allows one server per major mode and would push out
;; the user's own language server); rlm attaches to no buffer.
;;
;; This file owns the connections, their progress state (shown by the
;; global mode-line segment `rlm-mode-line' and in the echo area), the
;; daemon's stderr buffer, errors that say what to fix, and shutdown.

;;; Code:

(require 'cl-lib)
(require 'jsonrpc)
(require 'subr-x)
(require 'url-util)

(defcustom rlm-executable "rlmd"
  "The rlmd executable: a name looked up on the variable `exec-path', or a file."
  :type 'string
  :group 'rlm)

(defcustom rlm-args nil
  "Extra arguments for `rlmd serve --stdio', e.g. (\"--log-level\" \"debug\")."
  :type '(repeat string)
  :group 'rlm)

(defcustom rlm-provider nil
  "The provider to ask: a name from ~/.config/rlmd/config.toml or a kind.
Kinds are \"openai\", \"anthropic\" and \"local\".  nil leaves the choice
to rlmd (its environment variables and config file)."
  :type '(choice (const :tag "rlmd's choice" nil) string)
  :group 'rlm)

(defcustom rlm-base-url nil
  "An OpenAI-compatible server for the models, e.g. http://127.0.0.1:8080/v1.
nil leaves it to rlmd (`RLMD_BASE_URL' or the config file)."
  :type '(choice (const :tag "rlmd's choice" nil) string)
  :group 'rlm)

(defcustom rlm-model nil
  "The root model, which writes the Python; nil leaves it to rlmd."
  :type '(choice (const :tag "rlmd's choice" nil) string)
  :group 'rlm)

(defcustom rlm-sub-model nil
  "The model of sub-calls (`llm_query'); nil leaves it to rlmd."
  :type '(choice (const :tag "rlmd's choice" nil) string)
  :group 'rlm)

(defconst rlm--budget-keys
  '((:maxIterations . "root-model turns")
    (:maxCalls . "model calls")
    (:maxUsd . "US dollars")
    (:maxTokens . "tokens")
    (:maxSeconds . "seconds")
    (:maxDepth . "recursion depth"))
  "The budgets rlmd knows, as `initializationOptions.budgets' keys.")

(defcustom rlm-budgets nil
  "Limits of each question, a plist such as (:maxIterations 10 :maxUsd 0.5).
Keys: :maxIterations, :maxCalls, :maxUsd, :maxTokens, :maxSeconds and
:maxDepth.  A question that reaches one ends with a partial answer."
  :type `(plist :key-type (choice ,@(mapcar (lambda (key) `(const :tag ,(cdr key) ,(car key)))
                                            rlm--budget-keys))
                :value-type number)
  :group 'rlm)

(defcustom rlm-start-timeout 30
  "Seconds to wait for a new daemon to answer `initialize'."
  :type 'number
  :group 'rlm)

(defcustom rlm-request-timeout 30
  "Seconds to wait for quick requests (status, sessions, trajectory)."
  :type 'number
  :group 'rlm)

(defcustom rlm-shutdown-timeout 3
  "Seconds to wait for a daemon to answer `shutdown' and then to exit."
  :type 'number
  :group 'rlm)

(defcustom rlm-events-buffer-size 100000
  "Characters kept in each daemon's JSON-RPC events buffer; 0 keeps none."
  :type 'integer
  :group 'rlm)

(defcustom rlm-stderr-lines 8
  "How many of its last stderr lines to show when a daemon exits."
  :type 'integer
  :group 'rlm)

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

(defvar rlm--daemons (make-hash-table :test #'equal)
  "The running daemons: workspace root (a directory name) to daemon object.")

(defvar rlm--token-counter 0
  "The last number used in a work-done progress token.")

(cl-defstruct (rlm--job (:constructor rlm--make-job))
  "Something a daemon reports progress on: a question or an index build."
  token kind title question daemon (started (float-time)) (updated (float-time))
  turn sub-calls tokens cost percentage message trajectory conversation reason ended)

(defclass rlm--daemon (jsonrpc-process-connection)
  ((root :initarg :root :reader rlm--daemon-root
         :documentation "The workspace root this daemon serves.")
   (proc :initarg :proc :reader rlm--daemon-proc
         :documentation "The `rlmd serve --stdio' process.")
   (stderr :initarg :stderr :reader rlm--daemon-stderr
           :documentation "The buffer collecting the daemon's stderr.")
   (stderr-pipe :initarg :stderr-pipe :reader rlm--daemon-stderr-pipe
                :documentation "The pipe process reading the daemon's stderr.")
   (stderr-start :initarg :stderr-start :reader rlm--daemon-stderr-start
                 :documentation "Where this daemon's stderr starts in its buffer (a marker).")
   (info :initform nil :accessor rlm--daemon-info
         :documentation "The `initialize' result: capabilities and serverInfo.")
   (stopping :initform nil :accessor rlm--daemon-stopping
             :documentation "Non-nil once rlm itself is stopping the daemon.")
   (jobs :initform (make-hash-table :test #'equal) :reader rlm--daemon-jobs
         :documentation "Progress token to `rlm--job'."))
  :documentation "An rlmd daemon serving one workspace root.")

;;;; Finding the workspace and the executable

(declare-function project-root "project" (project))
(declare-function project-roots "project" (project))

(defun rlm--root (&optional directory)
  "The workspace root of DIRECTORY (default `default-directory').
The project.el root, else the enclosing git work tree, else DIRECTORY."
  (let* ((directory (expand-file-name (or directory default-directory)))
         (project (and (require 'project nil t) (project-current nil directory)))
         (root (or (and project (if (fboundp 'project-root)
                                    (project-root project)
                                  (car (with-no-warnings (project-roots project)))))
                   (locate-dominating-file directory ".git")
                   directory)))
    (when (file-remote-p root)
      (user-error "rlm: %s is remote; rlmd serves local folders only" root))
    (file-name-as-directory (expand-file-name root))))

(defun rlm--install-hint ()
  "How to get rlmd, for error messages."
  "build it with `make release' in the rlmd checkout, then put its .build/release on PATH, or set `rlm-executable' to the full file name of rlmd")

(defun rlm--executable ()
  "The absolute file name of rlmd, or a `user-error' saying how to get it."
  (if (file-name-directory rlm-executable)
      (let ((file (expand-file-name rlm-executable)))
        (unless (and (file-regular-p file) (file-executable-p file))
          (user-error "rlm: `rlm-executable' is %s, which is not an executable file; %s"
                      rlm-executable (rlm--install-hint)))
        file)
    (or (executable-find rlm-executable)
        (user-error "rlm: Cannot find %s on `exec-path'; %s"
                    rlm-executable (rlm--install-hint)))))

;;;; Starting

(defun rlm--initialization-options ()
  "The `initializationOptions' from the rlm customization, or nil."
  (let (options)
    (when rlm-budgets
      (let ((budgets nil) (rest rlm-budgets))
        (while rest
          (let ((key (car rest)) (value (cadr rest)))
            (unless (assq key rlm--budget-keys)
              (user-error "rlm: `rlm-budgets' has the unknown key %S (known: %s)"
                          key (mapconcat (lambda (k) (symbol-name (car k))) rlm--budget-keys " ")))
            (unless (and (numberp value) (> value 0))
              (user-error "rlm: `rlm-budgets' %S must be a positive number, not %S" key value))
            (setq budgets (append budgets (list key value)) rest (cddr rest))))
        (setq options (list :budgets budgets))))
    (dolist (setting `((:subModel . ,rlm-sub-model) (:model . ,rlm-model)
                       (:baseUrl . ,rlm-base-url) (:provider . ,rlm-provider)))
      (when (cdr setting)
        (setq options (cons (car setting) (cons (cdr setting) options)))))
    options))

(defun rlm--file-uri (directory)
  "The file:// URI of DIRECTORY, without its trailing slash."
  (concat "file://" (url-hexify-string (directory-file-name directory) url-path-allowed-chars)))

(defun rlm--initialize-params (root)
  "The `initialize' params for a daemon serving ROOT."
  (let ((options (rlm--initialization-options))
        (uri (rlm--file-uri root)))
    `(:processId ,(emacs-pid)
      :clientInfo (:name "rlm.el" :version ,emacs-version)
      :rootUri ,uri
      :rootPath ,(directory-file-name root)
      :workspaceFolders [(:uri ,uri :name ,(file-name-nondirectory (directory-file-name root)))]
      :capabilities (:window (:workDoneProgress t))
      ,@(and options `(:initializationOptions ,options)))))

(defun rlm--stderr-buffer-name (root)
  "The name of the buffer holding the stderr of ROOT's daemon."
  (format "*rlm stderr: %s*" (abbreviate-file-name root)))

(defun rlm--stderr-filter (process output)
  "Append OUTPUT, stderr of an rlmd daemon, to the buffer of PROCESS."
  (let ((buffer (process-buffer process)))
    (when (buffer-live-p buffer)
      (with-current-buffer buffer
        (let ((inhibit-read-only t))
          (save-excursion
            (goto-char (point-max))
            (insert output)))))))

(defun rlm--start (root)
  "Start a daemon for ROOT, initialize it and return it."
  (let* ((executable (rlm--executable))
         ;; Bad settings are refused before anything starts.
         (params (rlm--initialize-params root))
         (name (format "rlm %s" (abbreviate-file-name root)))
         (stderr (get-buffer-create (rlm--stderr-buffer-name root)))
         (default-directory root)
         (stderr-start (with-current-buffer stderr
                         (let ((inhibit-read-only t))
                           (goto-char (point-max))
                           (unless (bobp) (insert "\n"))
                           (insert (format "[rlm] %s started %s serve --stdio\n"
                                           (format-time-string "%F %T") executable)))
                         (setq buffer-read-only t)
                         (point-max-marker)))
         (stderr-pipe (make-pipe-process :name (concat name " stderr") :buffer stderr
                                         :filter #'rlm--stderr-filter :sentinel #'ignore
                                         :noquery t))
         (process (condition-case err
                      (make-process :name name
                                    :command `(,executable "serve" "--stdio" ,@rlm-args)
                                    :connection-type 'pipe
                                    :coding 'utf-8-emacs-unix
                                    :noquery t
                                    :stderr stderr-pipe)
                    (error (delete-process stderr-pipe)
                           (user-error "rlm: Cannot run %s: %s" executable (error-message-string err)))))
         (daemon (rlm--daemon :name name :process process :proc process :root root
                              :stderr stderr :stderr-pipe stderr-pipe :stderr-start stderr-start
                              :events-buffer-scrollback-size rlm-events-buffer-size
                              :request-dispatcher #'rlm--handle-request
                              :notification-dispatcher #'rlm--handle-notification
                              :on-shutdown #'rlm--handle-exit)))
    (puthash root daemon rlm--daemons)
    (rlm--install-mode-line)
    (condition-case err
        (progn
          (setf (rlm--daemon-info daemon)
                (jsonrpc-request daemon 'initialize params
                                 :timeout rlm-start-timeout))
          (jsonrpc-notify daemon 'initialized (make-hash-table))
          daemon)
      (jsonrpc-error
       (rlm--stop daemon)
       (user-error "rlm: The daemon did not start for %s: %s%s" (abbreviate-file-name root)
                   (rlm--error-text (rlm--jsonrpc-error-plist err))
                   (rlm--stderr-tail-text daemon))))))

(defun rlm--ensure-daemon (&optional root)
  "The live daemon of ROOT (default: this buffer's root), started if needed."
  (let* ((root (or root (rlm--root)))
         (daemon (gethash root rlm--daemons)))
    (if (and daemon (jsonrpc-running-p daemon) (not (rlm--daemon-stopping daemon)))
        daemon
      (rlm--start root))))

(defun rlm--live-daemons ()
  "The running daemons, in no particular order."
  (let (daemons)
    (maphash (lambda (_root daemon) (push daemon daemons)) rlm--daemons)
    daemons))

;;;; Messages from the daemon

(defun rlm--handle-request (daemon method params)
  "Answer DAEMON's request METHOD with PARAMS."
  (pcase method
    ('window/workDoneProgress/create
     (let ((token (plist-get params :token)))
       (puthash token (rlm--make-job :token token :kind 'server :daemon daemon)
                (rlm--daemon-jobs daemon)))
     nil)
    (_ (jsonrpc-error :code -32601 :message (format "rlm.el does not handle %s" method)))))

(defun rlm--handle-notification (daemon method params)
  "Handle DAEMON's notification METHOD with PARAMS."
  (pcase method
    ('$/progress (rlm--progress daemon (plist-get params :token) (plist-get params :value)))
    ((or 'window/showMessage 'window/logMessage)
     (rlm--stderr-note daemon (format "%s: %s" method (plist-get params :message))))))

(defun rlm--stderr-note (daemon text)
  "Append TEXT as a line of rlm's own to DAEMON's stderr buffer."
  (let ((buffer (rlm--daemon-stderr daemon)))
    (when (buffer-live-p buffer)
      (with-current-buffer buffer
        (let ((inhibit-read-only t))
          (save-excursion
            (goto-char (point-max))
            (insert "[rlm] " text "\n")))))))

(defun rlm--stderr-tail (daemon count)
  "The last COUNT non-empty lines DAEMON wrote on stderr, as a string or nil."
  (let ((start (rlm--daemon-stderr-start daemon)))
    (when (buffer-live-p (marker-buffer start))
      (with-current-buffer (marker-buffer start)
        (save-excursion
          (goto-char (point-max))
          (skip-chars-backward " \t\n" start)
          (let ((end (point)))
            (forward-line (- 1 count))
            (let ((text (string-trim (buffer-substring-no-properties (max start (point)) end))))
              (and (not (string-empty-p text)) text))))))))

(defun rlm--stderr-tail-text (daemon)
  "DAEMON's last stderr lines, introduced for an error message."
  (let ((tail (rlm--stderr-tail daemon rlm-stderr-lines))
        (buffer (buffer-name (rlm--daemon-stderr daemon))))
    (if tail
        (format "\nThe last lines of its stderr (%s):\n%s" buffer tail)
      (format "\nIt wrote nothing on stderr (%s); its log is $XDG_STATE_HOME/rlmd/rlmd.log" buffer))))

(defun rlm--handle-exit (daemon)
  "Forget DAEMON, whose process ended; say why unless rlm stopped it."
  (let ((root (rlm--daemon-root daemon))
        (process (rlm--daemon-proc daemon)))
    (when (eq (gethash root rlm--daemons) daemon)
      (remhash root rlm--daemons))
    (clrhash (rlm--daemon-jobs daemon))
    (rlm--refresh-mode-line)
    ;; What the daemon wrote last may still be in the pipe.
    (rlm--drain-stderr daemon)
    (unless (rlm--daemon-stopping daemon)
      (message "rlm: rlmd for %s exited (%s); it starts again on the next command.%s"
               (abbreviate-file-name root)
               (if (eq (process-status process) 'signal)
                   (format "killed by signal %d" (process-exit-status process))
                 (format "exit status %d" (process-exit-status process)))
               (rlm--stderr-tail-text daemon)))))

(defun rlm--drain-stderr (daemon)
  "Read what is left in DAEMON's stderr pipe, for at most 0.5 s; close it."
  (let ((pipe (rlm--daemon-stderr-pipe daemon))
        (deadline (+ (float-time) 0.5)))
    (while (and (process-live-p pipe) (< (float-time) deadline)
                (accept-process-output pipe 0.05)))
    (delete-process pipe)))

;;;; Progress and the mode line

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

;;;; Requests

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

;;;; Stopping

(defun rlm--stop (daemon)
  "Shut DAEMON down: `shutdown', then `exit', then end the process.
Each step waits at most `rlm-shutdown-timeout' seconds."
  (setf (rlm--daemon-stopping daemon) t)
  (let ((process (rlm--daemon-proc daemon)))
    (when (process-live-p process)
      (ignore-errors (jsonrpc-request daemon 'shutdown nil :timeout rlm-shutdown-timeout))
      (ignore-errors (jsonrpc-notify daemon 'exit nil))
      (let ((deadline (+ (float-time) rlm-shutdown-timeout)))
        (while (and (process-live-p process) (< (float-time) deadline))
          (accept-process-output process 0.05))))
    (jsonrpc-shutdown daemon)
    (when (eq (gethash (rlm--daemon-root daemon) rlm--daemons) daemon)
      (remhash (rlm--daemon-root daemon) rlm--daemons))
    (rlm--refresh-mode-line)))

(defun rlm--stop-all ()
  "Stop every daemon (on `kill-emacs-hook')."
  (let ((rlm-shutdown-timeout (min rlm-shutdown-timeout 1)))
    (mapc #'rlm--stop (rlm--live-daemons))))

(add-hook 'kill-emacs-hook #'rlm--stop-all)

(provide 'rlm-client)
;;; rlm-client.el ends here
