;;; rlm-client.el --- The rlmd daemons of rlm: one JSON-RPC connection per workspace  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; One `rlmd serve --stdio' per workspace root, started lazily by the
;; first command that needs it and shared by every buffer of that root.
;; It speaks JSON-RPC with LSP framing through the built-in `jsonrpc.el'
;; (not eglot, which allows one server per major mode and would push out
;; the user's own language server); rlm attaches to no buffer.
;;
;; This file owns the daemons' lifecycle: the settings sent in
;; `initialize', starting, the messages a daemon sends, what to say when
;; one exits, and shutdown.  The process and its stderr are in
;; rlm-process.el, progress and the mode line in rlm-progress.el, and
;; requests and errors in rlm-rpc.el; requiring this file loads them.

;;; Code:

(require 'cl-lib)
(require 'jsonrpc)
(require 'subr-x)
(require 'url-util)
(require 'rlm-process)
(require 'rlm-progress)
(require 'rlm-rpc)

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

(defcustom rlm-shutdown-timeout 3
  "Seconds to wait for a daemon to answer `shutdown' and then to exit."
  :type 'number
  :group 'rlm)

(defcustom rlm-events-buffer-size 100000
  "Characters kept in each daemon's JSON-RPC events buffer; 0 keeps none."
  :type 'integer
  :group 'rlm)

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
