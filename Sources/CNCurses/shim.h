#ifndef PORTRAIT_CNCURSES_SHIM_H
#define PORTRAIT_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>

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
#endif
