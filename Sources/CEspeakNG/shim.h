// espeak-ng, used only by KioskSpeech to turn text into 16-bit samples (its own audio output is never used:
// SDL plays the samples, so the kiosk controls volume, pausing and interruption).
#pragma once
#include <espeak-ng/speak_lib.h>
