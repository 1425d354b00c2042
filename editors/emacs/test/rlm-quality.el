;;; rlm-quality.el --- Byte-compile, checkdoc and package-lint rlm  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by Tests/editors/test_emacs.py:
;;   emacs --batch -Q -L editors/emacs -l editors/emacs/test/rlm-quality.el \
;;         --eval '(rlm-quality-run "byte-compile" "checkdoc" "package-lint")'
;; (package-lint must be on `load-path').  Prints each problem and the
;; count of each check; exits with status 1 when there is any problem.

;;; Code:

(require 'cl-lib)

(defconst rlm-quality-directory
  (file-name-directory (directory-file-name (file-name-directory (or load-file-name buffer-file-name))))
  "The folder of the rlm package.")

(defconst rlm-quality-files '("rlm.el" "rlm-process.el" "rlm-progress.el" "rlm-rpc.el" "rlm-client.el"
                              "rlm-answer.el" "rlm-trajectory.el" "rlm-doctor.el")
  "The files of the rlm package, the main one first.")

(defconst rlm-quality-accepted-lint
  '("Package should have a Homepage or URL header.")
  "package-lint messages accepted, with the reason: rlmd has no public URL yet.")

(defun rlm-quality--byte-compile (file)
  "Problems of byte-compiling FILE (warnings are errors), as strings."
  (let* ((output (make-temp-file "rlm-elc-" t))
         (byte-compile-dest-file-function
          (lambda (source) (expand-file-name (concat (file-name-base source) ".elc") output)))
         (byte-compile-error-on-warn t)
         (problems nil))
    (unwind-protect
        (with-current-buffer (get-buffer-create byte-compile-log-buffer)
          (let ((inhibit-read-only t)) (erase-buffer))
          (unless (byte-compile-file file)
            (push (format "%s: byte-compile failed:\n%s" file (buffer-string)) problems)))
      (delete-directory output t))
    problems))

(defun rlm-quality--checkdoc (file)
  "The checkdoc problems of FILE, as strings."
  (let ((problems nil))
    (cl-letf (((symbol-function 'checkdoc-error)
               (lambda (point message)
                 (push (format "%s:%d: %s" file (line-number-at-pos point) message) problems))))
      (with-current-buffer (find-file-noselect file)
        (checkdoc-current-buffer t)
        (kill-buffer)))
    (nreverse problems)))

(defun rlm-quality--package-lint (file)
  "The package-lint problems of FILE (part of the package whose main file is rlm.el)."
  (with-temp-buffer
    (insert-file-contents file t)
    (emacs-lisp-mode)
    (let ((package-lint-main-file (and (not (equal (file-name-nondirectory file) "rlm.el"))
                                       (expand-file-name "rlm.el" rlm-quality-directory))))
      (cl-loop for (line _column type message) in (package-lint-buffer)
               unless (member message rlm-quality-accepted-lint)
               collect (format "%s:%d: %s: %s" file line type message)))))

(defun rlm-quality-run (&rest checks)
  "Run CHECKS on every file of rlm; print the problems; exit 1 when there are any.
Each problem prints as \"CHECK: FILE:LINE: TEXT\", then each check its count."
  (let ((default-directory rlm-quality-directory)
        (failed nil))
    (dolist (check checks)
      (let* ((function (pcase check
                         ("byte-compile" #'rlm-quality--byte-compile)
                         ("checkdoc" (require 'checkdoc) #'rlm-quality--checkdoc)
                         ("package-lint" (require 'package-lint) #'rlm-quality--package-lint)
                         (_ (error "Unknown check %s" check))))
             (problems (cl-mapcan (lambda (file) (funcall function (expand-file-name file)))
                                  rlm-quality-files)))
        (dolist (problem problems) (princ (format "%s: %s\n" check problem)))
        (princ (format "%s: %d problems in %d files\n" check (length problems) (length rlm-quality-files)))
        (when problems (setq failed t))))
    (kill-emacs (if failed 1 0))))

(provide 'rlm-quality)
;;; rlm-quality.el ends here
