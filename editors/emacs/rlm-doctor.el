;;; rlm-doctor.el --- The health check of rlm: sandbox, providers, index  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; `rlm-doctor' runs `rlmd doctor --json' (a subprocess of its own, not
;; the daemon) with rlm's model settings in its environment, asks the
;; workspace's daemon for its index state, and shows both in the
;; `*rlm doctor*' buffer: the sandbox and its layers, each provider and
;; whether it answers, the index, and what rlm is configured with.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'rlm-client)

(defcustom rlm-doctor-timeout 10
  "Seconds `rlmd doctor' waits for each provider to answer."
  :type 'number
  :group 'rlm)

(defconst rlm-doctor-buffer-name "*rlm doctor*"
  "The name of the buffer showing the health check.")

(defvar rlm--doctor-process nil
  "The running `rlmd doctor' process, if any.")

(defun rlm--doctor-environment ()
  "`process-environment' with rlm's model settings as rlmd's variables."
  (let ((environment process-environment))
    (dolist (setting `(("RLMD_BASE_URL" . ,rlm-base-url) ("RLMD_MODEL" . ,rlm-model)
                       ("RLMD_SUB_MODEL" . ,rlm-sub-model)))
      (when (cdr setting)
        (push (concat (car setting) "=" (cdr setting)) environment)))
    environment))

(defun rlm--doctor-daemon-line (root)
  "The state of ROOT's daemon and index, as a line (starting the daemon)."
  (condition-case err
      (let* ((daemon (rlm--ensure-daemon root))
             (info (plist-get (rlm--daemon-info daemon) :serverInfo)))
        (format "Daemon: running (%s %s) · %s"
                (or (plist-get info :name) "rlmd") (or (plist-get info :version) "?")
                (rlm--status-text (rlm--request daemon 'rlm/status nil))))
    (user-error (format "Daemon: %s" (error-message-string err)))))

(defun rlm--doctor-insert-report (report)
  "Insert the sandbox and providers of REPORT, `rlmd doctor --json' parsed."
  (let ((sandbox (plist-get report :sandbox))
        (providers (append (plist-get report :providers) nil)))
    (insert (format "Sandbox: %s · %s · python %s\n"
                    (plist-get sandbox :mode)
                    (if (eq (plist-get sandbox :ok) t) "ok" "NOT OK")
                    (or (plist-get sandbox :python) "?")))
    (when (plist-get sandbox :error)
      (insert "  " (plist-get sandbox :error) "\n"))
    (dolist (layer (append (plist-get sandbox :layers) nil))
      (insert (format "  %s %-12s %s\n" (if (eq (plist-get layer :active) t) "+" "-")
                      (plist-get layer :name) (or (plist-get layer :detail) ""))))
    (insert "Providers:\n")
    (if (null providers)
        (insert "  none configured: set OPENAI_API_KEY or ANTHROPIC_API_KEY, RLMD_BASE_URL, "
                "a provider in ~/.config/rlmd/config.toml, or `rlm-provider' / `rlm-base-url'\n")
      (dolist (provider providers)
        (insert (format "  %s%s: %s · model %s · %s%s\n"
                        (plist-get provider :name)
                        (if (equal (plist-get provider :name) (plist-get report :defaultProvider))
                            " (default)" "")
                        (if (eq (plist-get provider :ok) t) "ok" "FAILED")
                        (or (plist-get provider :model) "?")
                        (or (plist-get provider :baseURL) (plist-get provider :kind) "")
                        (if (plist-get provider :error)
                            (concat "\n    " (plist-get provider :error)) "")))))
    (when (plist-get report :cacheRoot)
      (insert (format "Cache: %s\n" (plist-get report :cacheRoot))))))

(defun rlm--doctor-settings ()
  "The rlm settings that reach rlmd, as a line."
  (format "Settings: rlm-provider %s · rlm-base-url %s · rlm-model %s · rlm-sub-model %s · rlm-budgets %s"
          (or rlm-provider "(rlmd's)") (or rlm-base-url "(rlmd's)") (or rlm-model "(rlmd's)")
          (or rlm-sub-model "(rlmd's)") (if rlm-budgets (format "%S" rlm-budgets) "(rlmd's)")))

(defun rlm--doctor-finish (process header stdout stderr-pipe)
  "Show the report of PROCESS, `rlmd doctor', below HEADER.
STDOUT is the buffer of its output, STDERR-PIPE the process reading its stderr."
  (while (accept-process-output stderr-pipe 0.05))
  (let* ((text (with-current-buffer stdout (buffer-string)))
         (stderr (process-buffer stderr-pipe))
         (report (ignore-errors (rlm--json-parse text))))
    (with-current-buffer (get-buffer-create rlm-doctor-buffer-name)
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert header)
        (if report
            (rlm--doctor-insert-report report)
          (insert (format "rlmd doctor failed (%s):\n%s\n%s\n"
                          (process-exit-status process) (string-trim text)
                          (string-trim (with-current-buffer stderr (buffer-string))))))
        (insert "\n" (rlm--doctor-settings) "\n")
        (goto-char (point-min))))
    (delete-process stderr-pipe)
    (kill-buffer stdout)
    (kill-buffer stderr)
    (setq rlm--doctor-process nil)
    (message "rlm: Doctor finished; see %s" rlm-doctor-buffer-name)))

(defun rlm--doctor-start (root)
  "Run the health check for ROOT and show it in its buffer; return the process."
  (when (process-live-p rlm--doctor-process)
    (delete-process rlm--doctor-process))
  (let* ((executable (rlm--executable))
         (header (concat (format "rlm doctor · %s\n\n" (format-time-string "%F %T"))
                         (format "rlmd: %s\nWorkspace: %s\n%s\n" executable
                                 (abbreviate-file-name root) (rlm--doctor-daemon-line root))))
         (stdout (generate-new-buffer " *rlm doctor stdout*"))
         (stderr-pipe (make-pipe-process :name "rlm doctor stderr" :noquery t :sentinel #'ignore
                                         :buffer (generate-new-buffer " *rlm doctor stderr*")))
         (process-environment (rlm--doctor-environment))
         (default-directory root))
    (with-current-buffer (get-buffer-create rlm-doctor-buffer-name)
      (let ((inhibit-read-only t))
        (special-mode)
        (erase-buffer)
        (insert header "Running rlmd doctor (sandbox and providers)…\n")))
    (display-buffer rlm-doctor-buffer-name)
    (setq rlm--doctor-process
          (make-process :name "rlm doctor"
                        :command (list executable "doctor" "--json"
                                       "--timeout" (number-to-string rlm-doctor-timeout))
                        :buffer stdout :stderr stderr-pipe :noquery t
                        :sentinel (lambda (process _event)
                                    (unless (process-live-p process)
                                      (rlm--doctor-finish process header stdout stderr-pipe)))))))

(provide 'rlm-doctor)
;;; rlm-doctor.el ends here
