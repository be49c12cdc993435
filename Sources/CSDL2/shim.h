// SDL2 + SDL2_ttf + SDL2_image for Swift; re-exports the macros Swift cannot import.
#pragma once
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <SDL2/SDL_image.h>

static const int KIOSK_SDL_WINDOWPOS_CENTERED = SDL_WINDOWPOS_CENTERED;
static const Uint32 KIOSK_SDL_PIXELFORMAT_ARGB8888 = SDL_PIXELFORMAT_ARGB8888;
static inline SDL_bool kiosk_sdl_mustlock(SDL_Surface *s) { return SDL_MUSTLOCK(s) ? SDL_TRUE : SDL_FALSE; }
// Touch events synthesised as mouse events carry this id; the macro does not compile in Swift.
static inline SDL_bool kiosk_sdl_is_touch_mouse(Uint32 which) { return which == SDL_TOUCH_MOUSEID ? SDL_TRUE : SDL_FALSE; }
static inline Uint32 kiosk_sdl_button_lmask(void) { return SDL_BUTTON_LMASK; }
