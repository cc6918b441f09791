#ifndef PORTRAIT_CNCURSES_SHIM_H
#define PORTRAIT_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

/* Macros Swift cannot import, as functions. */
static inline int portrait_color_pair(int n) { return COLOR_PAIR(n); }
static inline int portrait_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int portrait_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline chtype portrait_acs_hline(void) { return ACS_HLINE; }
static inline chtype portrait_acs_vline(void) { return ACS_VLINE; }
static inline chtype portrait_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype portrait_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype portrait_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype portrait_acs_lrcorner(void) { return ACS_LRCORNER; }
static inline int portrait_key_f(int n) { return KEY_F(n); }
static inline mmask_t portrait_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }

/* Attribute and mouse macros Swift cannot import. */
static inline attr_t portrait_a_bold(void) { return A_BOLD; }
static inline attr_t portrait_a_dim(void) { return A_DIM; }
static inline attr_t portrait_a_underline(void) { return A_UNDERLINE; }
static inline attr_t portrait_a_reverse(void) { return A_REVERSE; }
static inline attr_t portrait_a_normal(void) { return A_NORMAL; }
static inline mmask_t portrait_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t portrait_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t portrait_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t portrait_button4_pressed(void) { return BUTTON4_PRESSED; }
#if NCURSES_MOUSE_VERSION > 1
static inline mmask_t portrait_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t portrait_button5_pressed(void) { return 0; }
#endif
static inline mmask_t portrait_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline int portrait_key_code_yes(void) { return KEY_CODE_YES; }

/* Globals Swift 6 cannot read safely (only the UI thread calls these). */
static inline WINDOW *portrait_stdscr(void) { return stdscr; }
static inline int portrait_colors(void) { return COLORS; }
static inline int portrait_color_pairs(void) { return COLOR_PAIRS; }
/* A screen on the process's stdout/stdin; NULL when the terminal type is unusable. */
static inline SCREEN *portrait_newterm(void) { return newterm(NULL, stdout, stdin); }
/* Whether the current locale's character set is UTF-8 (call after setlocale). */
static inline int portrait_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/* The terminal size of `fd` in cells and (when the terminal reports it) pixels; -1 when not a terminal. */
static inline int portrait_window_size(int fd, int *rows, int *columns, int *width_pixels, int *height_pixels) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row; *columns = ws.ws_col; *width_pixels = ws.ws_xpixel; *height_pixels = ws.ws_ypixel;
    return 0;
}

/* Raw mode for the terminal probe: no echo, no canonical input, no signals; the previous settings go to
   *saved (restore with portrait_restore_mode). */
static inline int portrait_raw_mode(int fd, struct termios *saved) {
    if (tcgetattr(fd, saved) != 0) return -1;
    struct termios raw = *saved;
    raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(IXON | ICRNL);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSANOW, &raw);
}

static inline int portrait_restore_mode(int fd, const struct termios *saved) {
    return tcsetattr(fd, TCSANOW, saved);
}
#endif
