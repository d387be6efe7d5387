// GNU readline for Swift. Swift 6 rejects readline's mutable globals as not concurrency-safe, so
// every global the REPL sets goes through a static inline function here.
#ifndef CONCIERGE_CREADLINE_SHIM_H
#define CONCIERGE_CREADLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <poll.h>
#include <readline/readline.h>
#include <readline/history.h>

typedef char *concierge_completion_entry_t(const char *, int);

/// Names the program for ~/.inputrc conditionals; `name` must outlive every readline call.
static inline void concierge_rl_set_name(const char *name) { rl_readline_name = name; }

/// Installs a completion generator for the first word and turns off file-name completion.
static inline void concierge_rl_set_completion(concierge_completion_entry_t *generator) {
    rl_completion_entry_function = generator;
}

/// Stops readline falling back to file names when our generator has no match.
static inline void concierge_rl_completion_over(void) { rl_attempted_completion_over = 1; }

/// The characters that end a word for completion: spaces only, so "/why" completes as one word.
static inline void concierge_rl_set_word_breaks(const char *breaks) {
    rl_completer_word_break_characters = (char *)breaks;
}

/// Lets the caller handle SIGINT itself (readline's own handlers stay out of the way).
static inline void concierge_rl_set_catch_signals(int on) {
    rl_catch_signals = on;
    rl_catch_sigwinch = on;
}

/// Clears the line being edited and redraws an empty prompt (used on Ctrl-C).
static inline void concierge_rl_clear_line(void) {
    rl_replace_line("", 0);
    rl_point = 0;
    rl_end = 0;
}

/// The text currently in the edit buffer (for tests and for re-display).
static inline const char *concierge_rl_line_buffer(void) { return rl_line_buffer; }

/// True once the callback interface saw a complete line or end of input.
static inline int concierge_rl_done(void) { return rl_done; }

/// Writes text to stdout through C's buffer and flushes it (Swift 6 cannot name `stdout` directly).
static inline void concierge_write_stdout(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

/// The cursor position in the edit buffer.
static inline int concierge_rl_point(void) { return rl_point; }
static inline void concierge_rl_set_point(int point) { rl_point = point; }

#endif
