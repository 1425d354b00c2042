;;; rlm-process.el --- The rlmd process of a workspace: executable, daemon object, stderr  -*- lexical-binding: t; -*-

;; This file is part of rlm (see rlm.el for the package headers).

;;; Commentary:

;; The pieces of a daemon below JSON-RPC: the workspace root a command
;; runs in, the rlmd executable (or an error saying how to get it), the
;; `rlm--daemon' object (a `jsonrpc-process-connection' that also knows
;; its root, process, stderr buffer and jobs), the table of running
;; daemons, and the `*rlm stderr: ROOT*' buffer with the tail of it that
;; error messages show.  Starting and stopping are in rlm-client.el.

;;; Code:

(require 'jsonrpc)
(require 'subr-x)

(defcustom rlm-executable "rlmd"
  "The rlmd executable: a name looked up on the variable `exec-path', or a file."
  :type 'string
  :group 'rlm)

(defcustom rlm-stderr-lines 8
  "How many of its last stderr lines to show when a daemon exits."
  :type 'integer
  :group 'rlm)

(defvar rlm--daemons (make-hash-table :test #'equal)
  "The running daemons: workspace root (a directory name) to daemon object.")

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

;;;; The daemons

(defun rlm--live-daemons ()
  "The running daemons, in no particular order."
  (let (daemons)
    (maphash (lambda (_root daemon) (push daemon daemons)) rlm--daemons)
    daemons))

;;;; Stderr

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

(defun rlm--drain-stderr (daemon)
  "Read what is left in DAEMON's stderr pipe, for at most 0.5 s; close it."
  (let ((pipe (rlm--daemon-stderr-pipe daemon))
        (deadline (+ (float-time) 0.5)))
    (while (and (process-live-p pipe) (< (float-time) deadline)
                (accept-process-output pipe 0.05)))
    (delete-process pipe)))

(provide 'rlm-process)
;;; rlm-process.el ends here
